// The attack surface in one file: each test plays an attacker of the README's threat model, or a
// race an attacker would use, against the real worker, Amplify and emulators.
import { afterEach, describe, expect, it } from 'vitest';
import type { TestPage } from './driver';
import { control, logged, setClock } from './emulator-control';
import { call, harnessUrl, needs, pageUrl, registered, signIn, useBrowser } from './harness';


/** A tab with its own signed-in user (Amplify's per-tab sessionStorage token storage). */
async function perTabSession(open: (url?: string) => Promise<TestPage>, from: TestPage | undefined, username: string): Promise<TestPage> {
  const url = `${harnessUrl()}?storage=session`;
  const tab = from ? await from.openTab(url) : await open(url);
  await tab.evaluate(() => (window as any).harness.register());
  await signIn(tab, username);
  return tab;
}

/** `n` rounds of one request to each of `apis`, from this tab; what the API saw of each. */
function requests(tab: TestPage, apis: string[], n: number) {
  return tab.evaluate(
    async ({ apis, n }) => {
      const h = (window as any).harness;
      const seen: { api: string; status: number; username?: string; tenant?: string | null }[] = [];
      for (let i = 0; i < n; i++) {
        await Promise.all(
          apis.map(async (api) => {
            const r = await h.call(`${h.apis[api].endpoint}/round/${i}`);
            seen.push({ api, status: r.status, username: r.body?.auth?.username, tenant: r.body?.seen?.tenant });
          }),
        );
      }
      return seen;
    },
    { apis, n },
  );
}

describe('identity: a request carries the material of the page that made it', () => {
  const { open } = useBrowser();

  it('two tabs with per-tab sessions, alice and bob: 200 interleaved requests each, to an IAM and an id-token route, none as the other', async () => {
    const alice = await perTabSession(open, undefined, 'alice');
    const bob = await perTabSession(open, alice, 'bob');
    const [fromAlice, fromBob] = await Promise.all([requests(alice, ['iamAuth', 'idtoken'], 100), requests(bob, ['iamAuth', 'idtoken'], 100)]);
    expect(fromAlice).toHaveLength(200);
    expect(fromBob).toHaveLength(200);
    expect(fromAlice.filter((r) => r.status !== 200 || r.username !== 'alice')).toEqual([]);
    expect(fromBob.filter((r) => r.status !== 200 || r.username !== 'bob')).toEqual([]);
  });

  it('two tabs whose headers() return a different x-tenant: 200 interleaved requests each, none with the other tab\'s tenant', async () => {
    const withTenant = (tab: TestPage, tenant: string) =>
      tab.evaluate((tenant) => {
        const h = (window as any).harness;
        return h.register({ headers: async ({ apiName }: { apiName: string }) => ({ ...(await h.headers({ apiName })), 'x-tenant': tenant }) });
      }, tenant);
    const a = await open();
    await withTenant(a, 'tenant-a');
    const b = await a.openTab(harnessUrl());
    await withTenant(b, 'tenant-b');
    const [fromA, fromB] = await Promise.all([requests(a, ['iam', 'apikey'], 100), requests(b, ['iam', 'apikey'], 100)]);
    expect(fromA.filter((r) => r.status !== 200 || r.tenant !== 'tenant-a')).toEqual([]);
    expect(fromB.filter((r) => r.status !== 200 || r.tenant !== 'tenant-b')).toEqual([]);
  });

  it('a dedicated worker\'s request while the open pages hold different users: no identity (ambiguous-identity), never one tab\'s', async () => {
    const alice = await perTabSession(open, undefined, 'alice');
    await perTabSession(open, alice, 'bob');
    const [result] = await alice.evaluate(async () => {
      const h = (window as any).harness;
      const worker = new Worker('/test/browser/pages/api-worker.js');
      const done = new Promise<any[]>((r) => (worker.onmessage = (e) => r(e.data)));
      worker.postMessage({ urls: [h.apis.iamAuth.endpoint + '/from-worker'] });
      return done;
    });
    expect(result.status).toBe(403);
    expect(result.body.seen.authorization).toBe(false);
    const errors = await alice.evaluate(() => (window as any).harness.waitForAuthErrors());
    expect(errors.map((e: any) => [e.code, e.outcome])).toContainEqual(['ambiguous-identity', 'sent-unauthenticated']);
  });
});

