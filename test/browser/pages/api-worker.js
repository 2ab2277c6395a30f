// A dedicated worker that calls APIs: its requests reach the service worker with its own client id,
// which has no bridge, so the service worker must ask a window instead.
self.onmessage = async ({ data: { urls, delayMs = 0, ping } }) => {
  if (ping) return self.postMessage('pong');
  await new Promise((r) => setTimeout(r, delayMs));
  const results = await Promise.all(
    urls.map(async (url) => {
      const started = performance.now();
      try {
        const response = await fetch(url);
        return { status: response.status, body: await response.json(), ms: performance.now() - started };
      } catch (error) {
        return { status: 0, error: String(error), ms: performance.now() - started };
      }
    }),
  );
  self.postMessage(results);
};
