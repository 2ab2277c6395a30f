import { describe, expect, it } from 'vitest';
import { call, emulators, pageUrl, registered, useBrowser } from './harness';

describe('which requests the worker touches', () => {
  const { open } = useBrowser();

  it('leaves non-API requests alone: no respondWith, no auth headers', async () => {
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