describe('only our worker hears the bridge', () => {
  const { open } = useBrowser();

  it('another service worker of the origin, at another scope, asks the page for material: no answer, no secret, and its forged session change is ignored', async () => {
    const page = await registered(open);
    await signIn(page, 'alice');
    const got = await page.evaluate(async () => {
      const h = (window as any).harness;
      (window as any).sessionEvents = [];
      h.worker().onSessionChange((reason: string) => (window as any).sessionEvents.push(reason));
      const foreign = await navigator.serviceWorker.register('/foreign/amplify-auth-worker-foreign.js', { scope: '/foreign/' });
      const worker = foreign.installing ?? foreign.waiting ?? foreign.active!;
      await new Promise<void>((resolve) => (worker.state === 'activated' ? resolve() : worker.addEventListener('statechange', () => worker.state === 'activated' && resolve())));
      const channel = new MessageChannel();
      const replies = new Promise<any[]>((resolve) => (channel.port1.onmessage = (e) => resolve(e.data)));
      worker.postMessage('probe', [channel.port2]);
      return replies;
    });
    const session = await page.evaluate(async () => {
      const s = await (window as any).harness.fetchAuthSession();
      return { accessKeyId: s.credentials.accessKeyId, secretAccessKey: s.credentials.secretAccessKey, idToken: s.tokens.idToken.toString() };
    });
    expect(got).toEqual([]);
    for (const secret of Object.values(session)) expect(JSON.stringify(got)).not.toContain(secret);
    await new Promise((r) => setTimeout(r, 300));
    expect(await page.evaluate(() => (window as any).sessionEvents)).toEqual([]);
  });
});

describe('the session beacon', () => {
  const { open } = useBrowser();

  needs('response-source')('a navigation to the beacon URL from another site, with an app worker that has no static routes: no tab hears it, no material is dropped', async () => {
    const page = await registered(open, { url: '/amplify-auth-worker-bare.js' });
    await page.evaluate(() => {
      (window as any).sessionEvents = [];
      (window as any).harness.worker().onSessionChange((reason: string) => (window as any).sessionEvents.push(reason));
    });
    expect((await call(page, 'iam', '/before')).status).toBe(200);
    const asked = await page.evaluate(() => (window as any).harness.bridgeRequests());
    const beacon = `${pageUrl()}/__amplify-sw-auth__/session-changed?reason=signedOut`;
    // Pages of another origin: a link and a form post to the beacon URL, as a user would follow them.
    const attackerPage = `data:text/html,<a id="link" href="${beacon}">x</a><form id="form" method="post" action="${beacon}"></form>`;
    const statuses: number[] = [];
    for (const how of ['link', 'form']) {
      const attacker = await page.openTab(attackerPage, { waitFor: '' });
      const arrived = attacker.waitForResponse(beacon);
      await attacker.evaluate((how) => (how === 'link' ? (document.getElementById('link') as HTMLAnchorElement).click() : (document.getElementById('form') as HTMLFormElement).submit()), how);
      statuses.push(await arrived);
    }
    expect(statuses).not.toContain(204); // the worker's own answer to a beacon
    await new Promise((r) => setTimeout(r, 300));
    expect(await page.evaluate(() => (window as any).sessionEvents)).toEqual([]);
    expect((await call(page, 'iam', '/after')).status).toBe(200);
    expect(await page.evaluate(() => (window as any).harness.bridgeRequests())).toBe(asked);
  });
});

