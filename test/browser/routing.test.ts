import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { call, emulators, needs, pageUrl, registered, signIn, useBrowser } from './harness';

describe('which requests the worker touches', () => {
  const { open } = useBrowser();

  needs('response-source')('leaves non-API requests alone: no respondWith, no auth headers', async () => {
    const page = await registered(open);
    const apiOrigin = new URL(emulators().api.endpoint).origin;
    const urls = [`${pageUrl()}/emulators.json?probe`, `${apiOrigin}/other/path`, `${apiOrigin}/prod`];
    const results = await page.evaluate((urls) => Promise.all(urls.map((u) => (window as any).harness.call(u))), urls);
    expect(results[0].status).toBe(200);
    for (const { body } of results.slice(1)) {
      expect(body.seen).toMatchObject({ authorization: false, xApiKey: false, xAmzDate: false, xAmzSecurityToken: false });
    }
    // An API request in the same page is answered by the worker; the others are not.
    await call(page, 'iam');
    const fromWorker = (u: string) => page.responses.filter((r) => r.url === u).map((r) => r.fromServiceWorker);
    for (const u of urls) expect(fromWorker(u), u).toEqual([false]);
    expect(page.responses.some((r) => r.url.startsWith(emulators().api.endpoint + '/iam/') && r.fromServiceWorker)).toBe(true);
  });

  it('gives lookalike URLs no auth: another host name for the same server, a prefix off the segment boundary', async () => {
    const page = await registered(open);
    const api = new URL(emulators().api.endpoint);
    const lookalikes = [
      `${api.protocol}//127.0.0.1:${api.port}${api.pathname}/iam/items/1`, // same server, other origin
      `${api.origin}${api.pathname}/iam-evil/items/1`, // /prod/iam vs /prod/iam-evil
      `${api.origin}${api.pathname}/apikeys/items/1`, // /prod/apikey vs /prod/apikeys
    ];
    const results = await page.evaluate((urls) => Promise.all(urls.map((u) => (window as any).harness.call(u))), lookalikes);
    for (const [i, { body }] of results.entries()) {
      expect(body.seen, lookalikes[i]).toMatchObject({ authorization: false, xApiKey: false, xAmzDate: false, xAmzSecurityToken: false });
      expect(body.auth, lookalikes[i]).toBeNull();
    }
    expect(await page.evaluate(() => (window as any).harness.bridgeRequests())).toBe(0);
  });

  it('50 concurrent requests on a cold cache cause one bridge round trip', async () => {
    const page = await registered(open);
    const results = await page.evaluate(async () => {
      const h = (window as any).harness;
      const before = h.bridgeRequests();
      const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => h.call(`${h.apis.iam.endpoint}/items/${i}`)));
      return { before, after: h.bridgeRequests(), statuses: answers.map((a: any) => a.status), roles: answers.map((a: any) => a.body.auth?.role) };
    });
    expect(results.before).toBe(0);
    expect(results.statuses).toEqual(Array(50).fill(200));
    expect(new Set(results.roles)).toEqual(new Set(['guest']));
    expect(results.after).toBe(1);
  });
});

describe('static routes (Chromium\'s Static Routing API), with an allowlist baked by the CLI', () => {
  const { open } = useBrowser();
  const dir = resolve(import.meta.dirname, '../../demo/public/static-routes');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  needs('static-routing')('non-API requests skip the worker entirely; API requests and the sign-out beacon still reach it', async () => {
    const api = emulators().api.endpoint;
    execFileSync(process.execPath, [resolve(import.meta.dirname, '../../dist/cli.js'), 'init', dir, '--allow', `${api}/iam`, '--allow', `${api}/idtoken`], { stdio: 'pipe' });
    const page = await open();
    await page.evaluate(async () => {
      const h = (window as any).harness;
      await h.register({ url: '/static-routes/amplify-auth-worker.js', scope: '/', apis: { iam: h.apis.iam, idtoken: h.apis.idtoken } });
      performance.setResourceTimingBufferSize(10_000);
    });
    await signIn(page, 'alice');
    const timing = await page.evaluate(async () => {
      const h = (window as any).harness;
      const urls = { api: `${h.apis.iam.endpoint}/routed`, other: `${h.apis.open.endpoint}/routed`, sameOrigin: '/emulators.json?routed' };
      for (const url of Object.values(urls)) await (await fetch(url)).text();
      await new Promise((r) => setTimeout(r, 50));
      const source = (url: string) => (performance.getEntriesByName(new URL(url, location.href).href)[0] as any)?.workerMatchedSourceType;
      return Object.fromEntries(Object.entries(urls).map(([k, url]) => [k, source(url)]));
    });
    // '' = the fetch listener handled it; 'network' = the browser's router sent it past the worker.
    expect(timing).toEqual({ api: '', other: 'network', sameOrigin: 'network' });
    const [iam, idtoken] = await page.evaluate(async () => {
      const h = (window as any).harness;
      await h.signOut();
      return Promise.all([h.call(h.apis.iam.endpoint + '/after'), h.call(h.apis.idtoken.endpoint + '/after')]);
    });
    expect(iam.body.auth).toMatchObject({ role: 'guest' });
    expect(idtoken.status).toBe(401);
    expect(idtoken.body.seen.authorizationKind).toBe('sigv4');
  });
});
