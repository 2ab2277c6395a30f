/// <reference lib="webworker" />
// The PWA's own service worker, as vite-plugin-pwa (injectManifest) builds it: Workbox precaching,
// an offline shell and routes of the app's own, with amplify-sw-auth composed in by one call.
//
// Order: the app's routes first, installAuthInterceptor() last. Fetch listeners run in the order
// they were added, and the first one to call respondWith() ends the dispatch (the spec's
// respondWith stops propagation), so nothing is ever answered twice. Workbox's router answers only
// what its routes match, so every API request falls through to the interceptor. The other order
// loses the app's routes for a moment after each worker start: until a page or the stored config
// has told the interceptor which URLs are APIs, it must claim every fetch()/XHR request it might
// have to authorize, and sends the ones that are not APIs to the network, where the app's route
// would have answered (offline: a failure).
// The rule this order asks for: no route of the app's may match a configured API URL (no
// setDefaultHandler, no runtime caching of API URLs: that is `offline.cache`, per identity).
import { installAuthInterceptor } from 'amplify-sw-auth/sw';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute, type PrecacheEntry } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { NetworkFirst } from 'workbox-strategies';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (string | PrecacheEntry)[] };
/** This worker's build (demo/pwa/build.mjs). */
declare const __PWA_BUILD__: string;

// The app shell: every built file, and index.html for any navigation in scope, so the app opens
// with its server unreachable.
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html')));

// A route of the app's own, answered by this worker: proof that composing keeps the app's routes.
const appRoute = new URL('app-route', self.location.href).pathname;
registerRoute(
  ({ url, sameOrigin }) => sameOrigin && url.pathname === appRoute,
  async () => new Response(JSON.stringify({ answeredBy: 'pwa-worker', build: __PWA_BUILD__ }), { headers: { 'content-type': 'application/json' } }),
);

// The app's runtime config (the emulators' endpoints), kept for starts without a network.
registerRoute(({ url, sameOrigin }) => sameOrigin && url.pathname === '/emulators.json', new NetworkFirst({ cacheName: 'pwa-config' }));

// The interceptor also owns the lifecycle: skipWaiting and clients.claim stay on (its defaults),
// because registerAuthWorker() resolves only once the newest worker controls the page. This file
// must not call skipWaiting() or clientsClaim() itself, nor offer a "reload to update" prompt.
// `offline` is the default for pages that do not pass their own (this app's page passes the same).
installAuthInterceptor({ offline: { queue: true, cache: true } });
