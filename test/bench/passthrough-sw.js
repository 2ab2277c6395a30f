// The do-nothing worker the benchmark compares against: every request goes through
// respondWith(fetch(request)), so it measures only the service-worker hop.
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('fetch', (event) => event.respondWith(fetch(event.request)));
