import { describe, expect, it } from 'vitest';
import { call, emulators, needs, registered, signIn, useBrowser } from './harness';

describe('registerAuthWorker contract', () => {
  const { open } = useBrowser();

  it('rejects with a clear error when the worker script is missing', async () => {
    const page = await open();
    const error = await page.evaluate(() => (window as any).harness.register({ url: '/no-such-worker.js' }).then(() => null, (e: any) => ({ name: e.name, code: e.code, message: e.message })));
    expect(error).toMatchObject({ name: 'AuthWorkerError', code: 'register-failed' });
    expect(error!.message).toContain('/no-such-worker.js');
  });

  it('rejects a bad API config with the worker\'s reason, naming the API', async () => {
    const page = await open();
    const error = await page.evaluate(() =>
      (window as any).harness.register({ apis: { orders: { endpoint: '/relative/prod' } } }).then(() => null, (e: any) => ({ code: e.code, message: e.message })),
    );
    expect(error).toMatchObject({ code: 'config-rejected' });
    expect(error!.message).toContain('API "orders": endpoint "/relative/prod" is not an absolute URL');
  });

  it('a headers() that never answers: the request settles after bridgeTimeoutMs, unauthenticated, and an auth error is reported', async () => {
    const page = await open();
    const result = await page.evaluate(async () => {
      const h = (window as any).harness;
      await h.register({ bridgeTimeoutMs: 400, headers: () => new Promise(() => {}) });
      const started = performance.now();
      const answer = await h.call(h.apis.apikey.endpoint + '/x');
      const ms = performance.now() - started;
      return { answer, ms, errors: await h.waitForAuthErrors() };
    });
    expect(result.answer.status).toBe(403);
    expect(result.answer.body.seen.xApiKey).toBe(false);
    expect(result.ms).toBeGreaterThanOrEqual(350);
    expect(result.ms).toBeLessThan(5_000);
    expect(result.errors).toEqual([expect.objectContaining({ code: 'bridge-timeout', apiName: 'apikey', outcome: 'sent-unauthenticated' })]);
  });

  it('onBridgeFailure "error-response": a throwing headers() gives a 503 naming the problem', async () => {
    const page = await open();
    const result = await page.evaluate(async () => {
      const h = (window as any).harness;
      await h.register({
        onBridgeFailure: 'error-response',
        headers: ({ apiName }: { apiName: string }) => (apiName === 'custom' ? { Authorization: 42 } : {}),
      });
      return { custom: await h.call(h.apis.custom.endpoint + '/x'), iam: await h.call(h.apis.iam.endpoint + '/x'), errors: await h.waitForAuthErrors() };
    });
    expect(result.custom.status).toBe(503);
    expect(result.custom.body.message).toContain('returned number for header "Authorization"; header values must be strings');
    expect(result.iam.status).toBe(200);
    expect(result.errors[0]).toMatchObject({ code: 'bridge-error', apiName: 'custom', outcome: 'error-response' });
  });

  it('API.REST.defaultAuthMode "none": no credentials, nothing signed, headers() still applies (as in Amplify)', async () => {
    const page = await open();
    const result = await page.evaluate(async () => {
      const h = (window as any).harness;
      h.restOptions({ defaultAuthMode: 'none' });
      await h.register();
      return { iam: await h.call(h.apis.iam.endpoint + '/none'), apikey: await h.call(h.apis.apikey.endpoint + '/none') };
    });
    expect(result.iam.status).toBe(403);
    expect(result.iam.body.seen.authorization).toBe(false);
    expect(result.apikey.status).toBe(200);
    expect(result.apikey.body.seen.authorization).toBe(false);
  });

  it('keeps tokens and credentials out of IndexedDB and Cache Storage', async () => {
    const page = await registered(open);
    await signIn(page, 'alice');
    const answer = await call(page, 'idtoken');
    expect(answer.status).toBe(200);
    const secrets = await page.evaluate(async () => {
      const s = await (window as any).harness.fetchAuthSession();
      return [s.credentials.accessKeyId, s.credentials.secretAccessKey, s.credentials.sessionToken, s.tokens.idToken.toString()];
    });
    const stored = await page.evaluate(async () => {
      const dump: string[] = [];
      for (const { name } of await indexedDB.databases()) {
        const db = await new Promise<IDBDatabase>((r, j) => Object.assign(indexedDB.open(name!), { onsuccess: (e: any) => r(e.target.result), onerror: j }));
        for (const storeName of db.objectStoreNames) {
          const all = await new Promise<any[]>((r) => (db.transaction(storeName).objectStore(storeName).getAll().onsuccess = (e: any) => r(e.target.result)));
          dump.push(`${name}/${storeName}: ${JSON.stringify(all)}`);
        }
      }
      for (const key of await caches.keys()) dump.push(`cache ${key}`);
      return dump;
    });
    expect(stored.join('\n')).toContain(emulators().api.endpoint); // the config is there...
    for (const secret of secrets) expect(stored.join('\n')).not.toContain(secret); // ...and nothing else
  });

  needs('response-source')('never touches Cognito\'s own calls or no-cors requests, even to an API URL', async () => {
    const page = await registered(open);
    await signIn(page, 'alice');
    const cognito = page.responses.filter((r) => r.url.startsWith(emulators().cognito.endpoint));
    expect(cognito.length).toBeGreaterThan(0);
    expect(cognito.every((r) => !r.fromServiceWorker)).toBe(true);

    const url = `${emulators().api.endpoint}/iam/no-cors`;
    await page.evaluate((u) => fetch(u, { mode: 'no-cors' }).then(() => undefined), url);
    const log = await (await fetch(`${emulators().api.controlUrl}/log`)).json();
    const entry = log.entries.findLast((e: any) => e.path === '/prod/iam/no-cors');
    expect(entry.seen.authorization).toBe(false);
    expect(page.responses.filter((r) => r.url === url).map((r) => r.fromServiceWorker)).toEqual([false]);
  });

  it('unregister() removes the registration and the stored config', async () => {
    const page = await registered(open);
    expect((await call(page, 'iam')).status).toBe(200);
    const after = await page.evaluate(async () => {
      const ok = await (window as any).harness.worker().unregister();
      const regs = await navigator.serviceWorker.getRegistrations();
      const db = await new Promise<IDBDatabase>((r) => (indexedDB.open('amplify-sw-auth').onsuccess = (e: any) => r(e.target.result)));
      const rows = await new Promise<any[]>((r) => (db.transaction('config').objectStore('config').getAll().onsuccess = (e: any) => r(e.target.result)));
      return { ok, registrations: regs.length, rows };
    });
    expect(after).toEqual({ ok: true, registrations: 0, rows: [] });
  });
});
