import { describe, expect, it } from 'vitest';
import { harnessUrl, needs, registered, signIn, useBrowser } from './harness';

describe('the bridge', () => {
  const { open } = useBrowser();

  it('requests from a dedicated worker are authorized through its window\'s bridge', async () => {
    const page = await registered(open);
    await signIn(page, 'alice');
    const results = await page.evaluate(async () => {
      const h = (window as any).harness;
      const worker = new Worker('/test/browser/pages/api-worker.js');
      const done = new Promise<any[]>((r) => (worker.onmessage = (e) => r(e.data)));
      worker.postMessage({ urls: [h.apis.iamAuth.endpoint + '/from-worker', h.apis.idtoken.endpoint + '/from-worker'] });
      return done;
    });
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    expect(results[0].body.auth).toMatchObject({ type: 'iam', username: 'alice' });
    expect(results[1].body.auth).toMatchObject({ type: 'idtoken', username: 'alice' });
  });

  needs('worker-fetch-while-page-blocked')('a page whose main thread is blocked for 10 s: requests settle after bridgeTimeoutMs, not 10 s', async () => {
    const page = await open();
    await page.evaluate(() => (window as any).harness.register({ bridgeTimeoutMs: 1000 }));
    const results = await page.evaluate(async () => {
      const h = (window as any).harness;
      const worker = new Worker('/test/browser/pages/api-worker.js');
      // Starting a worker needs this thread: make sure it runs before the thread is blocked.
      await new Promise((r) => {
        worker.onmessage = r;
        worker.postMessage({ ping: true });
      });
      const done = new Promise<any[]>((r) => (worker.onmessage = (e) => r(e.data)));
      // The worker waits 200 ms, by then this thread is stuck for 10 s; its cold requests need the bridge.
      worker.postMessage({ urls: Array.from({ length: 5 }, (_, i) => `${h.apis.iam.endpoint}/blocked/${i}`), delayMs: 200 });
      setTimeout(() => {
        const end = Date.now() + 10_000;
        while (Date.now() < end);
      }, 0);
      return done;
    });
    for (const r of results) {
      expect(r.status).toBe(403); // sent unauthenticated, the documented default
      expect(r.ms).toBeGreaterThan(900);
      expect(r.ms).toBeLessThan(4000);
    }
    const errors = await page.evaluate(() => (window as any).harness.waitForAuthErrors());
    expect(errors.some((e: any) => e.code === 'bridge-timeout' && e.outcome === 'sent-unauthenticated')).toBe(true);
  }, 30_000);

  it('fetchAuthSession() that throws: the request goes out unsigned, as Amplify sends it', async () => {
    const page = await open();
    const result = await page.evaluate(async () => {
      const h = (window as any).harness;
      await h.register({ fetchAuthSession: async () => Promise.reject(new Error('identity pool unreachable')) });
      return { iam: await h.call(h.apis.iam.endpoint + '/x'), apikey: await h.call(h.apis.apikey.endpoint + '/x') };
    });
    expect(result.iam.status).toBe(403);
    expect(result.iam.body.seen.authorization).toBe(false);
    expect(result.apikey.status).toBe(200); // the headers() part still applies
  });

  it('3 tabs, 1,000 requests, sign-out midway: after sign-out resolves no request carries the old identity, none hangs', async () => {
    const first = await registered(open);
    await signIn(first, 'alice');
    const tabs = [first, await first.openTab(harnessUrl()), await first.openTab(harnessUrl())];
    for (const tab of tabs.slice(1)) await tab.evaluate(() => (window as any).harness.register());
    for (const tab of tabs) {
      await tab.evaluate(() => {
        (window as any).sessionEvents = [];
        (window as any).harness.worker().onSessionChange((reason: string) => (window as any).sessionEvents.push(reason));
      });
    }
    // Each tab fires its share in waves of 10 concurrent requests, recording start and end on the shared clock.
    const run = (tab: (typeof tabs)[number], n: number) =>
      tab.evaluate(async (n) => {
        const h = (window as any).harness;
        const out: { start: number; end: number; status: number; who: string | undefined }[] = [];
        for (let i = 0; i < n; i += 10) {
          await Promise.all(
            Array.from({ length: Math.min(10, n - i) }, async (_, j) => {
              const start = performance.timeOrigin + performance.now();
              const guard = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('hung')), 15_000));
              const r: any = await Promise.race([h.call(`${h.apis.iam.endpoint}/tab/${i + j}`), guard]).catch((e) => ({ status: 0, body: { error: String(e) } }));
              out.push({ start, end: performance.timeOrigin + performance.now(), status: r.status, who: r.body?.auth?.username ?? r.body?.auth?.role });
            }),
          );
        }
        return out;
      }, n);
    const running = [run(tabs[0], 334), run(tabs[1], 333), run(tabs[2], 333)];
    await new Promise((r) => setTimeout(r, 400));
    const signedOutAt = await tabs[0].evaluate(async () => {
      await (window as any).harness.signOut();
      return performance.timeOrigin + performance.now();
    });
    const all = (await Promise.all(running)).flat();
    const after = all.filter((r) => r.start > signedOutAt);
    const wrong = after.filter((r) => r.who === 'alice');
    const failed = all.filter((r) => r.status !== 200);
    const hung = all.filter((r) => r.status === 0);
    console.log(`3 tabs: ${all.length} requests, ${failed.length} failed, ${hung.length} hung, ${all.filter((r) => r.start <= signedOutAt).length} before sign-out resolved, ${after.length} after, ${wrong.length} of those with the old identity`);
    expect(all).toHaveLength(1000);
    expect(after.length).toBeGreaterThan(100);
    expect(all.filter((r) => r.start <= signedOutAt && r.who === 'alice').length).toBeGreaterThan(0);
    expect(wrong).toEqual([]);
    expect(failed).toEqual([]);
    // The other tabs heard of the sign-out, although Amplify's Hub only fires in the first.
    for (const tab of tabs.slice(1)) {
      const heard = await tab.evaluate(async () => {
        await (window as any).harness.until(() => (window as any).sessionEvents.includes('signedOut'));
        return (window as any).sessionEvents;
      });
      expect(heard).toContain('signedOut');
    }
  }, 60_000);
});
