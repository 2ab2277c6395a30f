// The Vite dev server behind `npm run demo` and the browser tests. It serves the repository root
// (demo/ and test/browser/pages/), the worker script from demo/public/ (put there by the package's
// own `amplify-sw-auth init`), the running emulators' config at /emulators.json, and the PWA demo's
// production build at /pwa/ (demo/pwa/serve.mjs, with its test-only network switch).
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createServer } from 'vite';
import { servePwa } from './pwa/serve.mjs';

const root = resolve(import.meta.dirname, '..');

/**
 * @param {{ config: object, port?: number, headers?: Record<string, string> }} options
 *   config: what /emulators.json answers (Cognito ids, API endpoint, users)
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export async function startDevServer({ config, port = 0, headers = {} }) {
  const server = await createServer({
    configFile: false,
    root,
    publicDir: resolve(root, 'demo/public'),
    logLevel: 'warn',
    clearScreen: false,
    // The pages import the built package, as an app would, not its sources.
    resolve: { alias: { 'amplify-sw-auth': resolve(root, 'dist/index.js') } },
    server: { host: 'localhost', port, strictPort: port !== 0, headers, hmr: false, watch: null },
    optimizeDeps: {
      // Crawl only the pages, and bundle Amplify (and the GraphQL clients of graphql-clients.html)
      // up front so a first page load never triggers a dependency re-optimisation and reload in
      // the middle of a test.
      entries: ['demo/index.html', 'test/browser/pages/*.html', 'test/browser/other/*.html'],
      include: [
        'aws-amplify', 'aws-amplify/auth', 'aws-amplify/auth/cognito', 'aws-amplify/api', 'aws-amplify/utils', '@aws-amplify/core', 'jose',
        '@apollo/client', '@apollo/client/errors', 'rxjs', '@urql/core', 'graphql-request', 'graphql',
      ],
    },
    plugins: [
      {
        name: 'emulator-config',
        configureServer(s) {
          s.middlewares.use(servePwa(headers));
          // Worker scripts are read at request time: tests write new versions while the server runs.
          s.middlewares.use((req, res, next) => {
            const path = new URL(req.url ?? '/', 'http://x').pathname;
            const file = resolve(root, 'demo/public', `.${path}`);
            if (!/^\/(?:[\w-]+\/)?amplify-auth-worker[\w.-]*\.js$/.test(path) || !existsSync(file)) return next();
            res.setHeader('content-type', 'text/javascript');
            res.setHeader('cache-control', 'no-cache');
            // A copy in a sub-folder (a test's baked allowlist) may still control the whole origin.
            res.setHeader('service-worker-allowed', '/');
            for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
            res.end(readFileSync(file));
          });
          s.middlewares.use('/emulators.json', (_req, res) => {
            res.setHeader('content-type', 'application/json');
            res.setHeader('cache-control', 'no-store');
            res.end(JSON.stringify(config));
          });
        },
      },
    ],
  });
  await server.listen();
  const address = server.httpServer?.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return { url: `http://localhost:${actualPort}`, close: () => server.close() };
}
