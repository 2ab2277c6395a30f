// Material of a failed session fetch (issue 12, capability 5): held per client for a short,
// doubling backoff window only, dropped by online(), and never in the way of a real session.
import { describe, expect, it, vi } from 'vitest';
import type { AuthMaterial } from '../../src/protocol';
import { MaterialCache } from '../../sw/material-cache';

function setup() {
  let now = 1_000_000;
  const cache = new MaterialCache({ marginMs: 30_000, maxAgeMs: 300_000, now: () => now });
  return { cache, advance: (ms: number) => (now += ms) };
}

const creds = { accessKeyId: 'ASIA', secretAccessKey: 's', sessionToken: 't' };
const session = (identity = 'alice'): AuthMaterial => ({ identity, headers: {}, credentials: creds });
const failed = (identity = 'alice'): AuthMaterial => ({ identity, headers: {}, sessionFailed: true });

/** A load that answers `answers` in turn (the last one ever after), counting the questions. */
function pages(...answers: AuthMaterial[]) {
  let n = 0;
  return vi.fn(async () => answers[Math.min(n++, answers.length - 1)]);
}

describe('MaterialCache: a failed session fetch is not a session', () => {
  it('reuses a failed answer for 1 s only, then asks again', async () => {
    const { cache, advance } = setup();
    const load = pages(failed(), session());
    expect((await cache.get('tab', 'api', load)).material.sessionFailed).toBe(true);
    advance(999);
    expect((await cache.get('tab', 'api', load)).material.sessionFailed).toBe(true);
    expect(load).toHaveBeenCalledTimes(1);
    advance(1);
    expect((await cache.get('tab', 'api', load)).material.credentials).toEqual(creds);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('doubles the window with each consecutive failure, up to 30 s', async () => {
    const { cache, advance } = setup();
    const load = pages(failed());
    const windows: number[] = [];
    await cache.get('tab', 'api', load);
    for (let i = 0; i < 8; i++) {
      // Step in 250 ms until the cache asks again: the window is how long the answer was reused.
      const asked = load.mock.calls.length;
      let waited = 0;
      while (load.mock.calls.length === asked) {
        advance(250);
        waited += 250;
        await cache.get('tab', 'api', load);
      }
      windows.push(waited);
    }
    expect(windows).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('a session read resets the backoff', async () => {
    const { cache, advance } = setup();
    const load = pages(failed(), failed(), session(), failed());
    await cache.get('tab', 'api', load); // failure 1: 1 s
    advance(1_000);
    await cache.get('tab', 'api', load); // failure 2: 2 s
    advance(2_000);
    await cache.get('tab', 'api', load); // a session, cached for minutes
    expect(load).toHaveBeenCalledTimes(3);
    await cache.get('tab', 'api', load, true); // the API refused it: ask again, and that fails
    expect(load).toHaveBeenCalledTimes(4);
    advance(999);
    await cache.get('tab', 'api', load);
    expect(load).toHaveBeenCalledTimes(4);
    advance(1);
    await cache.get('tab', 'api', load); // the window was 1 s again, not 4 s
    expect(load).toHaveBeenCalledTimes(5);
  });

  it('online() drops failed answers and the backoff at once', async () => {
    const { cache, advance } = setup();
    const load = pages(failed(), failed(), failed(), session());
    await cache.get('tab', 'api', load);
    advance(1_000);
    await cache.get('tab', 'api', load);
    advance(2_000);
    await cache.get('tab', 'api', load); // third failure: held for 4 s
    cache.online();
    expect((await cache.get('tab', 'api', load)).material.credentials).toEqual(creds);
    expect(load).toHaveBeenCalledTimes(4);
  });

  it('online() restarts the backoff from 1 s', async () => {
    const { cache, advance } = setup();
    const load = pages(failed());
    for (const step of [1_000, 2_000, 4_000]) {
      await cache.get('tab', 'api', load);
      advance(step);
    }
    cache.online();
    await cache.get('tab', 'api', load);
    const asked = load.mock.calls.length;
    advance(1_000);
    await cache.get('tab', 'api', load);
    expect(load.mock.calls.length).toBe(asked + 1);
  });

  it('a failed answer to a question asked before online() serves its own request only', async () => {
    const { cache } = setup();
    let answer!: (m: AuthMaterial) => void;
    const slow = vi.fn(() => new Promise<AuthMaterial>((resolve) => (answer = resolve)));
    const pending = cache.get('tab', 'api', slow);
    cache.online();
    answer(failed());
    expect((await pending).material.sessionFailed).toBe(true);
    const load = pages(session());
    expect((await cache.get('tab', 'api', load)).material.credentials).toEqual(creds);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('online() keeps sessions: the warm path still answers without asking', async () => {
    const { cache } = setup();
    const load = pages(session());
    const first = await cache.get('tab', 'api', load);
    cache.online();
    expect(cache.get('tab', 'api', load)).toBe(first); // synchronously: no question, no promise
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('a session is cached as before, for minutes and without a backoff', async () => {
    const { cache, advance } = setup();
    const load = pages(session());
    const first = await cache.get('tab', 'api', load);
    advance(60_000);
    expect(cache.get('tab', 'api', load)).toBe(first);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('one page\'s failure never replaces the session another page of the same identity holds', async () => {
    const { cache } = setup();
    const good = await cache.get('tab-a', 'api', pages(session()));
    // Tab B, just opened offline, could not read its session; same identity.
    const b = await cache.get('tab-b', 'api', pages(failed()));
    expect(b).toBe(good);
    expect(cache.get('tab-a', 'api', pages(failed()))).toBe(good);
    expect(cache.get('tab-b', 'api', pages(failed()))).toBe(good);
  });

  it('failed answers are per client: another client of the same identity still asks its own page', async () => {
    const { cache } = setup();
    await cache.get('tab-a', 'api', pages(failed()));
    const loadB = pages(session());
    expect((await cache.get('tab-b', 'api', loadB)).material.credentials).toEqual(creds);
    expect(loadB).toHaveBeenCalledTimes(1);
  });

  it('a client waiting on another page\'s question asks its own when that answer is a failure', async () => {
    const { cache, advance } = setup();
    // Both tabs are known as alice, then the entry expires.
    const expiring = { ...session(), expiresAt: 1_000_000 + 61_000 };
    await cache.get('tab-a', 'api', pages(expiring));
    await cache.get('tab-b', 'api', pages(expiring));
    advance(31_000);
    let answer!: (m: AuthMaterial) => void;
    const a = cache.get('tab-a', 'api', () => new Promise<AuthMaterial>((resolve) => (answer = resolve)));
    const loadB = pages(session());
    const b = cache.get('tab-b', 'api', loadB);
    answer(failed());
    expect((await a).material.sessionFailed).toBe(true);
    expect((await b).material.credentials).toEqual(creds);
    expect(loadB).toHaveBeenCalledTimes(1);
  });

  it('a session change drops failed answers too', async () => {
    const { cache } = setup();
    await cache.get('tab', 'api', pages(failed()));
    cache.invalidate();
    const load = pages(session());
    expect((await cache.get('tab', 'api', load)).material.credentials).toEqual(creds);
  });

  it('a failed warm-up answer (a restarted worker) is held like any failed answer', async () => {
    const { cache, advance } = setup();
    cache.expect('tab', Promise.resolve({ api: failed() }));
    const load = pages(session());
    expect((await cache.get('tab', 'api', load)).material.sessionFailed).toBe(true);
    expect(load).not.toHaveBeenCalled();
    advance(1_000);
    expect((await cache.get('tab', 'api', load)).material.credentials).toEqual(creds);
  });
});
