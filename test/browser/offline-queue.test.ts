// Issue 12, the offline mutation queue: mutations that find no network are stored unsigned and
// replayed once it is back, each signed at replay time, in order, under the identity policy.
// The network is cut on the server side (emulator-control setNetwork), which every engine sees.
import { describe, expect, it } from 'vitest';
import type { TestPage } from './driver';
import { logged, setNetwork } from './emulator-control';
import { call, harnessUrl, needs, signIn, useBrowser } from './harness';
import { authTerms, mutate, offlineEvents, registerOffline, scanAtRest, until, type OfflineEventSeen } from './offline-at-rest';

const stamp = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pending = (page: TestPage): Promise<{ id: string; method: string; url: string; time: number; held: boolean }[]> =>
  page.evaluate(() => (window as any).harness.worker().pendingRequests());

/** The requests under `prefix` that reached the API, in arrival order. */
const arrived = async (prefix: string) => (await logged(prefix)).sort((a, b) => a.n - b.n);

/** Epoch second of an x-amz-date value (20260101T120000Z). */
const amzSeconds = (value: string) => Date.UTC(+value.slice(0, 4), +value.slice(4, 6) - 1, +value.slice(6, 8), +value.slice(9, 11), +value.slice(11, 13), +value.slice(13, 15)) / 1000;

