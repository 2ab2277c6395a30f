// What the ready worker's bytes are made of: `sw/auth-worker.ts` built as build.mjs builds it
// (IIFE, minified, NODE_ENV production, aws4fetch's service guess dropped), with offline on (as
// dist/amplify-auth-worker-offline.js) and once per variant with some modules replaced by
// do-nothing stubs at build time (a plugin's load hook: no file in sw/ is touched), or with the
// build's offline flag off (as dist/amplify-auth-worker.js). The difference from the full build is
// what those modules cost, their dependencies included.
//
//   node test/bench/size-breakdown.mjs [--root <checkout>] [--json]
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'vite';

const at = process.argv.indexOf('--root');
const root = resolve(at > 0 ? process.argv[at + 1] : join(import.meta.dirname, '../..'));

const NO_HOOKS = '{ read: () => undefined, queueFirst: () => undefined, queue: async () => undefined, reached: () => undefined }';
const NO_COUNTS = '{ replayed: 0, failed: 0, held: 0 }';
/** Stubs by path under sw/: each exports what its importers use, doing nothing. */
const STUBS = {
  'offline/read-cache.ts': 'export class ReadCache { handle() { return undefined; } async purgeExcept() {} }',
  'offline/mutation-queue.ts':
    'export class MutationQueue { size = 0; load() { return Promise.resolve(); } list() { return []; } covers() { return false; } waiting() { return false; } async add() { return undefined; } async remove() {} async stored() { return []; } }',
  'offline/replay-queue.ts': `export class Replayer { held = new Set(); offline = false; async run() { return ${NO_COUNTS}; } }`,
  'offline/install-offline.ts': `export function installOffline() { return { hooks: ${NO_HOOKS}, wake() {}, sessionChanged() {}, async pending() { return []; }, async replayNow() { return ${NO_COUNTS}; } }; }`,
  'offline/offline-settings.ts': 'export function offlineSettings() { return {}; } export const covers = () => false;',
};

/** Variant name → the stubbed modules, or `offline: false` for the build flag off. */
const VARIANTS = {
  'full (the offline ready worker)': [],
  'without read cache (read-cache.ts + workbox-strategies)': ['offline/read-cache.ts'],
  'without queue + replay (mutation-queue.ts, replay-queue.ts, queue-store.ts + idb-keyval)': ['offline/mutation-queue.ts', 'offline/replay-queue.ts'],
  'without installOffline (all of sw/offline/ but offline-settings.ts)': ['offline/install-offline.ts'],
  'without any offline code (also offline-settings.ts)': ['offline/install-offline.ts', 'offline/offline-settings.ts'],
  'build flag __AMPLIFY_SW_AUTH_OFFLINE__ false (the default ready worker)': { offline: false },
};

/** build.mjs's dropAws4fetchGuess, the same two replacements; skipped (and said so) when they do not match. */
let guessDropped = false;
const dropAws4fetchGuess = {
  name: 'drop-aws4fetch-service-guess',
  transform(/** @type {string} */ code, /** @type {string} */ id) {
    if (!/[\\/]node_modules[\\/]aws4fetch[\\/]/.test(id)) return null;
    const table = /const HOST_SERVICES = \{[^}]*\};?/;
    const guess = /function guessServiceRegion\(url, headers\) \{[\s\S]*?\n\}\n/;
    if (!table.test(code) || !guess.test(code)) return null;
    guessDropped = true;
    return code.replace(table, 'const HOST_SERVICES = {};').replace(guess, "function guessServiceRegion() {\n  throw new Error('amplify-sw-auth: the signer was built without a service or region.');\n}\n");
  },
};

function measure(/** @type {Uint8Array} */ bytes) {
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

async function workerBytes(/** @type {string[] | { offline: false }} */ variant) {
  const stubbed = Array.isArray(variant) ? variant : [];
  const offline = Array.isArray(variant) ? 'true' : 'false';
  const stubs = new Map(stubbed.map((p) => [join(root, 'sw', p), STUBS[/** @type {keyof typeof STUBS} */ (p)]]));
  const output = await build({
    configFile: false,
    root,
    logLevel: 'silent',
    // The build id is as long as a real one.
    define: { __AMPLIFY_SW_AUTH_BUILD_ID__: '"0.1.0+000000000000"', __AMPLIFY_SW_AUTH_TRACE__: 'false', __AMPLIFY_SW_AUTH_OFFLINE__: offline, 'process.env.NODE_ENV': '"production"' },
    plugins: [{ name: 'stub-modules', enforce: 'pre', load: (/** @type {string} */ id) => stubs.get(id.split('?')[0]) }, dropAws4fetchGuess],
    build: {
      write: false,
      outDir: '.tmp/bench/size-breakdown',
      emptyOutDir: false,
      minify: true,
      sourcemap: false,
      target: 'es2022',
      lib: { entry: join(root, 'sw/auth-worker.ts'), formats: ['iife'], fileName: () => 'worker.js', name: 'amplifySwAuth' },
      rolldownOptions: { external: [] },
    },
  });
  const results = Array.isArray(output) ? output : [output];
  const chunks = results.flatMap((r) => ('output' in r ? r.output : [])).filter((o) => o.type === 'chunk');
  return new TextEncoder().encode(chunks.map((c) => /** @type {{ code: string }} */ (c).code).join('\n'));
}

/** `{ [variant]: { raw, gzip, brotli, saves_raw, saves_gzip } }`: saves_* is full − variant. */
export async function sizeBreakdown() {
  /** @type {Record<string, { raw: number, gzip: number, brotli: number, saves_gzip: number, saves_raw: number }>} */
  const out = {};
  let full;
  for (const [name, stubbed] of Object.entries(VARIANTS)) {
    const m = measure(await workerBytes(stubbed));
    full ??= m;
    out[name] = { ...m, saves_raw: full.raw - m.raw, saves_gzip: full.gzip - m.gzip };
  }
  return { variants: out, aws4fetch_guess_dropped: guessDropped };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await sizeBreakdown();
  if (process.argv.includes('--json')) console.log(JSON.stringify(r, null, 2));
  else {
    console.log(`ready worker (sw/auth-worker.ts) in ${root}, bytes raw / gzip -9 / brotli 11, and what leaving modules out saves (gzip)`);
    if (!r.aws4fetch_guess_dropped) console.log("(aws4fetch's service guess is in: build.mjs's replacement did not match)");
    for (const [name, m] of Object.entries(r.variants)) console.log(`${String(m.raw).padStart(7)} ${String(m.gzip).padStart(7)} ${String(m.brotli).padStart(7)}  ${m.saves_gzip ? `−${m.saves_gzip}`.padStart(6) : '      '}  ${name}`);
  }
}