describe('a retry goes out under the identity of its first attempt, else never', () => {
  const { open } = useBrowser();
  afterEach(async () => {
    await setClock(0);
  });

  /** A page signed in as alice, and her POST to `api` that the API keeps waiting `authDelayMs`. */
  async function alicePosts(api: string, path: string, authDelayMs: number, before?: () => Promise<unknown>) {
    const page = await registered(open);
    await signIn(page, 'alice');
    expect((await call(page, api, '/warm')).body.auth).toMatchObject({ username: 'alice' });
    await before?.();
    const url = `${path}?authDelayMs=${authDelayMs}`;
    const pending = page.evaluate(({ api, url }) => (window as any).harness.call(`${(window as any).harness.apis[api].endpoint}${url}`, { method: 'POST', body: '{"by":"alice"}', headers: { 'content-type': 'application/json' } }), { api, url });
    return { page, pending };
  }
  async function becomeBob(page: TestPage, afterMs: number) {
    await new Promise((r) => setTimeout(r, afterMs));
    await page.evaluate(() => (window as any).harness.signOut());
    await signIn(page, 'bob');
  }

  it('a 401 from the authorizer (expired token) while the page signs out and in as bob: the body never reaches the API as bob', async () => {
    const path = `/switch-${Date.now()}`;
    const { page, pending } = await alicePosts('idtoken', path, 3000, () => control('/expire-tokens', { method: 'POST' }));
    await becomeBob(page, 1_200); // bob's tokens are issued after the expiry, so they are valid
    expect((await pending).status).toBe(401);
    const log = await logged(`/prod/idtoken${path}`);
    expect(log.map((e) => [e.status, e.auth?.username ?? null])).toEqual([[401, null]]);
  });

  it('a clock-skew refusal while the page switches to bob: not replayed as bob', async () => {
    const path = `/skew-switch-${Date.now()}`;
    const { page, pending } = await alicePosts('iamAuth', path, 2500, () => setClock(20 * 60_000));
    await becomeBob(page, 800);
    expect((await pending).status).toBe(403);
    const log = await logged(`/prod/iam-auth${path}`);
    expect(log.map((e) => [e.status, e.error, e.auth?.username ?? null])).toEqual([[403, 'InvalidSignatureException', null]]);
  });

  it('a 401 from the backend itself (no x-amzn-ErrorType: it may have acted) is never replayed', async () => {
    const path = `/backend-401-${Date.now()}`;
    const page = await registered(open);
    await signIn(page, 'alice');
    const answer = await call(page, 'idtoken', `${path}?respond=401`, { method: 'POST', body: '{"once":true}', headers: { 'content-type': 'application/json' } });
    expect(answer.status).toBe(401);
    expect((await logged(`/prod/idtoken${path}`)).map((e) => e.auth?.username)).toEqual(['alice']);
  });
});

describe('paths that leave the API once decoded', () => {
  const { open } = useBrowser();

  it('..%2F, %2e%2e%5C, double-encoded and ..; segments get no auth and an auth error naming them; %2F inside a segment is signed', async () => {
    const page = await registered(open);
    const escapes = ['/..%2Fiam-auth/x', '/%2e%2e%5Ciam-auth/y', '/..%252Fiam-auth/z', '/..;/iam-auth/w'];
    for (const path of escapes) {
      const answer = await call(page, 'iam', path);
      expect(answer.body.seen.authorization, path).toBe(false);
    }
    const errors = await page.evaluate(() => (window as any).harness.waitForAuthErrors(4));
    expect(errors.map((e: any) => e.code)).toEqual(Array(4).fill('path-escapes-api'));
    expect(errors[0].message).toMatch(/leaves API "iam" .* build its path without "\.\.", ";" or double-encoded segments/);
    const inside = await call(page, 'iam', '/items/a%2Fb');
    expect(inside.status, JSON.stringify(inside.body)).toBe(200);
    expect(inside.body.auth).toMatchObject({ type: 'iam' });
  });
});

describe('start-up', () => {
  const { open } = useBrowser();

  it('a config sent after the worker restarted wins over the start-up answer of the page\'s older bridge', async () => {
    const page = await open();
    await page.evaluate(() => (window as any).harness.register({ apis: { open: (window as any).harness.apis.open } }));
    // Amplify fetches guest credentials now, so that no Cognito call goes through the worker below.
    expect((await call(page, 'open', '/warm')).status).toBe(200);
    await page.stopWorkers();
    const result = await page.evaluate(async () => {
      const h = (window as any).harness;
      // A hot reload: the page configures again, with every API. Its old bridge (only `open`) still
      // answers the restarted worker's start-up question until this resolves, and answers first: the
      // new one's headers() takes a while.
      const slowHeaders = () => new Promise((r) => setTimeout(() => r({}), 300));
      await h.register({ headers: slowHeaders });
      await new Promise((r) => setTimeout(r, 200));
      return h.call(h.apis.iam.endpoint + '/after-reconfigure');
    });
    expect(result.status).toBe(200);
    expect(result.body.auth).toMatchObject({ type: 'iam' });
  });
});

