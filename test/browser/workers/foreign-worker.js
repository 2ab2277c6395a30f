// Another service worker of the same origin, at another scope: a push SDK, say, that imports
// third-party script. It looks for our pages among the windows it does not control and asks them
// for auth material in our protocol; the security tests read back what it got.
let got = [];

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('message', (event) => {
  const port = event.ports[0];
  if (event.data === 'probe') event.waitUntil(probe().then(() => port.postMessage(got)));
});

async function probe() {
  got = [];
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const questions = [];
  for (const client of windows) {
    for (const version of [1, 2, 3, 4]) {
      for (const apiName of [undefined, 'iam', 'idtoken']) {
        questions.push(
          new Promise((resolve) => {
            const channel = new MessageChannel();
            channel.port1.onmessage = ({ data }) => {
              got.push({ url: client.url, apiName, version, reply: data });
              resolve();
            };
            client.postMessage({ type: 'amplify-sw-auth/material', version, sessionEpoch: 'x:0', ...(apiName && { apiName }) }, [channel.port2]);
            setTimeout(resolve, 1500);
          }),
        );
      }
    }
    // And a forged session change, which would make the page reset Amplify's credentials.
    client.postMessage({ type: 'amplify-sw-auth/session-changed', version: 4, reason: 'signedOut' });
  }
  await Promise.all(questions);
}
