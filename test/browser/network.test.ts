import { afterEach, describe, expect, it } from 'vitest';
import { call, emulators, needs, registered, signIn, useBrowser, type ApiAnswer } from './harness';
import type { TestPage } from './driver';
import { control, logged, setClock } from './emulator-control';

/** Registers the harness with extra APIs on the emulator's utility routes. */
function withRoutes(page: TestPage, routes: string[]) {
  return page.evaluate((routes) => {
    const h = (window as any).harness;
    const base = h.apis.iam.endpoint.replace(/\/iam$/, '');
    const extra = Object.fromEntries(routes.map((r: string) => [r, { endpoint: `${base}/${r}`, region: 'us-east-1' }]));
    h.apis = { ...h.apis, ...extra };
    return h.register({ apis: h.apis });
  }, routes);
}

describe('network semantics', () => {
  const { open } = useBrowser();
  afterEach(async () => {
    await setClock(0);
  });

  for (const minutes of [20, -20]) {
    it(`clock skew of ${minutes} min: the first request is retried once with the server's time, the next 10 need no retry`, async () => {
      const page = await registered(open);
      await setClock(minutes * 60_000);
      const tag = `/prod/iam/skew${minutes}`;
      const first = await call(page, 'iam', `/skew${minutes}/first`);
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      const firstLog = await logged(`${tag}/first`);
      expect(firstLog.map((e) => e.status)).toEqual([403, 200]);
      expect(firstLog[0].error).toBe('InvalidSignatureException');
      const next = await page.evaluate((p) => Promise.all(Array.from({ length: 10 }, (_, i) => (window as any).harness.call(`${(window as any).harness.apis.iam.endpoint}/skew${p}/next/${i}`))), minutes);
      expect(next.map((r: ApiAnswer) => r.status)).toEqual(Array(10).fill(200));
      expect((await logged(`${tag}/next/`)).map((e) => e.status)).toEqual(Array(10).fill(200));
    });
  }

  it('an expired user-pool token: one session refresh and one retry', async () => {
    const page = await registered(open);
    await signIn(page, 'alice');
    expect((await call(page, 'idtoken', '/fresh')).status).toBe(200);
    await control('/expire-tokens', { method: 'POST' });
    await new Promise((r) => setTimeout(r, 1_100)); // refreshed tokens must be issued in a later second
    const answer = await call(page, 'idtoken', '/expired', { method: 'POST', body: JSON.stringify({ replayed: true }), headers: { 'content-type': 'application/json' } });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.auth).toMatchObject({ type: 'idtoken', username: 'alice' });
    expect(answer.body.body.length).toBe(JSON.stringify({ replayed: true }).length);
    expect((await logged('/prod/idtoken/expired')).map((e) => e.status)).toEqual([401, 200]);
    // A token the page set itself is the page's business: no refresh, no retry.
    const own = await call(page, 'idtoken', '/own', { headers: { Authorization: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.c2ln' } });
    expect(own.status).toBe(401);
    expect((await logged('/prod/idtoken/own')).length).toBe(1);
  });

  it('a 401 that a refresh does not cure: one forced refresh per API per 30 s, not one per request', async () => {
    const page = await open();
    await page.evaluate(() => (window as any).harness.register({ headers: ({ apiName }: { apiName: string }) => (apiName === 'custom' ? { Authorization: 'revoked-custom-token' } : {}) }));
    for (const n of [1, 2, 3]) expect((await call(page, 'custom', `/revoked-${n}`)).status).toBe(401);
    expect((await logged('/prod/custom/revoked-1')).length).toBe(2); // refreshed once and replayed
    expect((await logged('/prod/custom/revoked-2')).length).toBe(1);
    expect((await logged('/prod/custom/revoked-3')).length).toBe(1);
  });

  it('a redirect to another origin never carries Authorization or x-amz-* headers: it is refused', async () => {
    const page = await open();
    await withRoutes(page, ['redirect']);
    const api = new URL(emulators().api.endpoint);
    const target = `${api.protocol}//127.0.0.1:${api.port}/prod/open/landing-${Date.now()}`;
    const result = await page.evaluate(async (target) => {
      const h = (window as any).harness;
      try {
        const r = await fetch(`${h.apis.redirect.endpoint}/go?to=${encodeURIComponent(target)}`);
        return { status: r.status };
      } catch (e) {
        return { error: String(e) };
      }
    }, target);
    expect(result).toEqual({ error: expect.stringContaining('TypeError') });
    const landed = await logged(new URL(target).pathname);
    expect(landed.filter((e) => e.seen.authorization || e.seen.xAmzDate || e.seen.xAmzSecurityToken || e.seen.xApiKey)).toEqual([]);
    // The redirect itself was signed and answered 302.
    expect((await logged('/prod/redirect/go')).map((e) => [e.status, e.seen.authorizationKind])).toEqual([[302, 'sigv4']]);
  });

  it('HEAD and OPTIONS requests are authorized; image loads of an API URL are not touched', async () => {
    const page = await registered(open);
    const result = await page.evaluate(async () => {
      const h = (window as any).harness;
      const head = await fetch(h.apis.iam.endpoint + '/head', { method: 'HEAD' });
      const options = await fetch(h.apis.iam.endpoint + '/options', { method: 'OPTIONS' });
      await new Promise((r) => {
        const img = new Image();
        img.onload = img.onerror = r;
        img.src = h.apis.iam.endpoint + '/image.png';
      });
      return { head: head.status, options: options.status };
    });
    expect(result.head).toBe(200);
    expect((await logged('/prod/iam/head'))[0]).toMatchObject({ status: 200, auth: { type: 'iam' } });
    // OPTIONS from page code: the browser's own preflight first, then the worker's signed request.
    expect(result.options).toBe(204);
    const options = ((await control('/log')).entries as any[]).filter((e) => e.path === '/prod/iam/options');
    expect(options.some((e) => e.seen.authorizationKind === 'sigv4')).toBe(true);
    const image = await logged('/prod/iam/image.png');
    expect(image.map((e) => [e.status, e.seen.authorization])).toEqual([[403, false]]);
  });

  needs('offline-emulation')('offline: an API request fails as the network error it would be without a worker; back online, the next one is authorized', async () => {
    const page = await registered(open);
    expect((await call(page, 'iam', '/before-offline')).status).toBe(200);
    await page.setOffline(true);
    const offline = await page.evaluate(() => fetch((window as any).harness.apis.iam.endpoint + '/offline').then((r) => `status ${r.status}`, (e: Error) => e.name));
    await page.setOffline(false);
    expect(offline).toBe('TypeError');
    const back = await call(page, 'iam', '/back-online');
    expect(back.status).toBe(200);
    expect(back.body.auth).toMatchObject({ type: 'iam' });
  });

  needs('keepalive-interception')('keepalive requests are authorized', async () => {
    const page = await registered(open);
    const keepalive = await page.evaluate(() => (window as any).harness.call((window as any).harness.apis.iam.endpoint + '/keepalive', { method: 'POST', body: 'bye', keepalive: true }));
    expect(keepalive.status).toBe(200);
    expect(keepalive.body.auth).toMatchObject({ type: 'iam' });
  });

  // Chromium 156 never signals FetchEvent.request.signal when the page aborts (w3c/ServiceWorker#1544,
  // specified by #1655): the worker passes that signal upstream, so the abort reaches the API only in
  // browsers that implement it. What holds everywhere: the page is released at once, and the worker
  // stays healthy.
  it('an AbortController abort releases the page at once; the worker hands the FetchEvent signal upstream', async () => {
    const page = await open();
    await withRoutes(page, ['slow']);
    const path = `/abort-${Date.now()}`;
    const result = await page.evaluate(async (path) => {
      const h = (window as any).harness;
      const controller = new AbortController();
      const started = performance.now();
      setTimeout(() => controller.abort(), 300);
      let error: string | null = null;
      try {
        await fetch(`${h.apis.slow.endpoint}${path}?ms=1500`, { signal: controller.signal });
      } catch (e: any) {
        error = e.name;
      }
      const ms = performance.now() - started;
      const next = await h.call(`${h.apis.iam.endpoint}/after-abort`);
      return { error, ms, next: next.status };
    }, path);
    expect(result.error).toBe('AbortError');
    expect(result.ms).toBeLessThan(1_000);
    expect(result.next).toBe(200);
    await new Promise((r) => setTimeout(r, 1_600));
    const upstream = await logged(`/prod/slow${path}`);
    expect(upstream).toHaveLength(1);
    expect(upstream[0].seen.authorizationKind).toBe('sigv4');
  });

  needs('request-streams')('a streamed (ReadableStream) upload is buffered by the worker and signed over its bytes', async () => {
    const page = await registered(open);
    const result = await page.evaluate(async () => {
      const h = (window as any).harness;
      const chunks = ['stream ', 'of ', 'chunks'];
      const body = new ReadableStream({
        pull(controller) {
          const next = chunks.shift();
          if (next === undefined) controller.close();
          else controller.enqueue(new TextEncoder().encode(next));
        },
      });
      try {
        return await h.call(h.apis.iam.endpoint + '/stream', { method: 'POST', body, duplex: 'half', headers: { 'content-type': 'text/plain' } });
      } catch (e) {
        return { status: 0, body: String(e) };
      }
    });
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    expect(result.body.auth).toMatchObject({ type: 'iam' });
    expect(result.body.body.length).toBe('stream of chunks'.length);
  });
});
