// Builds the PWA demo (production, so the worker's precache manifest is the real one) into
// PWA_OUT. One function for `npm run demo` and the browser tests' global setup.
import { build } from 'vite';
import config, { PWA_OUT } from './vite.config.mjs';

export { PWA_BASE, PWA_OUT } from './vite.config.mjs';

/**
 * Builds dist/ of the PWA; needs the package's own dist/ (npm run build) first. `build` names the
 * worker's build (its app route answers it): another value makes a new worker version, for tests.
 */
export async function buildPwa({ build: id } = {}) {
  const define = id === undefined ? config.define : { ...config.define, __PWA_BUILD__: JSON.stringify(id) };
  await build({ ...config, define, configFile: false });
  return PWA_OUT;
}
