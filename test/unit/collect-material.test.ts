import { describe, expect, it, vi } from 'vitest';
import { collectMaterial } from '../../src/collect-material';
import type { FetchAuthSession, SessionLike } from '../../src/types';

const HOUR = 3_600_000;
const jwt = (exp: number) => `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify({ sub: 'u', exp })).toString('base64url')}.sig`;
const credentials = (expiration: number) => ({ accessKeyId: 'ASIA', secretAccessKey: 'secret', sessionToken: 'token', expiration: new Date(expiration) });
const session = (s: SessionLike): FetchAuthSession => vi.fn(async () => s);

describe('collectMaterial (the page side of Amplify REST auth)', () => {
  it('lower-cases header names and posts credentials as plain data with the expiry in ms', async () => {
    const expiration = Date.now() + HOUR;
    const material = await collectMaterial('api', () => ({ 'X-Api-Key': 'k' }), session({ credentials: credentials(expiration) }));
    expect(material).toEqual({ headers: { 'x-api-key': 'k' }, credentials: { accessKeyId: 'ASIA', secretAccessKey: 'secret', sessionToken: 'token', expiration }, expiresAt: expiration });
  });

  it('expires with the earliest of the credentials and any JWT in the headers', async () => {
    const exp = Math.floor(Date.now() / 1000) + 600;
    const material = await collectMaterial('api', () => ({ Authorization: jwt(exp) }), session({ credentials: credentials(Date.now() + HOUR) }));
    expect(material.expiresAt).toBe(exp * 1000);
    const bearer = await collectMaterial('api', () => ({ Authorization: `Bearer ${jwt(exp)}` }), session({}));
    expect(bearer.expiresAt).toBe(exp * 1000);
    expect(await collectMaterial('api', () => ({ Authorization: 'custom-token' }), session({}))).not.toHaveProperty('expiresAt');
  });

  it('sends no credentials when fetchAuthSession() fails, as Amplify does', async () => {
    const material = await collectMaterial('api', () => ({}), vi.fn(async () => Promise.reject(new Error('no identity pool'))));
    expect(material).toEqual({ headers: {} });
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

  it('refuses credentials that are already expired after a refresh, with a message naming them', async () => {
    await expect(collectMaterial('api', () => ({}), session({ credentials: credentials(Date.now() - 1000) }))).rejects.toThrow(/credentials \(ASIA\) expired at .* and a refresh did not renew them/);
  });

  it('propagates a throwing headers() with its message', async () => {
    await expect(collectMaterial('api', () => Promise.reject(new Error('token service down')), session({}))).rejects.toThrow('token service down');
  });
});
