// collectMaterial's `sessionFailed` (issue 12, capability 5): set when the session could not be
// read, never when a session simply has no credentials; and the identity a failed read keeps.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { collectMaterial } from '../../src/collect-material';
import { forgetSessions, type Who } from '../../src/session-who';
import type { FetchAuthSession, SessionLike } from '../../src/types';

const HOUR = 3_600_000;
const credentials = (expiration: number) => ({ accessKeyId: 'ASIA', secretAccessKey: 'secret', sessionToken: 'token', expiration: new Date(expiration) });
const tokens = (sub: string) => ({ accessToken: { toString: () => `at-${sub}`, payload: { sub, exp: Date.now() / 1000 + 3600 } } });
const resolves = (s: SessionLike): FetchAuthSession => vi.fn(async () => s);
const throws: FetchAuthSession = vi.fn(async () => Promise.reject(Object.assign(new Error('A network error has occurred.'), { name: 'NetworkError' })));
const stored = (who: Who) => async () => who;
const collect = (fetchSession: FetchAuthSession, readStored?: () => Promise<Who>) => collectMaterial('api', () => ({ 'X-Tenant': 'acme' }), fetchSession, false, readStored);

afterEach(() => forgetSessions());

describe('collectMaterial: a failed session fetch', () => {
  it.each<[string, SessionLike]>([
    ['no identity pool, signed out', {}],
    ['no identity pool, signed in', { tokens: tokens('alice') }],
    ['guest access off, signed out', {}],
    ["defaultAuthMode 'none' (the session source answers {})", {}],
  ])('is not a failure when the session has no credentials by configuration: %s', async (_, s) => {
    const material = await collect(resolves(s));
    expect(material).not.toHaveProperty('sessionFailed');
    expect(material).not.toHaveProperty('credentials');
  });

  it('is a failure when fetchAuthSession() throws (Cognito unreachable)', async () => {
    const material = await collect(throws);
    expect(material.sessionFailed).toBe(true);
    expect(material).not.toHaveProperty('credentials');
  });

  it('a failed refresh of credentials about to expire keeps them for now, and is a failure', async () => {
    const expiration = Date.now() + 20_000;
    const fetchSession = vi.fn(async (o?: { forceRefresh?: boolean }) => (o?.forceRefresh ? Promise.reject(new Error('network')) : { identityId: 'id-1', credentials: credentials(expiration) }));
    const material = await collect(fetchSession);
    expect(material).toMatchObject({ sessionFailed: true, credentials: { accessKeyId: 'ASIA', expiration } });
    expect(material.identity).toBe((await collect(resolves({ identityId: 'id-1', credentials: credentials(Date.now() + HOUR) }))).identity);
  });

  it('a failed refresh of credentials already expired drops them, and is a failure', async () => {
    const fetchSession = vi.fn(async (o?: { forceRefresh?: boolean }) => (o?.forceRefresh ? Promise.reject(new Error('network')) : { credentials: credentials(Date.now() - 1) }));
    const material = await collect(fetchSession);
    expect(material.sessionFailed).toBe(true);
    expect(material).not.toHaveProperty('credentials');
  });
});

describe('collectMaterial: the identity of a failed session fetch', () => {
  const alice: SessionLike = { identityId: 'us-east-1:alice', tokens: tokens('alice-sub'), credentials: credentials(Date.now() + HOUR) };
  const guest: SessionLike = { identityId: 'us-east-1:guest-1', credentials: credentials(Date.now() + HOUR) };

  it('a guest keeps the identity: Amplify stores the guest identity id', async () => {
    const online = await collect(resolves(guest));
    expect((await collect(throws, stored({ identityId: 'us-east-1:guest-1' }))).identity).toBe(online.identity);
  });

  it('a signed-in user keeps the identity while the stored tokens name the user of the last session read', async () => {
    const online = await collect(resolves(alice));
    expect((await collect(throws, stored({ sub: 'alice-sub' }))).identity).toBe(online.identity);
  });

  it('another user in the stored tokens is another identity, never the last session\'s', async () => {
    const online = await collect(resolves(alice));
    const bob = await collect(throws, stored({ sub: 'bob-sub' }));
    expect(bob.identity).not.toBe(online.identity);
    expect(bob.identity).toBe((await collect(throws, stored({ sub: 'bob-sub' }))).identity);
  });

  it('signed out since (no stored tokens, no guest id): not the last user\'s identity', async () => {
    const online = await collect(resolves(alice));
    expect((await collect(throws, stored({}))).identity).not.toBe(online.identity);
  });

  it('without a store reader (a custom session source), or when it throws, the identity is no one\'s', async () => {
    const online = await collect(resolves(alice));
    const none = await collect(throws);
    expect(none.identity).not.toBe(online.identity);
    expect((await collect(throws, () => Promise.reject(new Error('storage denied')))).identity).toBe(none.identity);
  });

  it('a signed-in user whose session this page never read (opened offline) gets an identity of its own', async () => {
    const offline = await collect(throws, stored({ sub: 'alice-sub' }));
    expect(offline.identity).not.toBe((await collect(resolves(alice))).identity);
  });
});
