import { describe, expect, it, vi } from 'vitest';
import { collectMaterial } from '../../src/collect-material';
import type { FetchAuthSession, SessionLike } from '../../src/types';

const HOUR = 3_600_000;
const jwt = (exp: number, claims: Record<string, unknown> = { sub: 'u' }, signature = 'sig') =>
  `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify({ ...claims, exp })).toString('base64url')}.${signature}`;
const credentials = (expiration: number, accessKeyId = 'ASIA') => ({ accessKeyId, secretAccessKey: 'secret', sessionToken: 'token', expiration: new Date(expiration) });
const session = (s: SessionLike): FetchAuthSession => vi.fn(async () => s);

describe('collectMaterial (the page side of Amplify REST auth)', () => {
  it('lower-cases header names and posts credentials as plain data with the expiry in ms', async () => {
    const expiration = Date.now() + HOUR;
    const material = await collectMaterial('api', () => ({ 'X-Api-Key': 'k' }), session({ credentials: credentials(expiration) }));
    expect(material).toEqual({ identity: expect.any(String), headers: { 'x-api-key': 'k' }, credentials: { accessKeyId: 'ASIA', secretAccessKey: 'secret', sessionToken: 'token', expiration }, expiresAt: expiration, anonymous: true });
  });

  it('expires with the earliest of the credentials and any JWT in the headers', async () => {
    const exp = Math.floor(Date.now() / 1000) + 600;
    const material = await collectMaterial('api', () => ({ Authorization: jwt(exp) }), session({ credentials: credentials(Date.now() + HOUR) }));
    expect(material.expiresAt).toBe(exp * 1000);
    const bearer = await collectMaterial('api', () => ({ Authorization: `Bearer ${jwt(exp)}` }), session({}));
    expect(bearer.expiresAt).toBe(exp * 1000);
    expect(await collectMaterial('api', () => ({ Authorization: 'custom-token' }), session({}))).not.toHaveProperty('expiresAt');
  });

  it('sends no credentials when fetchAuthSession() fails, as Amplify does, and says the session failed', async () => {
    const material = await collectMaterial('api', () => ({}), vi.fn(async () => Promise.reject(new Error('network error'))));
    expect(material).toEqual({ identity: expect.any(String), headers: {}, sessionFailed: true, anonymous: true });
  });

  it('refreshes credentials about to expire, and on demand', async () => {
    const fetchSession = vi.fn(async (options?: { forceRefresh?: boolean }) => ({ credentials: credentials(Date.now() + (options?.forceRefresh ? HOUR : 30_000)) }));
    await collectMaterial('api', () => ({}), fetchSession);
    expect(fetchSession.mock.calls).toEqual([[undefined], [{ forceRefresh: true }]]);
    fetchSession.mockClear();
    await collectMaterial('api', () => ({}), fetchSession, true);
    expect(fetchSession.mock.calls).toEqual([[{ forceRefresh: true }]]);
  });

  it.each([
    ['a string', 'Bearer x', /must return an object of header names to strings, got string/],
    ['an array', [['a', 'b']], /got an array/],
    ['a number value', { Authorization: 42 }, /returned number for header "Authorization"; header values must be strings/],
    ['a boolean value', { 'X-Api-Key': true }, /returned boolean for header "X-Api-Key"/],
  ])('rejects headers() returning %s, naming the API', async (_, value, message) => {
    await expect(collectMaterial('orders', () => value as any, session({}))).rejects.toThrow(message);
    await expect(collectMaterial('orders', () => value as any, session({}))).rejects.toThrow('apiName: "orders"');
  });

  it('drops undefined or null header values: the docs\' `{ Authorization: idToken }` while signed out', async () => {
    expect((await collectMaterial('api', () => ({ Authorization: undefined, 'X-Api-Key': 'k', 'X-Other': null }) as any, session({}))).headers).toEqual({ 'x-api-key': 'k' });
  });

  it('treats null or undefined from headers() as no headers, as Amplify spreads them', async () => {
    expect((await collectMaterial('api', () => undefined as any, session({}))).headers).toEqual({});
    expect((await collectMaterial('api', () => null as any, session({}))).headers).toEqual({});
  });

  it('refuses credentials that are already expired after a refresh, without their key id in the message', async () => {
    const expired = collectMaterial('api', () => ({}), session({ credentials: credentials(Date.now() - 1000, 'ASIAEXPIREDKEYID') }));
    await expect(expired).rejects.toThrow(/credentials expired at .* and a refresh did not renew them; check this device's clock/);
    await expect(expired).rejects.not.toThrow('ASIAEXPIREDKEYID');
  });

  it('propagates a throwing headers() with its message', async () => {
    await expect(collectMaterial('api', () => Promise.reject(new Error('token service down')), session({}))).rejects.toThrow('token service down');
  });

  it.each([
    ['a CR', { 'X-Tenant': 'a\rb' }, /header "X-Tenant" has a value with a line break/],
    ['an LF', { 'X-Tenant': 'a\nX-Injected: 1' }, /header "X-Tenant" has a value with a line break/],
    ['a NUL', { 'X-Tenant': 'a\0b' }, /header "X-Tenant" has a value with .* a NUL/],
    ['a character above U+00FF', { 'X-Tenant': 'caf\u00e9 \u20ac' }, /header "X-Tenant" has a value with .* a character above U\+00FF/],
    ['an invalid header name', { 'X Tenant': 'a' }, /"X Tenant" is not a valid header name/],
  ])('rejects headers() returning %s, naming the header and the API', async (_, headers, message) => {
    const collected = collectMaterial('orders', () => headers, session({}));
    await expect(collected).rejects.toThrow(message);
    await expect(collected).rejects.toThrow('API.REST.headers({ apiName: "orders" })');
  });
});

describe('collectMaterial identity (which pages share material in the worker)', () => {
  const exp = () => Math.floor(Date.now() / 1000) + 600;
  const tokens = (sub: string) => ({ accessToken: { toString: () => 'access', payload: { sub } } });
  const user = (overrides: SessionLike = {}): SessionLike => ({ identityId: 'us-east-1:alice', tokens: tokens('alice-sub'), credentials: credentials(Date.now() + HOUR, 'ASIA-TAB-1'), ...overrides });
  const identityOf = async (s: SessionLike, headers: Record<string, string> = { 'X-Tenant': 'acme' }) => (await collectMaterial('api', () => headers, session(s))).identity;

  it('is anonymous without a signed-in user or an Authorization from headers() (replay-as-current never adopts it)', async () => {
    const anonymous = async (s: SessionLike, headers: Record<string, string> = {}) => (await collectMaterial('api', () => headers, session(s))).anonymous;
    expect(await anonymous({ identityId: 'us-east-1:guest', credentials: credentials(Date.now() + HOUR) })).toBe(true);
    expect(await anonymous(user())).toBeUndefined();
    expect(await anonymous({}, { Authorization: 'custom-token' })).toBeUndefined();
  });

  it('is a 16-byte digest, in base64', async () => {
    const identity = await identityOf(user(), { Authorization: jwt(exp()), 'X-Api-Key': 'api-key-secret' });
    expect(identity).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(Buffer.from(identity, 'base64')).toHaveLength(16);
  });

  it('is the same for two tabs of one user, whose credentials differ', async () => {
    const tab1 = await identityOf(user({ credentials: credentials(Date.now() + HOUR, 'ASIA-TAB-1') }));
    const tab2 = await identityOf(user({ credentials: { ...credentials(Date.now() + 2 * HOUR, 'ASIA-TAB-2'), secretAccessKey: 'other', sessionToken: 'other' } }));
    expect(tab2).toBe(tab1);
  });

  it('differs with the identity-pool identity', async () => {
    expect(await identityOf(user({ identityId: 'us-east-1:bob' }))).not.toBe(await identityOf(user()));
  });

  it('differs with the token subject', async () => {
    expect(await identityOf(user({ tokens: tokens('bob-sub') }))).not.toBe(await identityOf(user()));
  });

  it('differs with the value of a plain header (a tenant)', async () => {
    expect(await identityOf(user(), { 'X-Tenant': 'globex' })).not.toBe(await identityOf(user(), { 'X-Tenant': 'acme' }));
  });

  it('does not depend on the order or case of header names', async () => {
    expect(await identityOf(user(), { 'X-Tenant': 'acme', 'X-Api-Key': 'k' })).toBe(await identityOf(user(), { 'x-api-key': 'k', 'x-tenant': 'acme' }));
  });

  it('survives a token refresh: a JWT counts by issuer and subject, not expiry or signature', async () => {
    const claims = { iss: 'https://cognito-idp.example/pool', sub: 'alice-sub' };
    const before = await identityOf(user(), { Authorization: jwt(exp(), claims, 'sig-1') });
    const after = await identityOf(user(), { Authorization: `Bearer ${jwt(exp() + 3600, claims, 'sig-2')}` });
    expect(after).toBe(before);
  });

  it('differs with a JWT header\'s subject or issuer', async () => {
    const of = (claims: Record<string, unknown>) => identityOf(user(), { Authorization: jwt(exp(), claims) });
    const alice = await of({ iss: 'https://idp.example', sub: 'alice' });
    expect(await of({ iss: 'https://idp.example', sub: 'bob' })).not.toBe(alice);
    expect(await of({ iss: 'https://other-idp.example', sub: 'alice' })).not.toBe(alice);
  });

  it('differs with any lasting claim of a JWT: one user\'s tokens for two tenants or scopes are two identities', async () => {
    const of = (claims: Record<string, unknown>) => identityOf(user(), { Authorization: jwt(exp(), { iss: 'https://idp.example', sub: 'alice', ...claims }) });
    expect(await of({ 'custom:tenant': 'acme' })).not.toBe(await of({ 'custom:tenant': 'globex' }));
    expect(await of({ scope: 'read' })).not.toBe(await of({ scope: 'read write' }));
    expect(await of({ jti: 'one', origin_jti: 'x', event_id: 'e1', auth_time: 1 })).toBe(await of({ jti: 'two', origin_jti: 'y', event_id: 'e2', auth_time: 2 }));
  });

  it('counts a JWT without a subject by its other claims, and never confuses issuer and subject', async () => {
    const custom = (claims: Record<string, unknown>) => identityOf({}, { Authorization: jwt(exp(), claims) });
    expect(await custom({ uid: 'alice' })).not.toBe(await custom({ uid: 'bob' }));
    expect(await custom({ iss: 'a', sub: 'x:y' })).not.toBe(await custom({ iss: 'a:x', sub: 'y' }));
  });

  it('without an identity-pool identity (a custom source), differs with the access key id', async () => {
    const custom = (accessKeyId: string) => identityOf({ credentials: credentials(Date.now() + HOUR, accessKeyId) });
    expect(await custom('AKIA-ONE')).not.toBe(await custom('AKIA-TWO'));
  });
});
