// The PWA demo (demo/pwa/): a Vite + vite-plugin-pwa (injectManifest) app whose own Workbox worker
// composes amplify-sw-auth with installAuthInterceptor(). Its production build, served at /pwa/.
import { afterEach, describe, expect, it } from 'vitest';
import { buildPwa } from '../../demo/pwa/build.mjs';
import type { TestPage } from './driver';
import { logged, setNetwork } from './emulator-control';
import { needs, pageUrl, useBrowser, type ApiAnswer } from './harness';

const pwaUrl = () => `${pageUrl()}/pwa/`;

/** The dev server's test-only switch (demo/pwa/serve.mjs): down, every request under /pwa/ has its connection destroyed. */
async function pwaNetwork(down: boolean) {
  const response = await fetch(`${pageUrl()}/__pwa/network`, { method: 'POST', body: JSON.stringify({ down }) });
  expect(await response.json()).toEqual({ down });
}

interface CallResult extends ApiAnswer {
  queued: string | null;
  cache: string | null;
}

/** window.pwa.call(): a plain fetch() to `path` under the API `api`, with the offline headers. */
const call = (page: TestPage, api: string, path: string, init?: RequestInit): Promise<CallResult> =>
  page.evaluate(({ api, path, init }) => (window as any).pwa.call(api, path, init), { api, path, init });

