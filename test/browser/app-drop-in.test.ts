// Issue 13's third way in: a page with no build step adds the drop-in's two script tags and one
// call, and its existing XHR and fetch code, which it cannot change, is authorized.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TestPage } from './driver';
import { emulators, useBrowser } from './harness';
import { requestCount, requestsSince, servedApp, sha256 } from './apps/app-test-kit';

const { open } = useBrowser();
const served = servedApp('drop-in');

type Legacy = 'getItems' | 'postForm' | 'postJson';
const CALLS: { call: Legacy; method: string; path: string; contentType: string | null }[] = [
  { call: 'getItems', method: 'GET', path: '/prod/iam/items', contentType: null },
  { call: 'postForm', method: 'POST', path: '/prod/iam/orders', contentType: 'application/x-www-form-urlencoded; charset=UTF-8' },
  { call: 'postJson', method: 'POST', path: '/prod/iam/orders', contentType: 'application/json' },
];

/** Runs the page's own XHR GET, form XHR POST and JSON fetch, and checks each was signed over its exact body as `auth`. */
async function expectLegacyCallsSignedAs(page: TestPage, auth: Record<string, string>) {
  for (const { call, method, path, contentType } of CALLS) {
    const before = await requestCount();
    const result = await page.evaluate((call) => (window as any).legacy[call](), call);
    const answer = JSON.parse(result.body);
    expect(result.status, call).toBe(200);
    expect(answer, call).toMatchObject({ method, path, auth, body: { length: Buffer.byteLength(result.sent), sha256: sha256(result.sent), contentType } });
    expect((await requestsSince(before)).map((r) => `${r.method} ${r.path} ${r.status}`), call).toEqual([`${method} ${path} 200`]);
  }
}

describe('the no-bundler drop-in on a plain HTML page', () => {
  it('the page\'s own XHR GET, jQuery-style form POST and JSON fetch are signed, as the guest, then as alice', async () => {
    const page = await open(`${served.url}/`);
    await expectLegacyCallsSignedAs(page, { type: 'iam', role: 'guest' });
    const alice = emulators().cognito.users.find((u) => u.username === 'alice')!;
    // The emulator's app client allows USER_PASSWORD_AUTH only (no SRP).
    expect(await page.evaluate(({ username, password }) => (window as any).amplifySwAuth.signIn({ username, password, options: { authFlowType: 'USER_PASSWORD_AUTH' } }).then((r: any) => String(r.isSignedIn)), alice)).toBe('true');
    await expectLegacyCallsSignedAs(page, { type: 'iam', role: 'authenticated', username: 'alice' });
  });

  it('given Gen2 outputs as they are, configure() remembers custom.API: registerAuthWorker() needs no options, and the worker routes that API', async () => {
    const page = await open(`${served.url}/gen2.html`, { waitFor: 'body[data-ready], body[data-failed]' });
    // Amplify.configure() drops custom.API, so without configure()'s memory this is `no-apis`.
    expect(await page.evaluate(() => document.body.dataset.failed ?? 'registered')).toBe('registered');
    const before = await requestCount();
    // Routed, the worker applies the mode and strips the header; unrouted, the header would reach the
    // API (its preflight names it, and the API's CORS refuses it).
    expect(await page.evaluate(() => (window as any).legacy.getPublic())).toEqual({ status: 403 });
    const [request, ...more] = await requestsSince(before);
    expect(more).toEqual([]);
    expect(request).toMatchObject({ method: 'GET', path: '/prod/iam/public', status: 403, seen: { authorization: false } });
    expect(request.seen.headerNames).not.toContain('x-amplify-auth-mode');
  });

  it('its folder is the pages, the drop-in copied from the package and the workers `amplify-sw-auth init` copied: no build step', () => {
    expect(readdirSync(served.app.site).sort()).toEqual(['amplify-auth-worker-offline.js', 'amplify-auth-worker.js', 'amplify-sw-auth.iife.js', 'gen2.html', 'index.html']);
    for (const file of ['index.html', 'gen2.html']) {
      const page = readFileSync(join(served.app.site, file), 'utf8');
      expect(page.match(/<script\b[^>]*>/g), file).toEqual(['<script src="/amplify-sw-auth.iife.js">', '<script>', '<script>']);
    }
    for (const name of ['amplify-sw-auth.iife.js', 'amplify-auth-worker.js']) {
      expect(readFileSync(join(served.app.site, name)).equals(readFileSync(join(served.app.root, 'node_modules/amplify-sw-auth/dist', name))), name).toBe(true);
    }
  });
});