describe('offline mutation queue', () => {
  const { open } = useBrowser();

  it('100 mutations made offline across 2 tabs of one user: each arrives once, in order per tab, signed after the reconnect; nothing at rest holds auth', async () => {
    const options = { offline: { queue: true } };
    const a = await open();
    await registerOffline(a, options);
    await signIn(a, 'alice');
    const b = await a.openTab(harnessUrl());
    await registerOffline(b, options);
    for (const tab of [a, b]) expect((await call(tab, 'iam', '/warm')).body.auth).toMatchObject({ username: 'alice' });
    const terms = await authTerms(a, b);

    const tag = `/offline100-${stamp()}`;
    await setNetwork({ api: 'down', cognito: 'down' });
    const paths = (tab: string) => Array.from({ length: 50 }, (_, i) => `${tag}/${tab}/${i}`);
    const [madeA, madeB] = await Promise.all([mutate(a, 'iam', paths('a')), mutate(b, 'iam', paths('b'))]);
    const made = [...madeA, ...madeB];
    expect(made.filter((m) => m.status !== 202 || m.queued === null)).toEqual([]);
    expect(new Set(made.map((m) => m.queued)).size).toBe(100);
    const listed = await pending(a);
    expect(listed).toHaveLength(100);
    expect(Object.keys(listed[0]).sort()).toEqual(['held', 'id', 'method', 'time', 'url']);

    // At rest, with all 100 queued: every database and cache of the origin, read as any script could.
    const rest = await scanAtRest(a, terms);
    expect(rest.records, 'the scan read the queued entries').toBeGreaterThanOrEqual(100);

    // Reconnect just after a second boundary: a signature made before it has an earlier x-amz-date.
    await sleep(1_100 - (Date.now() % 1000));
    await setNetwork({ api: 'up', cognito: 'up' });
    const reconnected = Math.floor(Date.now() / 1000);
    // The trigger: a live request that reaches the API after the network failure.
    expect((await call(a, 'iam', `${tag}-back`)).status).toBe(200);
    let log = await until(() => arrived(`/prod/iam${tag}/`), (l) => l.length >= 100, 30_000);
    await sleep(500); // a duplicate would come right behind
    log = await arrived(`/prod/iam${tag}/`);

    const byPath = new Map<string, any[]>();
    for (const e of log) byPath.set(e.path, [...(byPath.get(e.path) ?? []), e]);
    const delivered = [...paths('a'), ...paths('b')].filter((p) => (byPath.get(`/prod/iam${p}`) ?? []).some((e) => e.status === 200)).length;
    const duplicated = [...byPath.values()].reduce((n, entries) => n + entries.length - 1, 0);
    const lost = 100 - delivered;
    const signedBefore = log.filter((e) => e.amzDate === null || amzSeconds(e.amzDate) < reconnected);
    console.log(`offline queue, 2 tabs: made 100, delivered ${delivered}, duplicated ${duplicated}, lost ${lost}, signed before the reconnect ${signedBefore.length}, entries with auth at rest ${rest.hits.length} (scanned ${rest.records} IndexedDB records in ${rest.databases.length} databases, ${rest.cached} cached requests)`);
    expect(rest.hits).toEqual([]);
    expect({ delivered, duplicated, lost }).toEqual({ delivered: 100, duplicated: 0, lost: 0 });
    expect(signedBefore.map((e) => [e.path, e.amzDate])).toEqual([]);
    expect(log.filter((e) => e.status !== 200 || e.auth?.username !== 'alice' || e.seen.authorizationKind !== 'sigv4')).toEqual([]);
    for (const tab of ['a', 'b']) {
      const order = log.filter((e) => e.path.startsWith(`/prod/iam${tag}/${tab}/`)).map((e) => Number(e.path.split('/').pop()));
      expect(order, `tab ${tab} in order`).toEqual(Array.from({ length: 50 }, (_, i) => i));
    }
    expect(await pending(a)).toEqual([]);
    const replayed = await offlineEvents(a, (events) => events.filter((e) => e.type === 'replayed').length >= 100);
    expect(new Set(replayed.filter((e) => e.type === 'replayed' && e.status === 200).map((e) => e.id))).toEqual(new Set(made.map((m) => m.queued)));
  });

  describe('queued as alice, then alice signs out and bob signs in', () => {
    /** Queues two mutations as alice, then switches to bob with the API still cut. */
    async function aliceThenBob(policy: string) {
      const page = await open();
      await registerOffline(page, { offline: { queue: { onIdentityChange: policy } } });
      await signIn(page, 'alice');
      expect((await call(page, 'iam', '/warm')).body.auth).toMatchObject({ username: 'alice' });
      const tag = `/policy-${policy}-${stamp()}`;
      await setNetwork({ api: 'down' });
      const made = await mutate(page, 'iam', [`${tag}/0`, `${tag}/1`]);
      expect(made.map((m) => m.status)).toEqual([202, 202]);
      await page.evaluate(() => (window as any).harness.signOut());
      await signIn(page, 'bob');
      // signIn() resolves before the worker has necessarily heard of it (the beacon and message are
      // on their way); a round trip on the same message path makes sure it has, so that the
      // network comes back while bob, not the guest of the moment before, is current.
      await pending(page);
      await setNetwork({ api: 'up' });
      return { page, tag, made };
    }

    it("'hold': alice's items never go out as bob; they are listed as held, a held event gives their count; alice back, they go as alice", async () => {
      const { page, tag, made } = await aliceThenBob('hold');
      expect((await call(page, 'iam', `${tag}-live`)).body.auth).toMatchObject({ username: 'bob' });
      const counts = await page.evaluate(() => (window as any).harness.worker().replayNow());
      expect(counts).toEqual({ replayed: 0, failed: 0, held: 2 });
      expect((await pending(page)).map((p) => [p.id, p.held])).toEqual(made.map((m) => [m.queued, true]));
      const events = await offlineEvents(page, (ev) => ev.some((e) => e.type === 'held'));
      expect(events.filter((e) => e.type === 'held')).toContainEqual({ type: 'held', count: 2 });
      await sleep(300);
      expect(await arrived(`/prod/iam${tag}/`)).toEqual([]);

      await page.evaluate(() => (window as any).harness.signOut());
      await signIn(page, 'alice');
      await page.evaluate(() => (window as any).harness.worker().replayNow());
      const log = await until(() => arrived(`/prod/iam${tag}/`), (l) => l.length >= 2);
      expect(log.map((e) => [e.path, e.status, e.auth?.username])).toEqual([[`/prod/iam${tag}/0`, 200, 'alice'], [`/prod/iam${tag}/1`, 200, 'alice']]);
      expect(await pending(page)).toEqual([]);
    });

    it("'drop': a dropped event with their count, and nothing is sent", async () => {
      const { page, tag } = await aliceThenBob('drop');
      await page.evaluate(() => (window as any).harness.worker().replayNow());
      const events = await offlineEvents(page, (ev) => ev.some((e) => e.type === 'dropped'));
      expect(events.filter((e) => e.type === 'dropped').reduce((n, e) => n + e.count!, 0)).toBe(2);
      expect(await pending(page)).toEqual([]);
      expect((await call(page, 'iam', `${tag}-live`)).body.auth).toMatchObject({ username: 'bob' });
      await sleep(300);
      expect(await arrived(`/prod/iam${tag}/`)).toEqual([]);
    });

    it("'replay-as-current': they are sent as bob", async () => {
      const { page, tag, made } = await aliceThenBob('replay-as-current');
      await page.evaluate(() => (window as any).harness.worker().replayNow());
      const log = await until(() => arrived(`/prod/iam${tag}/`), (l) => l.length >= 2);
      expect(log.map((e) => [e.path, e.status, e.auth?.username])).toEqual([[`/prod/iam${tag}/0`, 200, 'bob'], [`/prod/iam${tag}/1`, 200, 'bob']]);
      const events = await offlineEvents(page, (ev) => ev.filter((e) => e.type === 'replayed').length >= 2);
      expect(events.filter((e) => e.type === 'replayed').map((e) => e.id)).toEqual(made.map((m) => m.queued));
    });
  });

  it("'replay-as-current' never hands a user's requests to a guest: signed out, they stay held; bob signs in, they go as bob", async () => {
    const page = await open();
    await registerOffline(page, { offline: { queue: { onIdentityChange: 'replay-as-current' } } });
    await signIn(page, 'alice');
    expect((await call(page, 'iam', '/warm')).body.auth).toMatchObject({ username: 'alice' });
    const tag = `/as-current-guest-${stamp()}`;
    await setNetwork({ api: 'down' });
    expect((await mutate(page, 'iam', [`${tag}/0`, `${tag}/1`])).map((m) => m.status)).toEqual([202, 202]);
    await page.evaluate(() => (window as any).harness.signOut());
    await pending(page); // the worker has heard of the sign-out
    await setNetwork({ api: 'up' });
    expect((await call(page, 'iam', `${tag}-live`)).body.auth).toMatchObject({ role: 'guest' });
    expect(await page.evaluate(() => (window as any).harness.worker().replayNow())).toEqual({ replayed: 0, failed: 0, held: 2 });
    await sleep(300);
    expect(await arrived(`/prod/iam${tag}/`)).toEqual([]);
    await signIn(page, 'bob');
    await pending(page);
    await page.evaluate(() => (window as any).harness.worker().replayNow());
    const log = await until(() => arrived(`/prod/iam${tag}/`), (l) => l.length >= 2);
    expect(log.map((e) => [e.path, e.status, e.auth?.username])).toEqual([[`/prod/iam${tag}/0`, 200, 'bob'], [`/prod/iam${tag}/1`, 200, 'bob']]);
  });

  needs('stop-worker')('the worker is stopped while the queue holds items: after it restarts, each is delivered once, in order', async () => {
    const page = await open();
    await registerOffline(page, { offline: { queue: true } });
    expect((await call(page, 'iam', '/warm')).status).toBe(200);
    const tag = `/stopped-${stamp()}`;
    await setNetwork({ api: 'down' });
    const paths = Array.from({ length: 5 }, (_, i) => `${tag}/${i}`);
    expect((await mutate(page, 'iam', paths)).map((m) => m.status)).toEqual(Array(5).fill(202));
    await sleep(300); // the replay attempts the queueing set off are over: the worker is idle
    await page.stopWorkers();
    // The restarted worker lists them from storage.
    const listed = await pending(page);
    expect(listed.map((p) => p.url.replace(/^.*\/iam/, ''))).toEqual(paths);
    await setNetwork({ api: 'up' });
    expect((await call(page, 'iam', `${tag}-back`)).status).toBe(200);
    const log = await until(() => arrived(`/prod/iam${tag}/`), (l) => l.length >= 5, 10_000);
    await sleep(300);
    expect((await arrived(`/prod/iam${tag}/`)).map((e) => [e.path, e.status])).toEqual(paths.map((p) => [`/prod/iam${p}`, 200]));
    expect(log.every((e) => e.seen.authorizationKind === 'sigv4')).toBe(true);
    expect(await pending(page)).toEqual([]);
  });

  it("a mutation with its own Authorization header is not queued: the network error, and a 'not-queued' auth event", async () => {
    const page = await open();
    await registerOffline(page, { offline: { queue: true } });
    expect((await call(page, 'iam', '/warm')).status).toBe(200);
    await setNetwork({ api: 'down' });
    const token = `app-token-${stamp()}`;
    const made = await mutate(page, 'iam', ['/own-auth'], { headers: { Authorization: token } });
    expect(made).toEqual([{ status: 0, queued: null, error: 'TypeError' }]);
    const errors = await page.evaluate(() => (window as any).harness.waitForAuthErrors());
    expect(errors.map((e: any) => [e.code, e.method])).toContainEqual(['not-queued', 'POST']);
    expect(JSON.stringify(errors)).not.toContain(token);
    expect(await pending(page)).toEqual([]);
    expect((await scanAtRest(page, { token })).hits).toEqual([]);
    expect((await offlineEvents(page)).filter((e) => e.type === 'queued')).toEqual([]);
  });

  it("the idempotency header carries the queued id at replay; the page gets 202 with x-amplify-sw-auth-queued; 'queued' and 'replayed' events", async () => {
    const page = await open();
    await registerOffline(page, { offline: { queue: { idempotencyHeader: 'Idempotency-Key' } } });
    expect((await call(page, 'iam', '/warm')).status).toBe(200);
    const tag = `/idempotent-${stamp()}`;
    await setNetwork({ api: 'down' });
    const made = await mutate(page, 'iam', [`${tag}/0`, `${tag}/1`]);
    expect(made.map((m) => m.status)).toEqual([202, 202]);
    const ids = made.map((m) => m.queued!);
    expect(ids.every((id) => /^[0-9a-f-]{36}$/.test(id))).toBe(true);
    const queued = await offlineEvents(page, (ev) => ev.filter((e) => e.type === 'queued').length >= 2);
    expect(queued.filter((e) => e.type === 'queued').map((e) => [e.id, e.method, e.url?.endsWith(`/iam${tag}/${ids.indexOf(e.id!)}`)])).toEqual(ids.map((id) => [id, 'POST', true]));
    await setNetwork({ api: 'up' });
    // Another trigger (Background Sync in Chromium) may have replayed them first: then replayNow's own pass finds nothing.
    expect(await page.evaluate(() => (window as any).harness.worker().replayNow())).toMatchObject({ failed: 0, held: 0 });
    const log = await until(() => arrived(`/prod/iam${tag}/`), (l) => l.length >= 2);
    expect(log.map((e) => [e.status, e.seen.idempotencyKey])).toEqual(ids.map((id) => [200, id]));
    const events: OfflineEventSeen[] = await offlineEvents(page, (ev) => ev.filter((e) => e.type === 'replayed').length >= 2);
    expect(events.filter((e) => e.type === 'replayed').map((e) => [e.id, e.status])).toEqual(ids.map((id) => [id, 200]));
  });

  it('queue limit: maxEntries 3, 5 offline mutations: a limit event, the 4th and 5th fail as network errors, and the worker keeps serving', async () => {
    const page = await open();
    await registerOffline(page, { offline: { queue: { maxEntries: 3 } } });
    expect((await call(page, 'iam', '/warm')).status).toBe(200);
    const tag = `/limit-${stamp()}`;
    await setNetwork({ api: 'down' });
    const made = await mutate(page, 'iam', Array.from({ length: 5 }, (_, i) => `${tag}/${i}`));
    expect(made.map((m) => m.error ?? m.status)).toEqual([202, 202, 202, 'TypeError', 'TypeError']);
    const events = await offlineEvents(page, (ev) => ev.some((e) => e.type === 'limit'));
    expect(events.filter((e) => e.type === 'limit').length).toBeGreaterThanOrEqual(1);
    expect(events.find((e) => e.type === 'limit')).toMatchObject({ count: 3, method: 'POST' });
    await setNetwork({ api: 'up' });
    const live = await call(page, 'iam', `${tag}-live`);
    expect(live.status).toBe(200);
    expect(live.body.seen.authorizationKind).toBe('sigv4');
    const log = await until(() => arrived(`/prod/iam${tag}/`), (l) => l.length >= 3);
    expect(log.map((e) => [e.path, e.status])).toEqual([0, 1, 2].map((i) => [`/prod/iam${tag}/${i}`, 200]));
  });

  it('a replay answered 503 stays queued (the API said try later), and its user\'s later request waits behind it', async () => {
    const page = await open();
    await registerOffline(page, { offline: { queue: true } });
    expect((await call(page, 'iam', '/warm')).status).toBe(200);
    const tag = `/later-${stamp()}`;
    await setNetwork({ api: 'down' });
    const made = await mutate(page, 'iam', [`${tag}/busy?respond=503`, `${tag}/bad?respond=400`]);
    expect(made.map((m) => m.status)).toEqual([202, 202]);
    await setNetwork({ api: 'up' });
    // The 503 stops this user's replay where it is, so the 400 after it waits too: order holds.
    expect(await page.evaluate(() => (window as any).harness.worker().replayNow())).toEqual({ replayed: 0, failed: 1, held: 0 });
    expect((await pending(page)).map((p) => p.id)).toEqual(made.map((m) => m.queued));
    // Other triggers (Background Sync, the live request) may have tried it too: always the 503, never the one behind it.
    const log = await arrived(`/prod/iam${tag}/`);
    expect(log.length).toBeGreaterThanOrEqual(1);
    expect(new Set(log.map((e) => `${e.path} ${e.status}`))).toEqual(new Set([`/prod/iam${tag}/busy 503`]));
  });
});
