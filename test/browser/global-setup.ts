// Starts what every browser test runs against, once: Cognito (moto_server behind its proxy), the
// API Gateway emulator, and the Vite server for the demo and harness pages and the PWA demo's build.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startDevServer } from '../../demo/dev-server.mjs';
import { startEmulators } from '../../demo/emulators/index.mjs';
import { buildPwa } from '../../demo/pwa/build.mjs';
import { buildTestWorkers } from './workers/build.mjs';

const root = resolve(import.meta.dirname, '../..');

declare module 'vitest' {
  export interface ProvidedContext {
    pageUrl: string;
    emulators: Awaited<ReturnType<typeof startEmulators>> extends infer E ? Omit<E, 'stop'> : never;
  }
}

export default async function setup(project: TestProject) {
  if (!existsSync(resolve(root, 'dist/amplify-auth-worker.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does) first.');
  execFileSync(process.execPath, [resolve(root, 'dist/cli.js'), 'init', resolve(root, 'demo/public')], { stdio: 'ignore' });
  await buildTestWorkers();
  await buildPwa();
  const { stop, ...config } = await startEmulators({ quiet: true });
  const server = await startDevServer({ config });
  project.provide('pageUrl', server.url);
  project.provide('emulators', config);
  return async () => {
    await server.close();
    await stop();
  };
}
