// `npm run demo`: emulators + the worker script + the demo page + the PWA demo, on loopback only.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { startDevServer } from './dev-server.mjs';
import { startEmulators } from './emulators/index.mjs';
import { buildPwa, PWA_BASE } from './pwa/build.mjs';

const root = resolve(import.meta.dirname, '..');
// Install the worker the way an app would: the package's own CLI copies it into the public folder.
execFileSync(process.execPath, [resolve(root, 'dist/cli.js'), 'init', resolve(root, 'demo/public')], { stdio: 'inherit' });
// The PWA is served as built (its worker's precache manifest lists the real build), not by Vite's dev mode.
await buildPwa();

let emulators;
try {
  emulators = await startEmulators({ quiet: true });
} catch (error) {
  console.error(`Could not start the emulators: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
const { stop, ...config } = emulators;
const port = Number(process.env.PORT ?? 5173);
const server = await startDevServer({ config, port });

console.log(`
  amplify-sw-auth demo: ${server.url}/demo/
  PWA demo (offline):   ${server.url}${PWA_BASE}

  Cognito (moto_server via proxy): ${config.cognito.endpoint}
  API Gateway emulator:            ${config.api.endpoint}
  AppSync emulator:                ${config.appsync.endpoint}
  Users: ${config.cognito.users.map((u) => `${u.username} / ${u.password}`).join(', ')}

  Ctrl-C to stop.
`);

const shutdown = async () => {
  await server.close().catch(() => {});
  await stop();
  process.exit(0);
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
