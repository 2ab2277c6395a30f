// The do-nothing worker the benchmark compares against: every request goes through
// respondWith(fetch(request)), so it measures only the service-worker hop.
self.addEventListener('install', (event) => {
  // The floor for a request a controlled page makes that skips the worker: the Static Routing
  // API sends /open/bypass/ straight to the network (scenario non-api-static-floor).
  if (typeof event.addRoutes === 'function') event.waitUntil(event.addRoutes([{ condition: { urlPattern: { protocol: '*', hostname: '*', port: '*', pathname: '/prod/open/bypass/*' } }, source: 'network' }]));
  self.skipWaiting();
});
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('fetch', (event) => {
  boot ??= performance.now();
  event.respondWith(fetch(event.request));
});
// For the cold-start comparison: when this instance's first fetch event came, after its time
// origin (the same `boot` our traced worker reports). Asked only after the timed request.
let boot;
self.addEventListener('message', (event) => {
  if (event.data?.type === 'amplify-sw-auth/trace') event.ports[0]?.postMessage({ ok: true, version: 1, trace: { cold: { boot } } });
});
