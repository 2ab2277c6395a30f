// The PWA demo's Vite config: the app, and its own service worker built by vite-plugin-pwa in
// injectManifest mode (sw.ts, with Workbox's precache manifest injected at build time).
// Build with demo/pwa/build.mjs (npm run demo and the browser tests do), or
// `npx vite build -c demo/pwa/vite.config.mjs` after `npm run build`.
import { resolve } from 'node:path';
import { VitePWA } from 'vite-plugin-pwa';

const here = import.meta.dirname;
const root = resolve(here, '../..');

/** Where the PWA lives on the dev server; its worker's scope. */
export const PWA_BASE = '/pwa/';
/** The production build the dev server serves at PWA_BASE (gitignored). */
export const PWA_OUT = resolve(here, 'dist');

export default {
  root: here,
  // Names the worker's build in its own route's answer; the tests build a second one to update to.
  define: { __PWA_BUILD__: JSON.stringify('1') },
  base: PWA_BASE,
  logLevel: 'warn',
  clearScreen: false,
  // The app and its worker import the built package, as an app would (vite-plugin-pwa builds the
  // worker with this same `resolve`).
  resolve: {
    alias: [
      { find: /^amplify-sw-auth\/sw$/, replacement: resolve(root, 'dist/sw.js') },
      { find: /^amplify-sw-auth$/, replacement: resolve(root, 'dist/index.js') },
    ],
  },
  // Unminified: a readable worker in the browser's devtools, and a faster build at test start-up.
  build: { outDir: PWA_OUT, emptyOutDir: true, target: 'es2022', minify: false },
  plugins: [
    VitePWA({
      strategies: 'injectManifest',
      srcDir: '.',
      filename: 'sw.ts',
      // registerAuthWorker() registers this worker itself, at PWA_BASE + 'sw.js'; a second
      // registration script from the plugin would only race it.
      injectRegister: false,
      manifest: {
        name: 'amplify-sw-auth PWA demo',
        short_name: 'sw-auth PWA',
        description: 'An offline-capable Amplify app whose own Workbox worker authorizes its API calls with amplify-sw-auth.',
        start_url: PWA_BASE,
        scope: PWA_BASE,
        display: 'standalone',
        theme_color: '#1f6feb',
        background_color: '#ffffff',
        icons: [{ src: 'icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
      },
      injectManifest: {
        // A classic script: registerAuthWorker() registers without `type: 'module'`.
        rollupFormat: 'iife',
        minify: false,
        // aws-amplify makes the app bundle larger than Workbox's 2 MiB default.
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        // The plugin takes the worker's NODE_ENV from the environment, which is 'test' under
        // vitest: that would keep Workbox's development logging and assertions in the worker.
        buildPlugins: { vite: [{ name: 'pwa-worker-production', config: () => ({ define: { 'process.env.NODE_ENV': '"production"' } }) }] },
      },
    }),
  ],
};
