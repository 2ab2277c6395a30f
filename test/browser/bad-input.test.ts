// Bad config and bad input: each gets an error naming the problem, never a crash of the worker,
// a hung request, or auth sent where it does not belong. (README: "Bad input" table.)
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TestPage } from './driver';
import { call, emulators, registered, useBrowser } from './harness';

const root = resolve(import.meta.dirname, '../..');

/** registerAuthWorker(options) in the page: its rejection as { code, message }, or null. */
function registerError(page: TestPage, options: Record<string, unknown>) {
  return page.evaluate((o) => (window as any).harness.register(o).then(() => null, (e: any) => ({ code: e.code, message: e.message })), options);
}

describe('bad config and input', () => {
  const { open } = useBrowser();

  it('no APIs at all: no-apis', async () => {
    const page = await open();
    const error = await registerError(page, { apis: {} });
    // A Gen2 app's REST APIs are in custom.API, which Amplify.configure() ignores: the message points at `outputs`.
    expect(error).toMatchObject({ code: 'no-apis', message: expect.stringContaining('no APIs to authorize') });
    expect(error.message).toContain('registerAuthWorker({ outputs })');
  });

  it.each([
    ['a non-http(s) scheme', { a: { endpoint: 'ftp://api.example.com/prod' } }, 'API "a": endpoint "ftp://api.example.com/prod" must use https (got ftp:)'],
    ['a missing endpoint', { a: { region: 'us-east-1' } }, 'API "a" has no `endpoint`'],
    ['duplicate endpoints', { a: { endpoint: 'https://api.example.com/prod' }, b: { endpoint: 'https://api.example.com/prod/' } }, 'APIs "a" and "b" have the same endpoint'],
  ])('%s is refused by the worker, and the previous config keeps working', async (_, apis, message) => {
    const page = await registered(open);
    expect(await registerError(page, { apis })).toMatchObject({ code: 'config-rejected', message: expect.stringContaining(message) });
    expect((await call(page, 'iam')).status).toBe(200);
  });

  it.each([
    ['bridgeTimeoutMs', { bridgeTimeoutMs: -5 }, '`bridgeTimeoutMs` must be a positive number of milliseconds'],
    ['onBridgeFailure', { onBridgeFailure: 'ignore' }, "`onBridgeFailure` must be one of 'send-unauthenticated', 'error-response'"],
  ])('an invalid %s is refused', async (_, options, message) => {
    const page = await open();
    expect(await registerError(page, options)).toMatchObject({ code: 'config-rejected', message: expect.stringContaining(message) });
  });

  it('a scope on another origin: register-failed', async () => {
    const page = await open();
    expect(await registerError(page, { scope: 'https://elsewhere.test/' })).toMatchObject({ code: 'register-failed' });
  });

  it('a page outside the scope: out-of-scope, naming both', async () => {
    const page = await open();
    const error = await registerError(page, { scope: '/demo/' });
    expect(error).toMatchObject({ code: 'out-of-scope' });
    expect(error!.message).toMatch(/this page \(.*harness\.html\) is outside the worker's scope \(.*\/demo\/\)/);
  });

  it('messages that are not ours, or not JSON-like, are ignored; the worker keeps working', async () => {
    const page = await registered(open);
    await page.evaluate(async () => {
      const worker = navigator.serviceWorker.controller!;
      worker.postMessage('hello');
      worker.postMessage(42);
      worker.postMessage(null);
      worker.postMessage(new Blob(['x']));
      worker.postMessage({ type: 'SKIP_WAITING' });
      worker.postMessage({ type: 'amplify-sw-auth/configure' }); // ours, no version, no port to answer on
      await new Promise((r) => setTimeout(r, 100));
    });
    expect((await call(page, 'iam')).status).toBe(200);
  });

  it('a message from an unknown protocol version gets an error naming both versions', async () => {
    const page = await registered(open);
    const reply = await page.evaluate(
      () =>
        new Promise<any>((resolve) => {
          const channel = new MessageChannel();
          channel.port1.onmessage = (e) => resolve(e.data);
          navigator.serviceWorker.controller!.postMessage({ type: 'amplify-sw-auth/configure', version: 99, apis: {} }, [channel.port2]);
        }),
    );
    expect(reply).toMatchObject({ ok: false, error: expect.stringContaining('the page speaks protocol version 99, this worker speaks 4') });
    expect((await call(page, 'iam')).status).toBe(200);
  });

  it('a session whose credentials expired: an auth error saying so (never the key id), the request sent unsigned', async () => {
    const page = await open();
    const result = await page.evaluate(async () => {
      const h = (window as any).harness;
      const stale = { accessKeyId: 'ASIAEXPIRED', secretAccessKey: 's', sessionToken: 't', expiration: new Date(Date.now() - 60_000) };
      await h.register({ fetchAuthSession: async () => ({ credentials: stale }) });
      return { answer: await h.call(h.apis.iam.endpoint + '/expired'), errors: await h.waitForAuthErrors() };
    });
    expect(result.answer.status).toBe(403);
    expect(result.answer.body.seen.authorization).toBe(false);
    expect(result.errors[0]).toMatchObject({ code: 'bridge-error', message: expect.stringContaining('identity-pool credentials expired at') });
    expect(result.errors[0].message).not.toContain('ASIAEXPIRED'); // key ids end up in telemetry
  });

  describe('an allowlist baked into the worker with `amplify-sw-auth init --allow`', () => {
    const dir = resolve(root, 'demo/public/allow');
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('refuses a page config outside it, naming the API; accepts one inside it', async () => {
      const api = emulators().api.endpoint;
      execFileSync(process.execPath, [resolve(root, 'dist/cli.js'), 'init', dir, '--allow', `${api}/iam`, '--allow', `${api}/idtoken`], { stdio: 'pipe' });
      const page = await open();
      const error = await registerError(page, { url: '/allow/amplify-auth-worker.js', scope: '/' });
      expect(error).toMatchObject({ code: 'config-rejected' });
      expect(error!.message).toMatch(/API "\w+" endpoint .* is not in this worker's allowedEndpoints .* add it to allowedEndpoints \(the ready script's: npx amplify-sw-auth init <publicDir> --allow <endpoint>\)/);
      const ok = await page.evaluate(async (url) => {
        const h = (window as any).harness;
        await h.register({ url, scope: '/', apis: { iam: h.apis.iam, idtoken: h.apis.idtoken } });
        return (await h.call(h.apis.iam.endpoint + '/allowed')).status;
      }, '/allow/amplify-auth-worker.js');
      expect(ok).toBe(200);
    });
  });
});
