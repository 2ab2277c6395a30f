// Builds the PWA demo (production, so the worker's precache manifest is the real one) into
// PWA_OUT. One function for `npm run demo` and the browser tests' global setup.
import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { build } from 'vite';
import config, { PWA_OUT } from './vite.config.mjs';

export { PWA_BASE, PWA_OUT } from './vite.config.mjs';

const STAGING = resolve(import.meta.dirname, '../../.tmp/pwa-build');

/**
 * Builds dist/ of the PWA; needs the package's own dist/ (npm run build) first. `build` names the
 * worker's build (its app route answers it): another value makes a new worker version, for tests.
 */
export async function buildPwa({ build: id } = {}) {
  const define = id === undefined ? config.define : { ...config.define, __PWA_BUILD__: JSON.stringify(id) };
  await build({ ...config, define, configFile: false, build: { ...config.build, outDir: STAGING, emptyOutDir: true } });
  publish(STAGING, PWA_OUT);
  return PWA_OUT;
}

/**
 * Moves the new build over the served one as a deploy would, file by file with atomic renames and
 * sw.js last: the browser may check for a new worker at any moment (Firefox does after each
 * navigation), and must never get a missing or half-written script, nor a precache manifest that
 * names files not there yet. Then drops what the new build no longer has.
 */
function publish(from, to) {
  const files = readdirSync(from, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(from.length + 1));
  const last = (file) => (file === 'sw.js' ? 1 : 0);
  for (const file of files.sort((a, b) => last(a) - last(b))) {
    mkdirSync(dirname(join(to, file)), { recursive: true });
    renameSync(join(from, file), join(to, file));
  }
  const kept = new Set(files);
  for (const entry of readdirSync(to, { recursive: true, withFileTypes: true })) {
    const file = join(entry.parentPath, entry.name).slice(to.length + 1);
    if (entry.isFile() && !kept.has(file)) rmSync(join(to, file));
  }
  rmSync(from, { recursive: true, force: true });
}
