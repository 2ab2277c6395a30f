import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { call, harnessUrl, needs, registered, signIn, useBrowser } from './harness';

const publicDir = resolve(import.meta.dirname, '../../demo/public');

describe('worker lifecycle', () => {
  const { open } = useBrowser();

  needs('hard-reload')('a hard-reloaded page (not controlled) is claimed again by registerAuthWorker()', async () => {
    const page = await registered(open);
    await page.hardReload();
    expect(await page.evaluate(() => navigator.serviceWorker.controller)).toBeNull();
    await page.evaluate(() => (window as any).harness.register());
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    const { status, body } = await call(page, 'iam');
    expect(status).toBe(200);
    expect(body.auth).toMatchObject({ type: 'iam', role: 'guest' });
  });

  it('after the browser stops the idle worker, the next request restarts it, and one answer from the page brings back config and material', async () => {
    const page = await registered(open);
    expect((await call(page, 'iam')).status).toBe(200);
    await page.stopWorkers();
    const asked = await page.evaluate(() => (window as any).harness.bridgeLog.length);
    const { status, body } = await call(page, 'iamApikey');
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.auth).toMatchObject({ type: 'iam', role: 'guest' });
    expect(body.apiKey).toBe(true);
    // Starting up, the restarted worker asked this page once for every API's material and its config.
    expect(await page.evaluate((n) => (window as any).harness.bridgeLog.slice(n), asked)).toEqual(['*']);
    expect((await call(page, 'idtoken')).status).toBe(401); // not signed in: no token, and no new question
    expect(await page.evaluate((n) => (window as any).harness.bridgeLog.slice(n), asked)).toEqual(['*']);
  });

  it('after a restart with no bridged page open, the stored config still routes requests, with its stored settings', async () => {
    const first = await registered(open, { onBridgeFailure: 'error-response', bridgeTimeoutMs: 300 });
    // In scope, so controlled, but it never calls registerAuthWorker(): it runs no bridge.
    const plain = await first.openTab(harnessUrl());
    expect(await plain.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await first.closeTab();
    await plain.stopWorkers();
    // The restarted worker's question to the open page goes unanswered, so only the stored config
    // can tell it this URL is an API: then no page supplies material and the stored policy answers.
    // Unrouted, the request would reach the API unsigned and get its 403.
    const { status, body } = await call(plain, 'iam');
    expect(status, JSON.stringify(body)).toBe(503);
    expect(String(body.message)).toMatch(/did not answer with auth material .* Raise bridgeTimeoutMs if its fetchAuthSession\(\) or headers\(\) is slow; a page answers only once it has called registerAuthWorker\(\)/);
  });

  it('after a restart, a sign-out in one tab still reaches the other tab, and its next request is the guest', async () => {
    const first = await registered(open);
    await signIn(first, 'alice');
    const second = await first.openTab(harnessUrl());
    await second.evaluate(async () => {
      await (window as any).harness.register();
      (window as any).events = [];
      (window as any).harness.worker().onSessionChange((reason: string) => (window as any).events.push(reason));
    });
    expect((await call(second, 'iam')).body.auth).toMatchObject({ username: 'alice' });
    await first.stopWorkers();
    await first.evaluate(() => (window as any).harness.signOut());
    const heard = await second.evaluate(async () => {
      await (window as any).harness.until(() => (window as any).events.includes('signedOut'));
      return (window as any).events;
    });
    expect(heard).toContain('signedOut');
    const after = await call(second, 'iam');
    expect(after.status).toBe(200);
    expect(after.body.auth).toMatchObject({ role: 'guest' });
  });

  needs('forced-stop-worker')('stopping the worker while 100 requests are in flight: none fails, none goes out unauthorized', async () => {
    const page = await open();
    await page.evaluate(() => {
      const h = (window as any).harness;
      return h.register({ apis: { ...h.apis, slow: { endpoint: h.apis.iam.endpoint.replace(/\/iam$/, '/slow'), region: 'us-east-1' } } });
    });
    // Warm: the material is cached, so the stop hits requests between worker and API.
    await page.evaluate(() => (window as any).harness.call((window as any).harness.apis.iam.endpoint + '/warm'));
    const pending = page.evaluate(() => {
      const h = (window as any).harness;
      const base = h.apis.iam.endpoint.replace(/\/iam$/, '/slow');
      (window as any).inFlight = Promise.all(
        Array.from({ length: 100 }, (_, i) => h.call(`${base}/${i}?ms=${100 + (i % 5) * 25}`).catch((e: unknown) => ({ status: 0, body: String(e) }))),
      );
    });
    await pending;
    await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now();
    await page.stopWorkers();
    const t1 = Date.now();
    const results: { status: number; body: any }[] = await page.evaluate(() => (window as any).inFlight);
    console.log(`stop took ${t1 - t0} ms, results after ${Date.now() - t0} ms`);
    const failed = results.filter((r) => r.status !== 200);
    const unauthorized = results.filter((r) => r.body?.seen?.authorizationKind !== 'sigv4');
    console.log(`in-flight stop: 100 requests, ${failed.length} failed, ${unauthorized.length} unauthorized`);
    expect(failed).toEqual([]);
    expect(unauthorized).toEqual([]);
  });

  describe('a new worker version', () => {
    const next = resolve(publicDir, 'amplify-auth-worker-next.js');
    afterAll(() => rmSync(next, { force: true }));

    it('takes over without a reload, the page warns of the build mismatch, requests stay authorized', async () => {
      const page = await registered(open);
      expect((await call(page, 'iam')).status).toBe(200);
      // The same worker as another build: only its build id differs.
      const source = readFileSync(resolve(publicDir, 'amplify-auth-worker.js'), 'utf8');
      const build = /\d+\.\d+\.\d+\+[0-9a-f]{12}/.exec(source)![0];
      writeFileSync(next, source.replaceAll(build, '9.9.9+000000000000'));
      const marker = await page.evaluate(async () => {
        (window as any).marker = 'still here';
        const changed = new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
        await (window as any).harness.register({ url: '/amplify-auth-worker-next.js' });
        await changed;
        return navigator.serviceWorker.controller!.scriptURL;
      });
      expect(marker).toMatch(/amplify-auth-worker-next\.js$/);
      expect(await page.evaluate(() => (window as any).marker)).toBe('still here');
      expect(page.logs.some((l) => l.includes('worker runs 9.9.9+000000000000'))).toBe(true);
      const { status, body } = await call(page, 'iam');
      expect(status).toBe(200);
      expect(body.auth).toMatchObject({ type: 'iam' });
    });
  });
});
