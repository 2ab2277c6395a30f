import { describe, expect, it, vi } from 'vitest';
import type { AuthMaterial } from '../../src/protocol';
import { MaterialCache, type MaterialEntry } from '../../sw/material-cache';

function setup(options: { marginMs?: number; maxAgeMs?: number } = {}) {
  let now = 1_000_000;
  const cache = new MaterialCache({ marginMs: options.marginMs ?? 30_000, maxAgeMs: options.maxAgeMs ?? 300_000, now: () => now });
  return { cache, advance: (ms: number) => (now += ms), at: () => now };
}

/** Material of `identity`; `key` (its x-api-key header) tells apart answers of one identity. */
const material = ({ identity = 'alice', key = identity, expiresAt }: { identity?: string; key?: string; expiresAt?: number } = {}): AuthMaterial => ({
  identity,
  headers: { 'x-api-key': key },
  ...(expiresAt !== undefined && { expiresAt }),
});
const keyOf = (entry: MaterialEntry) => entry.material.headers['x-api-key'];

/** A page's answer that the test settles. */
function question<T = AuthMaterial>() {
  let answer!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (answer = resolve));
  return { promise, answer };
}

describe('MaterialCache', () => {
  it('shares one load among concurrent cold requests of one client', async () => {
    const { cache } = setup();
    const load = vi.fn(async () => material());
    const entries = await Promise.all(Array.from({ length: 50 }, () => cache.get('tab', 'api', load)));
    expect(load).toHaveBeenCalledTimes(1);
    expect(new Set(entries).size).toBe(1);
  });

  it('serves from memory until the safety margin before expiry, then loads again', async () => {
    const { cache, advance, at } = setup({ marginMs: 30_000, maxAgeMs: Infinity });
    const load = vi.fn(async () => material({ expiresAt: at() + 3_600_000 }));
    await cache.get('tab', 'api', load);
    advance(3_600_000 - 30_001);
    await cache.get('tab', 'api', load);
    expect(load).toHaveBeenCalledTimes(1);
    advance(2);
    await cache.get('tab', 'api', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('keeps short-lived material for half its life rather than not at all', async () => {
    const { cache, advance, at } = setup({ marginMs: 60_000 });
    const load = vi.fn(async () => material({ expiresAt: at() + 90_000 }));
    await cache.get('tab', 'api', load);
    advance(44_000);
    await cache.get('tab', 'api', load);
    expect(load).toHaveBeenCalledTimes(1);
    advance(2_000);
    await cache.get('tab', 'api', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('re-asks at least every maxAge for headers of unknown lifetime', async () => {
    const { cache, advance } = setup({ maxAgeMs: 1_000 });
    const load = vi.fn(async () => material());
    await cache.get('tab', 'api', load);
    advance(999);
    await cache.get('tab', 'api', load);
    advance(2);
    await cache.get('tab', 'api', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('keeps APIs apart', async () => {
    const { cache } = setup();
    const a = await cache.get('tab', 'a', async () => material({ key: 'a' }));
    const b = await cache.get('tab', 'b', async () => material({ key: 'b' }));
    expect([keyOf(a), keyOf(b)]).toEqual(['a', 'b']);
    expect(keyOf(await cache.get('tab', 'a', async () => material({ key: 'not asked' })))).toBe('a');
  });

  it('does not cache failures', async () => {
    const { cache } = setup();
    await expect(cache.get('tab', 'api', async () => Promise.reject(new Error('page gone')))).rejects.toThrow('page gone');
    const entry = await cache.get('tab', 'api', async () => material({ key: 'k' }));
    expect(keyOf(entry)).toBe('k');
  });

  it('refresh skips the cached entry, and the fresh answer replaces it', async () => {
    const { cache } = setup();
    await cache.get('tab', 'api', async () => material({ key: 'refused' }));
    const fresh = vi.fn(async () => material({ key: 'fresh' }));
    expect(keyOf(await cache.get('tab', 'api', fresh, true))).toBe('fresh');
    expect(keyOf(await cache.get('tab', 'api', fresh))).toBe('fresh');
    expect(fresh).toHaveBeenCalledTimes(1);
  });

  it('after invalidate(), a load already in flight cannot refill the cache with the old session', async () => {
    const { cache } = setup();
    const old = question();
    const pending = cache.get('tab', 'api', () => old.promise);
    cache.invalidate();
    const fresh = vi.fn(async () => material({ key: 'new' }));
    const next = await cache.get('tab', 'api', fresh);
    old.answer(material({ key: 'old' }));
    expect(keyOf(await pending)).toBe('old');
    expect(keyOf(next)).toBe('new');
    expect(keyOf(await cache.get('tab', 'api', fresh))).toBe('new');
    expect(fresh).toHaveBeenCalledTimes(1);
  });

  it('the sweep keeps what is still valid', async () => {
    const { cache, advance } = setup({ maxAgeMs: 1_000 });
    await cache.get('tab-1', 'api', async () => material({ identity: 'alice' }));
    advance(500);
    await cache.get('tab-2', 'api', async () => material({ identity: 'bob' })); // sweeps
    const load = vi.fn(async () => material({ identity: 'alice', key: 'asked again' }));
    expect(keyOf(await cache.get('tab-1', 'api', load))).toBe('alice');
    expect(load).not.toHaveBeenCalled();
  });

  it('the sweep drops what expired (seen with a clock that steps back)', async () => {
    const { cache, advance } = setup({ maxAgeMs: 1_000 });
    const load = vi.fn(async () => material({ identity: 'alice' }));
    await cache.get('tab-1', 'api', load);
    advance(1_001);
    await cache.get('tab-2', 'api', async () => material({ identity: 'bob' })); // sweeps tab-1's mapping and entry
    // Were they kept, they would be valid again at the earlier time.
    advance(-1_001);
    await cache.get('tab-1', 'api', load);
    expect(load).toHaveBeenCalledTimes(2);
  });
});

describe('MaterialCache: identities', () => {
  it('never gives a client the material of another identity that filled first', async () => {
    const { cache } = setup();
    await cache.get('alice-tab', 'api', async () => material({ identity: 'alice' }));
    const bobLoad = vi.fn(async () => material({ identity: 'bob' }));
    expect(keyOf(await cache.get('bob-tab', 'api', bobLoad))).toBe('bob');
    expect(bobLoad).toHaveBeenCalledTimes(1);
  });

  it('keeps each client on its own identity afterwards', async () => {
    const { cache } = setup();
    await cache.get('alice-tab', 'api', async () => material({ identity: 'alice' }));
    await cache.get('bob-tab', 'api', async () => material({ identity: 'bob' }));
    const notAsked = async () => material({ identity: 'mallory' });
    expect(keyOf(await cache.get('alice-tab', 'api', notAsked))).toBe('alice');
    expect(keyOf(await cache.get('bob-tab', 'api', notAsked))).toBe('bob');
  });

  it('keeps identities apart under interleaved cold gets, whichever answers first', async () => {
    const { cache } = setup();
    const alice = question();
    const bob = question();
    const pending = [cache.get('alice-tab', 'api', () => alice.promise), cache.get('bob-tab', 'api', () => bob.promise), cache.get('alice-tab', 'api', () => alice.promise), cache.get('bob-tab', 'api', () => bob.promise)];
    bob.answer(material({ identity: 'bob' }));
    await Promise.resolve();
    alice.answer(material({ identity: 'alice' }));
    expect((await Promise.all(pending)).map(keyOf)).toEqual(['alice', 'bob', 'alice', 'bob']);
  });

  it('keeps identities apart when both entries expire and are reloaded concurrently', async () => {
    const { cache, advance, at } = setup({ marginMs: 0 });
    const expiresAt = at() + 1_000;
    await cache.get('alice-tab', 'api', async () => material({ identity: 'alice', expiresAt }));
    await cache.get('bob-tab', 'api', async () => material({ identity: 'bob', expiresAt }));
    advance(1_000);
    const alice = question();
    const bob = question();
    const pending = [cache.get('alice-tab', 'api', () => alice.promise), cache.get('bob-tab', 'api', () => bob.promise)];
    bob.answer(material({ identity: 'bob', key: 'bob 2' }));
    alice.answer(material({ identity: 'alice', key: 'alice 2' }));
    expect((await Promise.all(pending)).map(keyOf)).toEqual(['alice 2', 'bob 2']);
  });

  it('pages of one identity share its entry: what one page fetched serves the other', async () => {
    const { cache } = setup();
    await cache.get('tab-1', 'api', async () => material({ key: 'v1' }));
    await cache.get('tab-2', 'api', async () => material({ key: 'v1' }));
    await cache.get('tab-1', 'api', async () => material({ key: 'v2' }), true);
    const tab2Load = vi.fn(async () => material({ key: 'asked' }));
    expect(keyOf(await cache.get('tab-2', 'api', tab2Load))).toBe('v2');
    expect(tab2Load).not.toHaveBeenCalled();
  });

  it('when a shared entry expires, concurrent gets of its pages cost one load', async () => {
    const { cache, advance, at } = setup({ marginMs: 0, maxAgeMs: 10_000 });
    const expiresAt = at() + 1_000;
    await cache.get('tab-1', 'api', async () => material({ expiresAt }));
    await cache.get('tab-2', 'api', async () => material({ expiresAt }));
    advance(1_000); // the entry expired; both mappings hold
    const load1 = vi.fn(async () => material({ key: 'renewed' }));
    const load2 = vi.fn(async () => material({ key: 'renewed by tab-2' }));
    const [a, b] = await Promise.all([cache.get('tab-1', 'api', load1), cache.get('tab-2', 'api', load2)]);
    expect(b).toBe(a);
    expect(keyOf(b)).toBe('renewed');
    expect([load1.mock.calls.length, load2.mock.calls.length]).toEqual([1, 0]);
  });

  it('when that shared load answers another identity, the waiting page asks its own', async () => {
    const { cache, advance, at } = setup({ marginMs: 0, maxAgeMs: 10_000 });
    const expiresAt = at() + 1_000;
    await cache.get('tab-1', 'api', async () => material({ expiresAt }));
    await cache.get('tab-2', 'api', async () => material({ expiresAt }));
    advance(1_000);
    const tab1 = question(); // tab-1 has switched tenant meanwhile
    const load2 = vi.fn(async () => material({ key: 'alice again' }));
    const first = cache.get('tab-1', 'api', () => tab1.promise);
    const second = cache.get('tab-2', 'api', load2);
    await Promise.resolve();
    expect(load2).not.toHaveBeenCalled(); // it waits for tab-1's answer
    tab1.answer(material({ identity: 'alice@other-tenant' }));
    expect(keyOf(await first)).toBe('alice@other-tenant');
    expect(keyOf(await second)).toBe('alice again');
    expect(load2).toHaveBeenCalledTimes(1);
  });

  it('when that shared load fails, the waiting page asks its own: one hung tab never fails another', async () => {
    const { cache, advance, at } = setup({ marginMs: 0, maxAgeMs: 10_000 });
    const expiresAt = at() + 1_000;
    await cache.get('tab-1', 'api', async () => material({ expiresAt }));
    await cache.get('tab-2', 'api', async () => material({ expiresAt }));
    advance(1_000);
    const failing = cache.get('tab-1', 'api', async () => Promise.reject(new Error('tab-1 timed out')));
    const second = cache.get('tab-2', 'api', async () => material({ key: 'from tab-2' }));
    await expect(failing).rejects.toThrow('tab-1 timed out');
    expect(keyOf(await second)).toBe('from tab-2');
  });

  it("re-asks a client's own page maxAge after it was learnt, though its identity's entry is fresher", async () => {
    const { cache, advance } = setup({ maxAgeMs: 1_000 });
    const load1 = vi.fn(async () => material());
    const load2 = vi.fn(async () => material());
    await cache.get('tab-1', 'api', load1);
    advance(600);
    await cache.get('tab-2', 'api', load2); // renews alice's entry until 1 600
    advance(401);
    await cache.get('tab-1', 'api', load1);
    await cache.get('tab-2', 'api', load2);
    expect([load1.mock.calls.length, load2.mock.calls.length]).toEqual([2, 1]);
  });
});

describe('MaterialCache: warm-up of a restarted worker', () => {
  it("holds that client's gets until its answer, then asks only for what it lacked", async () => {
    const { cache } = setup();
    const warmUp = question<Record<string, AuthMaterial>>();
    cache.expect('tab', warmUp.promise);
    const load = vi.fn(async () => material({ key: 'own' }));
    const pending = Promise.all([cache.get('tab', 'a', load), cache.get('tab', 'b', load)]);
    warmUp.answer({ a: material({ key: 'warm' }) });
    const [a, b] = await pending;
    expect(keyOf(a)).toBe('warm');
    expect(keyOf(b)).toBe('own');
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('holds no other client', async () => {
    const { cache } = setup();
    cache.expect('tab-1', new Promise(() => undefined)); // never answers
    const entry = await cache.get('tab-2', 'a', async () => material({ key: 'tab-2' }));
    expect(keyOf(entry)).toBe('tab-2');
  });

  it('what a client supplied serves that client only', async () => {
    const { cache } = setup();
    cache.expect('alice-tab', Promise.resolve({ a: material({ identity: 'alice' }) }));
    const bobLoad = vi.fn(async () => material({ identity: 'bob' }));
    expect(keyOf(await cache.get('alice-tab', 'a', async () => material({ key: 'asked' })))).toBe('alice');
    expect(keyOf(await cache.get('bob-tab', 'a', bobLoad))).toBe('bob');
    expect(bobLoad).toHaveBeenCalledTimes(1);
  });

  it('a failed warm-up just ends the wait', async () => {
    const { cache } = setup();
    cache.expect('tab', Promise.reject(new Error('page busy')));
    const entry = await cache.get('tab', 'a', async () => material({ key: 'own' }));
    expect(keyOf(entry)).toBe('own');
  });

  it('a warm-up that settles after invalidate() fills nothing', async () => {
    const { cache } = setup();
    const warmUp = question<Record<string, AuthMaterial>>();
    cache.expect('tab', warmUp.promise);
    cache.invalidate();
    warmUp.answer({ a: material({ key: 'old session' }) });
    await new Promise((r) => setTimeout(r, 0));
    const entry = await cache.get('tab', 'a', async () => material({ key: 'new session' }));
    expect(keyOf(entry)).toBe('new session');
  });
});
