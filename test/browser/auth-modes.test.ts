import { describe, expect, it } from 'vitest';
import { call, emulators, registered, signIn, useBrowser } from './harness';

describe('every Amplify REST auth mode, through plain fetch', () => {
  const { open } = useBrowser();

  it('guest IAM GET is signed with the guest identity (and is refused without the worker)', async () => {
    const page = await open();
    const before = await call(page, 'iam');
    expect(before.status).toBe(403);
    expect(before.body.auth).toBeNull();

    await page.evaluate(() => (window as any).harness.register());
    const { status, body } = await call(page, 'iam');
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.auth).toMatchObject({ type: 'iam', role: 'guest' });
    const guestId = await page.evaluate(async () => (await (window as any).harness.fetchAuthSession()).identityId);
    expect(body.auth!.identityId).toBe(guestId);
  });

  it('signed-in IAM POST with JSON is signed with the authenticated identity over the exact body', async () => {
    const page = await registered(open);
    await signIn(page, 'alice');
    const json = JSON.stringify({ hello: 'world', n: 42, ü: 'ñ' });
    const { status, body } = await call(page, 'iamAuth', '/items', { method: 'POST', body: json, headers: { 'Content-Type': 'application/json' } });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.auth).toMatchObject({ type: 'iam', role: 'authenticated', username: 'alice' });
    expect(body.body.length).toBe(new TextEncoder().encode(json).length);
    expect(body.body.contentType).toBe('application/json');
  });

  it('FormData upload under IAM signs the multipart bytes (Amplify\'s own client sends UNSIGNED-PAYLOAD and is refused)', async () => {
    const page = await registered(open);
    const result = await page.evaluate(async () => {
      const h = (window as any).harness;
      const form = () => {
        const f = new FormData();
        f.append('note', 'hello');
        f.append('file', new Blob([new Uint8Array(4096).map((_, i) => i % 251)], { type: 'application/octet-stream' }), 'data.bin');
        return f;
      };
      const viaWorker = await h.call(h.apis.iam.endpoint + '/upload', { method: 'POST', body: form() });
      let amplifyStatus: number;
      try {
        amplifyStatus = (await h.amplify.post({ apiName: 'iam', path: '/upload', options: { body: form() } }).response).statusCode;
      } catch (error: any) {
        amplifyStatus = error?.response?.statusCode ?? -1;
      }
      return { viaWorker, amplifyStatus };
    });
    expect(result.viaWorker.status, JSON.stringify(result.viaWorker.body)).toBe(200);
    expect(result.viaWorker.body.auth).toMatchObject({ type: 'iam', role: 'guest' });
    expect(result.viaWorker.body.body.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(result.viaWorker.body.body.length).toBeGreaterThan(4096);
    expect(result.amplifyStatus).toBe(403);
  });

  it('signs every body kind over the bytes actually sent: string, URLSearchParams, Blob, ArrayBuffer, typed array', async () => {
    const page = await registered(open);
    const results = await page.evaluate(async () => {
      const h = (window as any).harness;
      const bodies: Record<string, () => BodyInit> = {
        string: () => 'plain text ✓',
        urlsearchparams: () => new URLSearchParams({ a: '1', b: 'two words' }),
        blob: () => new Blob(['blob ', 'parts'], { type: 'text/x-custom' }),
        arraybuffer: () => new Uint8Array([1, 2, 3, 0, 255]).buffer,
        typedarray: () => new Uint16Array([1, 2, 65535]),
      };
      const out: Record<string, any> = {};
      for (const [kind, body] of Object.entries(bodies)) out[kind] = await h.call(h.apis.iam.endpoint + '/bodies', { method: 'PUT', body: body() });
      return out;
    });
    for (const [kind, { status, body }] of Object.entries(results)) {
      expect(status, `${kind}: ${JSON.stringify(body)}`).toBe(200);
      expect(body.auth?.type, kind).toBe('iam');
      expect(body.body.length, kind).toBeGreaterThan(0);
    }
    expect(results.urlsearchparams.body.body.contentType).toBe('application/x-www-form-urlencoded;charset=UTF-8');
    expect(results.blob.body.body.contentType).toBe('text/x-custom');
  });

  it('API key from the headers function, alone and together with IAM', async () => {
    const page = await registered(open);
    const alone = await call(page, 'apikey');
    expect(alone.status, JSON.stringify(alone.body)).toBe(200);
    expect(alone.body.auth).toMatchObject({ type: 'apikey' });
    expect(alone.body.apiKey).toBe(true);
    // Guest credentials exist, so Amplify signs too (x-api-key does not stop signing); this route ignores it.
    expect(alone.body.seen.authorizationKind).toBe('sigv4');

    const both = await call(page, 'iamApikey');
    expect(both.status, JSON.stringify(both.body)).toBe(200);
    expect(both.body.auth).toMatchObject({ type: 'iam', role: 'guest' });
    expect(both.body.apiKey).toBe(true);
  });

  it.each([
    ['id', 'alice', 'idtoken'],
    ['access', 'bob', 'accesstoken'],
  ] as const)('Cognito user pool %s token from the headers function', async (_, username, route) => {
    const page = await registered(open);
    await signIn(page, username);
    const { status, body } = await call(page, route);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.auth).toMatchObject({ type: route, username });
  });

  it('custom token from the headers function', async () => {
    const page = await registered(open);
    const { status, body } = await call(page, 'custom');
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.auth).toMatchObject({ type: 'custom', principal: 'alice' });
  });

  it('a per-request Authorization header wins on that one DELETE only', async () => {
    const page = await registered(open);
    const [bobToken] = Object.entries(emulators().api.customTokens).find(([, who]) => who === 'bob')!;
    const overridden = await call(page, 'custom', '/items/1', { method: 'DELETE', headers: { authorization: bobToken } });
    expect(overridden.status, JSON.stringify(overridden.body)).toBe(200);
    expect(overridden.body.auth).toMatchObject({ type: 'custom', principal: 'bob' });
    const next = await call(page, 'custom', '/items/1', { method: 'DELETE' });
    expect(next.body.auth).toMatchObject({ type: 'custom', principal: 'alice' });
    // On an IAM API, an explicit Authorization also stops signing (Amplify: no signing when authorization is set).
    const iam = await call(page, 'iam', '/items/1', { method: 'DELETE', headers: { Authorization: 'not-a-signature' } });
    expect(iam.status).toBe(403);
    expect(iam.body.seen.xAmzDate).toBe(false);
  });

  it('XHR from a legacy classic script is authorized', async () => {
    const page = await registered(open);
    await signIn(page, 'alice');
    const result = await page.evaluate(
      (url) =>
        new Promise<any>((resolve) => {
          (window as any).legacyDone = resolve;
          const script = document.createElement('script');
          script.textContent = `
            var xhr = new XMLHttpRequest();
            xhr.open('POST', ${JSON.stringify(url)});
            xhr.setRequestHeader('Content-Type', 'application/json');
            xhr.onload = function () { window.legacyDone({ status: xhr.status, body: JSON.parse(xhr.responseText) }); };
            xhr.send(JSON.stringify({ from: 'legacy' }));`;
          document.body.append(script);
        }),
      (await page.evaluate(() => (window as any).harness.apis.iamAuth.endpoint)) + '/legacy',
    );
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    expect(result.body.auth).toMatchObject({ type: 'iam', role: 'authenticated', username: 'alice' });
  });

  it('Amplify\'s own get and post still work under the worker (presigned requests pass through)', async () => {
    const page = await registered(open);
    await signIn(page, 'alice');
    const result = await page.evaluate(async () => {
      const h = (window as any).harness;
      const got = await (await h.amplify.get({ apiName: 'iamAuth', path: '/items/1' }).response).body.json();
      const posted = await (await h.amplify.post({ apiName: 'idtoken', path: '/items', options: { body: { a: 1 } } }).response).body.json();
      return { got, posted };
    });
    expect(result.got.auth).toMatchObject({ type: 'iam', role: 'authenticated', username: 'alice' });
    expect(result.posted.auth).toMatchObject({ type: 'idtoken', username: 'alice' });
  });
});