describe('failures inside the worker', () => {
  const { open } = useBrowser();

  needs('request-streams')('an upload stream that errors: the page gets a network error, the worker no unhandled rejection, and keeps working', async () => {
    const page = await registered(open);
    const result = await page.evaluate(async () => {
      const h = (window as any).harness;
      const body = new ReadableStream({ pull: (controller) => controller.error(new Error('disk gone')) });
      const failed = await fetch(h.apis.iam.endpoint + '/broken-upload', { method: 'POST', body, duplex: 'half' } as RequestInit).then(
        (r) => `status ${r.status}`,
        (e: Error) => e.name,
      );
      return { failed, next: (await h.call(h.apis.iam.endpoint + '/after-broken-upload')).status };
    });
    expect(result).toEqual({ failed: 'TypeError', next: 200 });
  });
});

describe('bad header values from headers()', () => {
  const { open } = useBrowser();

  for (const [what, value] of [
    ['CR/LF', 'a\r\nx-injected: 1'],
    ['a character above U+00FF', 'tenant-€'],
  ] as const) {
    it(`${what}: the bridge-failure policy applies on the signed and the unsigned path alike, naming the header`, async () => {
      const page = await open();
      const results = await page.evaluate(async (value) => {
        const h = (window as any).harness;
        const headers = async ({ apiName }: { apiName: string }) => ({ ...(await h.headers({ apiName })), 'x-tenant': value });
        const out: Record<string, unknown> = {};
        for (const policy of ['send-unauthenticated', 'error-response']) {
          await h.register({ headers, onBridgeFailure: policy });
          for (const api of ['iam', 'apikey']) {
            const r = await h.call(`${h.apis[api].endpoint}/${policy}`).catch((e: unknown) => ({ status: 0, body: String(e) }));
            out[`${policy} ${api}`] = [r.status, r.status === 503 ? r.body.message : r.body.seen?.authorization];
          }
        }
        return out;
      }, value);
      const named = expect.stringContaining('header "x-tenant"');
      expect(results).toEqual({
        'send-unauthenticated iam': [403, false],
        'send-unauthenticated apikey': [403, false],
        'error-response iam': [503, named],
        'error-response apikey': [503, named],
      });
      const errors = await page.evaluate(() => (window as any).harness.waitForAuthErrors(4));
      expect(errors.map((e: any) => e.code)).toEqual(['bridge-error', 'bridge-error', 'bridge-error', 'bridge-error']);
      for (const e of errors) expect(e.message).toContain('header "x-tenant"');
    });
  }
});

describe('registrations and what errors carry', () => {
  const { open } = useBrowser();

  it('two registrations at different scopes keep their own stored config: one\'s configure and unregister leave the other\'s', async () => {
    const first = await open();
    await first.evaluate(() => (window as any).harness.register({ scope: '/test/browser/pages/', onBridgeFailure: 'error-response', bridgeTimeoutMs: 300 }));
    // In the first scope, controlled, never registering: only the stored config can route its requests after a restart.
    const plain = await first.openTab(harnessUrl());
    const other = await first.openTab(`${pageUrl()}/test/browser/other/harness.html`);
    await other.evaluate(() => (window as any).harness.register({ scope: '/test/browser/other/', apis: { open: (window as any).harness.apis.open } }));
    await first.closeTab();
    const routedByStoredConfig = async () => {
      await plain.stopWorkers();
      return call(plain, 'iam', '/stored');
    };
    expect((await routedByStoredConfig()).status).toBe(503); // the stored policy: routed, no page answered
    await other.evaluate(() => (window as any).harness.worker().unregister());
    expect((await routedByStoredConfig()).status).toBe(503);
  });

  it('no auth event or error body carries a key id, a token or a secret', async () => {
    const page = await open();
    const seen = await page.evaluate(async () => {
      const h = (window as any).harness;
      const credentials = { accessKeyId: 'ASIAEXPIREDKEYID0001', secretAccessKey: 'expired-secret-key', sessionToken: 'expired-session-token', expiration: new Date(Date.now() - 1000) };
      await h.register({ fetchAuthSession: async () => ({ credentials, identityId: 'us-east-1:expired' }), onBridgeFailure: 'error-response' });
      const r = await h.call(h.apis.iam.endpoint + '/expired');
      return { status: r.status, body: r.body, errors: await h.waitForAuthErrors(1) };
    });
    expect(seen.status).toBe(503);
    expect(seen.body.message).toContain('expired');
    const text = JSON.stringify(seen);
    for (const secret of ['ASIAEXPIREDKEYID0001', 'expired-secret-key', 'expired-session-token']) expect(text).not.toContain(secret);
  });
});
