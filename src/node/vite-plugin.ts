/**
 * `amplify-sw-auth/vite`: the ready worker scripts as part of the app's Vite build, so there is no
 * copy step to forget after an upgrade. Vite plugin conventions: `configureServer` middleware in
 * dev, `generateBundle` to emit (https://vite.dev/guide/api-plugin).
 * @module amplify-sw-auth/vite
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';
import { graphqlApiFromOutputs } from '../graphql-api';
import { restApisFromOutputs, type AmplifyOutputsLike } from '../outputs-apis';
import { endpointProblem, readyWorkerSource, WORKER_SCRIPTS, type WorkerScript } from './ready-worker';

export type { AmplifyOutputsLike } from '../outputs-apis';

/** Options of {@link amplifySwAuth}. */
export interface AmplifySwAuthPluginOptions {
  /**
   * Endpoints the worker may authorize: pages can then only configure APIs at or under these
   * (exact origin, path prefix on a segment boundary), whatever a script on the page asks for.
   * Default: none baked in, unless `outputs` names APIs.
   */
  allow?: string[];
  /** The parsed `amplify_outputs.json` of a Gen2 backend: its `custom.API` endpoints and its `data` URL join `allow`. */
  outputs?: AmplifyOutputsLike;
}

/**
 * Serves `amplify-auth-worker.js` and `amplify-auth-worker-offline.js` from the installed package
 * in dev, and emits them into the build, at the app's base URL (`/` by default: the default `url`
 * of registerAuthWorker()). The allowlist from `allow` and `outputs` is baked into both.
 */
export function amplifySwAuth(options: AmplifySwAuthPluginOptions = {}): Plugin {
  const allow = allowlist(options);
  let base = '/';
  let ssr = false;
  return {
    name: 'amplify-sw-auth',
    configResolved(config) {
      base = config.base.endsWith('/') ? config.base : `${config.base}/`;
      ssr = Boolean(config.build.ssr);
      // Vite copies public/ over the build output: an old hand-made copy there would win.
      const stale = WORKER_SCRIPTS.filter((name) => config.publicDir && existsSync(join(config.publicDir, name)));
      if (stale.length > 0) config.logger.warn(`amplify-sw-auth: ${stale.join(' and ')} in ${config.publicDir} is a stale copy the plugin now provides; delete it.`);
    },
    configureServer(server) {
      // Added directly, so it runs before Vite's own static and public-folder middlewares.
      server.middlewares.use((req, res, next) => {
        const name = scriptAt(new URL(req.url ?? '/', 'http://vite.invalid').pathname, base);
        if (name === undefined) return next();
        res.setHeader('content-type', 'text/javascript');
        // Browsers check a worker script for updates on every navigation when it is not cached.
        res.setHeader('cache-control', 'no-cache');
        res.end(readyWorkerSource(name, allow));
      });
    },
    generateBundle() {
      // The scripts are browser files: an SSR or server build gets none (Vite 6+ environments; older `build.ssr`).
      if (ssr || (this as { environment?: { config?: { consumer?: string } } }).environment?.config?.consumer === 'server') return;
      for (const name of WORKER_SCRIPTS) this.emitFile({ type: 'asset', fileName: name, source: readyWorkerSource(name, allow) });
    },
  };
}

function scriptAt(path: string, base: string): WorkerScript | undefined {
  return WORKER_SCRIPTS.find((name) => path === `${base}${name}`);
}

function allowlist({ allow = [], outputs }: AmplifySwAuthPluginOptions): string[] {
  if (!Array.isArray(allow)) throw new Error('amplify-sw-auth/vite: `allow` must be an array of endpoint URLs.');
  let fromOutputs: string[] = [];
  if (outputs !== undefined) {
    try {
      const graphql = graphqlApiFromOutputs(outputs);
      fromOutputs = [...Object.values(restApisFromOutputs(outputs)).map((api) => api.endpoint), ...(graphql ? [graphql.config.endpoint] : [])];
    } catch (error) {
      throw new Error(`amplify-sw-auth/vite: ${(error as Error).message}`);
    }
  }
  const all = [...new Set([...allow, ...fromOutputs])];
  for (const endpoint of all) {
    const problem = typeof endpoint === 'string' ? endpointProblem(endpoint) : 'not a string.';
    if (problem) throw new Error(`amplify-sw-auth/vite: allowed endpoint ${String(endpoint)}: ${problem}`);
  }
  return all;
}
