// Builds the workers the browser tests register besides the ready script, into demo/public/ (which
// the dev server serves at the root, with Service-Worker-Allowed: /).
import { copyFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'vite';

const root = resolve(import.meta.dirname, '../../..');
const out = resolve(root, 'demo/public');

export async function buildTestWorkers() {
  await build({
    configFile: false,
    logLevel: 'warn',
    define: { __AMPLIFY_SW_AUTH_BUILD_ID__: JSON.stringify('test-bare'), __AMPLIFY_SW_AUTH_TRACE__: 'false', 'process.env.NODE_ENV': '"production"' },
    build: {
      outDir: out,
      emptyOutDir: false,
      minify: false,
      target: 'es2022',
      lib: { entry: resolve(import.meta.dirname, 'bare-worker.ts'), formats: ['iife'], fileName: () => 'amplify-auth-worker-bare.js', name: 'bareWorker' },
    },
  });
  mkdirSync(resolve(out, 'foreign'), { recursive: true });
  copyFileSync(resolve(import.meta.dirname, 'foreign-worker.js'), resolve(out, 'foreign/amplify-auth-worker-foreign.js'));
}
