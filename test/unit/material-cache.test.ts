import { describe, expect, it, vi } from 'vitest';
import type { AuthMaterial } from '../../src/protocol';
import { MaterialCache } from '../../sw/material-cache';

function setup(options: { marginMs?: number; maxAgeMs?: number } = {}) {
  let now = 1_000_000;
  const cache = new MaterialCache({ marginMs: options.marginMs ?? 30_000, maxAgeMs: options.maxAgeMs ?? 300_000, now: () => now });
  return { cache, advance: (ms: number) => (now += ms), at: () => now };
}
const material = (expiresAt?: number, key = 'k'): AuthMaterial => ({ headers: { 'x-api-key': key }, ...(expiresAt !== undefined && { expiresAt }) });

describe('MaterialCache', () => {
  it('shares one load among concurrent cold requests', async () => {
    const { cache } = setup();
    const load = vi.fn(async () => material());
    const entries = await Promise.all(Array.from({ length: 50 }, () => cache.get('api', load)));
    expect(load).toHaveBeenCalledTimes(1);
    expect(new Set(entries).size).toBe(1);
  });

  it('serves from memory until the safety margin before expiry, then loads again', async () => {
    const { cache, advance, at } = setup({ marginMs: 30_000, maxAgeMs: Infinity });
    const load = vi.fn(async () => material(at() + 3_600_000));
    await cache.get('api', load);
    advance(3_600_000 - 30_001);
    await cache.get('api', load);
    expect(load).toHaveBeenCalledTimes(1);
    advance(2);
    await cache.get('api', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('keeps short-lived material for half its life rather than not at all', async () => {
    const { cache, advance, at } = setup({ marginMs: 60_000 });
    const load = vi.fn(async () => material(at() + 90_000));
    await cache.get('api', load);
    advance(44_000);
    await cache.get('api', load);
    expect(load).toHaveBeenCalledTimes(1);
    advance(2_000);
    await cache.get('api', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('re-asks at least every maxAge for headers of unknown lifetime', async () => {
    const { cache, advance } = setup({ maxAgeMs: 1_000 });
    const load = vi.fn(async () => material());
    await cache.get('api', load);
    advance(999);
    await cache.get('api', load);
    advance(2);
    await cache.get('api', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('keeps APIs apart', async () => {
    const { cache } = setup();
    const a = await cache.get('a', async () => material(undefined, 'a'));
    const b = await cache.get('b', async () => material(undefined, 'b'));
    expect([a.material.headers['x-api-key'], b.material.headers['x-api-key']]).toEqual(['a', 'b']);
  });

  it('does not cache failures', async () => {
    const { cache } = setup();
    await expect(cache.get('api', async () => Promise.reject(new Error('page gone')))).rejects.toThrow('page gone');
    const entry = await cache.get('api', async () => material());
    expect(entry.material.headers['x-api-key']).toBe('k');
  });

  it('after invalidate(), a load already in flight cannot refill the cache with the old session', async () => {
    const { cache } = setup();
    let release!: (m: AuthMaterial) => void;
    const old = cache.get('api', () => new Promise<AuthMaterial>((r) => (release = r)));
    cache.invalidate();
    const fresh = vi.fn(async () => material(undefined, 'new'));
    const next = await cache.get('api', fresh);
    release(material(undefined, 'old'));
    expect((await old).material.headers['x-api-key']).toBe('old');
    expect(next.material.headers['x-api-key']).toBe('new');
    expect((await cache.get('api', fresh)).material.headers['x-api-key']).toBe('new');
    expect(fresh).toHaveBeenCalledTimes(1);
  });

  it('while primed (a restarted worker warming up), gets wait for it instead of asking again', async () => {
    const { cache } = setup();
    let release!: (all: Record<string, AuthMaterial>) => void;
    cache.prime(new Promise((r) => (release = r)));
    const load = vi.fn(async () => material(undefined, 'own'));
    const pending = Promise.all([cache.get('a', load), cache.get('b', load)]);
    release({ a: material(undefined, 'primed') });
    const [a, b] = await pending;
    expect(a.material.headers['x-api-key']).toBe('primed');
    // An API the warm-up did not cover is asked for on its own, once.
    expect(b.material.headers['x-api-key']).toBe('own');
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('a failed warm-up just ends the wait', async () => {
    const { cache } = setup();
    cache.prime(Promise.reject(new Error('page busy')));
    const entry = await cache.get('a', async () => material(undefined, 'own'));
    expect(entry.material.headers['x-api-key']).toBe('own');
  });

  it('a warm-up that settles after invalidate() fills nothing', async () => {
    const { cache } = setup();
    let release!: (all: Record<string, AuthMaterial>) => void;
    cache.prime(new Promise((r) => (release = r)));
    cache.invalidate();
    release({ a: material(undefined, 'old session') });
    await new Promise((r) => setTimeout(r, 0));
    const entry = await cache.get('a', async () => material(undefined, 'new session'));
    expect(entry.material.headers['x-api-key']).toBe('new session');
  });
});
