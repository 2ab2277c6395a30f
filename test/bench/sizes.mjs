// Bytes an app ships: the worker script as built, and the page side as an app's bundler would
// emit it (src/index.ts minified with jose inlined; aws-amplify is the app's own, so external).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'vite';

const root = join(import.meta.dirname, '../..');

function measure(/** @type {Uint8Array} */ bytes) {
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/** The build id dist/ was made with, so the page bundle is the same code. */
export function distBuildId() {
  const match = /"(\d+\.\d+\.\d+\+[0-9a-f]{12})"/.exec(readFileSync(join(root, 'dist/index.js'), 'utf8'));
  if (!match) throw new Error('no build id in dist/index.js: run `npm run build` first');
  return match[1];
}

async function pageBundle() {
  const output = await build({
    configFile: false,
    root,
    logLevel: 'silent',
    define: { __AMPLIFY_SW_AUTH_BUILD_ID__: JSON.stringify(distBuildId()) },
    build: {
      write: false,
      outDir: '.tmp/bench/size',
      emptyOutDir: false,
      minify: true,
      sourcemap: false,
      target: 'es2022',
      lib: { entry: join(root, 'src/index.ts'), formats: ['es'], fileName: () => 'page.js' },
      rolldownOptions: { external: (id) => /^(aws-amplify|@aws-amplify\/)/.test(id) },
    },
  });
  const results = Array.isArray(output) ? output : [output];
  const chunks = results.flatMap((r) => ('output' in r ? r.output : [])).filter((o) => o.type === 'chunk');
  return new TextEncoder().encode(chunks.map((c) => /** @type {{ code: string }} */ (c).code).join('\n'));
}

/**
 * `{ worker_raw, worker_gzip, worker_brotli, page_raw, page_gzip, page_brotli }` in bytes, plus
 * `worker_offline_*` when the build makes a separate ready worker with the offline code.
 */
export async function sizes() {
  const worker = measure(readFileSync(join(root, 'dist/amplify-auth-worker.js')));
  const offlineFile = join(root, 'dist/amplify-auth-worker-offline.js');
  const offline = existsSync(offlineFile) ? measure(readFileSync(offlineFile)) : undefined;
  const page = measure(await pageBundle());
  return {
    worker_raw: worker.raw, worker_gzip: worker.gzip, worker_brotli: worker.brotli,
    ...(offline && { worker_offline_raw: offline.raw, worker_offline_gzip: offline.gzip, worker_offline_brotli: offline.brotli }),
    page_raw: page.raw, page_gzip: page.gzip, page_brotli: page.brotli,
  };
}
