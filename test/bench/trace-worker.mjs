// The per-request cost breakdown needs timing marks inside the worker. They are meant to sit
// behind a build-time constant, __AMPLIFY_SW_AUTH_TRACE__ (false in every shipped build, so
// the minifier drops them). When sw/ has that hook, this builds a traced copy of the ready
// worker into .tmp/bench/ for the benchmark's `trace` page; until then it reports why not.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';
import { distBuildId } from './sizes.mjs';

const root = join(import.meta.dirname, '../..');
// To try a hook before it lands: a copy of the repository's sw/ (with src/ beside it).
const swDir = process.env.AMPLIFY_SW_AUTH_BENCH_SW_DIR ?? join(root, 'sw');
export const TRACE_FLAG = '__AMPLIFY_SW_AUTH_TRACE__';
export const TRACE_WORKER_URL = '/.tmp/bench/amplify-auth-worker.trace.js';

function swHasHook() {
  return readdirSync(swDir, { recursive: true })
    .filter((f) => String(f).endsWith('.ts'))
    .some((f) => readFileSync(join(swDir, String(f)), 'utf8').includes(TRACE_FLAG));
}

/** @returns {Promise<{ built: true } | { built: false, reason: string }>} */
export async function buildTraceWorker() {
  if (!swHasHook()) return { built: false, reason: `sw/ has no ${TRACE_FLAG} timing hook yet (see test/bench/README.md)` };
  await build({
    configFile: false,
    root,
    logLevel: 'silent',
    // Same defines as build.mjs's worker, plus the hook switched on.
    define: {
      __AMPLIFY_SW_AUTH_BUILD_ID__: JSON.stringify(distBuildId()),
      [TRACE_FLAG]: 'true',
      'process.env.NODE_ENV': '"production"',
    },
    build: {
      outDir: '.tmp/bench',
      emptyOutDir: false,
      minify: true,
      sourcemap: false,
      target: 'es2022',
      lib: { entry: join(swDir, 'auth-worker.ts'), formats: ['iife'], name: 'amplifySwAuth', fileName: () => 'amplify-auth-worker.trace.js' },
    },
  });
  return { built: true };
}