const post = (page: TestPage, api: string, path: string, body: unknown) => call(page, api, path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** Opens the PWA in a fresh profile; it has registered its worker once the page is ready. */
async function openPwa(open: (url: string) => Promise<TestPage>) {
  const page = await open(pwaUrl());
  expect(await page.evaluate(() => ({ state: (window as any).pwa.state, error: (window as any).pwa.error }))).toEqual({ state: 'ready', error: undefined });
  return page;
}

async function signIn(page: TestPage, username: string) {
  await page.evaluate((username) => (window as any).pwa.signIn(username), username);
}

/** The worker's route of the app's own (demo/pwa/sw.ts). */
const appRoute = (page: TestPage) => page.evaluate(() => (window as any).pwa.appRoute());

describe('the PWA demo: the app\'s own Workbox worker with installAuthInterceptor()', () => {
  const { open } = useBrowser();
  afterEach(async () => {
    await pwaNetwork(false);
  });

  it('its worker installs and controls the page, precaches the shell, authorizes API calls, and keeps the app\'s own route', async () => {
    const page = await openPwa(open);
    const worker = await page.evaluate(async () => {
      const registration = (window as any).pwa.worker().registration as ServiceWorkerRegistration;
      const precache = (await caches.keys()).find((name) => name.startsWith('workbox-precache'));
      const cached = precache ? (await (await caches.open(precache)).keys()).map((r) => new URL(r.url).pathname) : [];
      return { scope: registration.scope, controller: navigator.serviceWorker.controller?.scriptURL, cached };
    });
    expect(worker.scope).toBe(pwaUrl());
    expect(worker.controller).toBe(`${pwaUrl()}sw.js`);
    expect(worker.cached).toEqual(expect.arrayContaining(['/pwa/index.html', '/pwa/manifest.webmanifest', '/pwa/icon.svg']));
    expect(worker.cached.some((path) => /^\/pwa\/assets\/index-.+\.js$/.test(path))).toBe(true);

    const guest = await call(page, 'iam', '/items/pwa-guest');
    expect(guest.status, JSON.stringify(guest.body)).toBe(200);
    expect(guest.body.auth).toMatchObject({ type: 'iam', role: 'guest' });

    await signIn(page, 'alice');
    const iam = await call(page, 'iam', '/items/pwa-alice');
    expect(iam.status, JSON.stringify(iam.body)).toBe(200);
    expect(iam.body.auth).toMatchObject({ type: 'iam', username: 'alice' });
    const idtoken = await call(page, 'idtoken', '/items/pwa-alice');
    expect(idtoken.status, JSON.stringify(idtoken.body)).toBe(200);
    expect(idtoken.body.auth).toMatchObject({ type: 'idtoken', username: 'alice' });
    expect((await logged('/prod/iam/items/pwa-alice')).map((e) => e.seen.authorizationKind)).toEqual(['sigv4']);

    expect(await appRoute(page)).toMatchObject({ status: 200, body: { answeredBy: 'pwa-worker', build: '1' } });
  });

  it('a new build of the worker takes over at once (installAuthInterceptor owns skipWaiting and clients.claim): the open page keeps being authorized, and after a reload registerAuthWorker() resolves on it', async () => {
    const page = await openPwa(open);
    await signIn(page, 'alice');
    await buildPwa({ build: '2' });
    try {
      const controllers = await page.evaluate(async () => {
        const before = navigator.serviceWorker.controller;
        const changed = new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
        await (window as any).pwa.worker().registration.update();
        await changed;
        return { replaced: navigator.serviceWorker.controller !== before, waiting: (window as any).pwa.worker().registration.waiting };
      });
      expect(controllers).toEqual({ replaced: true, waiting: null });
      expect(await appRoute(page)).toMatchObject({ status: 200, body: { build: '2' } });
      const answer = await call(page, 'iam', '/items/pwa-updated');
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body.auth).toMatchObject({ type: 'iam', username: 'alice' });

      await page.reload();
      expect(await page.evaluate(() => (window as any).pwa.state)).toBe('ready');
      expect(await appRoute(page)).toMatchObject({ status: 200, body: { build: '2' } });
      expect((await call(page, 'idtoken', '/items/pwa-updated')).body.auth).toMatchObject({ type: 'idtoken', username: 'alice' });
    } finally {
      await buildPwa();
    }
  });

  it('the shell loads offline: with /pwa/ cut on the server, reloading and deep links render the precached shell, and registerAuthWorker() resolves', async () => {
    const page = await openPwa(open);
    await pwaNetwork(true);
    await expect(fetch(pwaUrl())).rejects.toThrow();

    await page.reload(); // waits for the page to be ready again: registerAuthWorker() settled
    expect(await page.evaluate(() => ({ state: (window as any).pwa.state, error: (window as any).pwa.error, title: document.querySelector('h1')?.textContent }))).toEqual({
      state: 'ready',
      error: undefined,
      title: 'amplify-sw-auth PWA demo',
    });
    // Any navigation in scope gets the shell (the worker's NavigationRoute), not only the start URL.
    await page.goto(`${pwaUrl()}some/deep/link?x=1`);
    expect(await page.evaluate(() => ({ state: (window as any).pwa.state, path: location.pathname }))).toEqual({ state: 'ready', path: '/pwa/some/deep/link' });

    // The composed worker still does both jobs with its origin cut.
    const answer = await call(page, 'iam', '/items/pwa-shell-offline');
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.auth).toMatchObject({ type: 'iam', role: 'guest' });
    expect(await appRoute(page)).toMatchObject({ status: 200, body: { answeredBy: 'pwa-worker' } });
  });

  needs('stop-worker')('after the browser stops the worker, the restarted worker answers the app\'s own route (with /pwa/ cut) and authorizes API calls', async () => {
    const page = await openPwa(open);
    await signIn(page, 'alice');
    // Settles the worker's questions about alice's session (WebKit cannot stop a worker whose page has requests in flight).
    expect((await call(page, 'iam', '/items/pwa-before-stop')).status).toBe(200);
    await pwaNetwork(true);
    await page.stopWorkers();
    // Its first fetch event comes before any page has told it which URLs are APIs: a non-API
    // request must still reach the app's route, not the network.
    expect(await appRoute(page)).toMatchObject({ status: 200, body: { answeredBy: 'pwa-worker' } });
    const answer = await call(page, 'iam', '/items/pwa-restarted');
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.auth).toMatchObject({ type: 'iam', username: 'alice' });
  });

  // Issue 12's offline features, inside this composed worker (installAuthInterceptor({ offline })).
  // useBrowser() puts the API back up after each test.
  describe('offline features in the composed worker', () => {
    it('a mutation made while the API is cut is queued (202, x-amplify-sw-auth-queued), listed as pending, and replayNow() delivers it signed', async () => {
      const page = await openPwa(open);
      await signIn(page, 'alice');
      const path = `/items/pwa-queued-${Date.now()}`;
      await setNetwork({ api: 'down' });
      const queued = await post(page, 'iam', path, { offline: true });
      expect(queued.status, JSON.stringify(queued.body)).toBe(202);
      expect(queued.queued).toMatch(/.+/);
      const pending = await page.evaluate(() => (window as any).pwa.pending());
      expect(pending).toEqual([expect.objectContaining({ id: queued.queued, method: 'POST', url: expect.stringContaining(`/iam${path}`), held: false })]);
      await page.evaluate((id) => new Promise<void>((resolve) => {
        const seen = () => (window as any).pwa.events.some((e: any) => e.type === 'queued' && e.id === id);
        const t = setInterval(() => seen() && (clearInterval(t), resolve()), 20);
      }), queued.queued);

      await setNetwork({ api: 'up' });
      expect(await page.evaluate(() => (window as any).pwa.replayNow())).toEqual({ replayed: 1, failed: 0, held: 0 });
      const delivered = await logged(`/prod/iam${path}`);
      expect(delivered.map((e) => [e.status, e.seen.authorizationKind, e.auth?.username])).toEqual([[200, 'sigv4', 'alice']]);
      expect(await page.evaluate(() => (window as any).pwa.pending())).toEqual([]);
    });

    it('a GET answered online is served from the read cache while the API is cut, marked x-amplify-sw-auth-cache: hit', async () => {
      const page = await openPwa(open);
      await signIn(page, 'alice');
      const path = `/items/pwa-cached-${Date.now()}`;
      const online = await call(page, 'iam', path);
      expect(online.status, JSON.stringify(online.body)).toBe(200);
      expect(online.cache).not.toBe('hit');

      await setNetwork({ api: 'down' });
      const offline = await call(page, 'iam', path);
      expect(offline.status).toBe(200);
      expect(offline.cache).toBe('hit');
      expect(offline.body).toEqual(online.body);
    });
  });
});
