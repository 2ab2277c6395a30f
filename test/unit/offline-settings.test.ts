import { describe, expect, it } from 'vitest';
import { covers, offlineSettings } from '../../sw/offline/offline-settings';

const APIS = ['orders', 'profile'];

describe('offlineSettings (registerAuthWorker({ offline }) and the worker default)', () => {
  it('is off unless asked for', () => {
    expect(offlineSettings(undefined, APIS)).toEqual({});
  });

  it('fills the issue\'s defaults for `true`', () => {
    const { queue, cache } = offlineSettings({ queue: true, cache: true }, APIS);
    expect([...queue!.methods]).toEqual(['POST', 'PUT', 'PATCH', 'DELETE']);
    expect(queue).toMatchObject({ apis: undefined, maxEntries: 500, maxAgeMs: 7 * 86_400_000, onIdentityChange: 'hold', idempotencyHeader: undefined });
    expect(cache).toMatchObject({ apis: undefined, strategy: 'network-first', maxEntries: 200, maxAgeMs: 86_400_000 });
    expect(covers(queue, 'orders')).toBe(true);
  });

  it('limits each part to the APIs named, and upper-cases methods and lower-cases the idempotency header', () => {
    const { queue, cache } = offlineSettings({ queue: { apis: ['orders'], methods: ['post'], idempotencyHeader: 'Idempotency-Key' }, cache: { apis: ['profile'], strategy: 'stale-while-revalidate' } }, APIS);
    expect(covers(queue, 'orders')).toBe(true);
    expect(covers(queue, 'profile')).toBe(false);
    expect(covers(cache, 'profile')).toBe(true);
    expect([...queue!.methods]).toEqual(['POST']);
    expect(queue!.idempotencyHeader).toBe('idempotency-key');
    expect(covers(undefined, 'orders')).toBe(false);
  });

  it.each([
    [{ queue: { apis: ['billing'] } }, 'names API "billing", which is not configured (configured: orders, profile)'],
    [{ queue: { methods: ['GET'] } }, 'lists "GET"; only POST, PUT, PATCH, DELETE can be queued'],
    [{ queue: { onIdentityChange: 'as-bob' } }, "must be one of 'hold', 'drop', 'replay-as-current'"],
    [{ queue: { maxEntries: 0 } }, '`offline.queue.maxEntries` must be a positive number'],
    [{ queue: { idempotencyHeader: 'Idem Key' } }, 'must be a valid header name'],
    [{ queue: { retries: 3 } }, 'unknown option "retries"'],
    [{ cache: { strategy: 'cache-first' } }, "must be one of 'network-first', 'stale-while-revalidate'"],
    [{ cache: 'yes' }, '`offline.cache` must be true or an object'],
    [{ cache: { apis: [] } }, 'must be a non-empty array of strings'],
    [{ sync: true }, 'unknown option "sync"'],
  ])('refuses %j, naming the problem', (options, message) => {
    expect(() => offlineSettings(options as never, APIS)).toThrow(message);
  });

  it('checks API names only when they are known (a worker default is checked against each page config)', () => {
    expect(() => offlineSettings({ queue: { apis: ['billing'] } }, undefined)).not.toThrow();
  });
});
