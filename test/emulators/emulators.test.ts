// Node-level checks of the local AWS stand-ins (demo/emulators): Cognito via moto
// + proxy, and the API Gateway emulator's auth modes, SigV4 check, clock and CORS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { AwsV4Signer } from 'aws4fetch';
import { signRequest } from '@aws-amplify/core/internals/aws-client-utils';
// @ts-ignore plain .mjs without type declarations (no allowJs here)
import { startEmulators } from '../../demo/emulators/index.mjs';
// @ts-ignore plain .mjs without type declarations (no allowJs here)
import { startMoto, MOTO_MISSING } from '../../demo/emulators/moto.mjs';
import { cognitoClient, type Creds, type Tokens } from './cognito-client';

type Emu = {
  cognito: { endpoint: string; region: string; userPoolId: string; userPoolClientId: string; identityPoolId: string; users: { username: string; password: string }[] };
  api: { endpoint: string; region: string; apiKey: string; customTokens: Record<string, string>; controlUrl: string };
  stop: () => Promise<void>;
};

let emu: Emu;
let api: string;
let aliceTokens: Tokens;
let bobTokens: Tokens;
let guest: Creds;
let alice: Creds;
let cognito: ReturnType<typeof cognitoClient>['cognito'];
let identityCreds: ReturnType<typeof cognitoClient>['identityCreds'];

const sha256 = (b: string | Uint8Array) => createHash('sha256').update(b).digest('hex');
const amzDate = (d: Date) => d.toISOString().replace(/[-:]|\.\d{3}/g, '');
const payload = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());

type SignOpts = {
  method?: string; headers?: Record<string, string>; body?: string | Uint8Array<ArrayBuffer>; datetime?: string;
  secret?: string; service?: string; region?: string; sendBody?: string | Uint8Array<ArrayBuffer>; sendHeaders?: Record<string, string>;
};

/** Sign with aws4fetch (as a browser-side signer would) and send; send* tamper after signing. */
async function signedFetch(url: string, creds: Creds, o: SignOpts = {}) {
  const signer = new AwsV4Signer({
    url,
    method: o.method ?? 'GET',
    headers: o.headers,
    body: o.body,
    accessKeyId: creds.accessKeyId,
    secretAccessKey: o.secret ?? creds.secretAccessKey,
    sessionToken: creds.sessionToken,
    service: o.service ?? 'execute-api',
    region: o.region ?? 'us-east-1',
    datetime: o.datetime,
  });
  const s = await signer.sign();
  const headers = new Headers(s.headers);
  for (const [k, v] of Object.entries(o.sendHeaders ?? {})) headers.set(k, v);
  return fetch(s.url, { method: s.method, headers, body: o.sendBody ?? s.body });
}

async function json(res: Response) {
  return { status: res.status, type: res.headers.get('x-amzn-errortype'), body: (await res.json()) as any };
}

async function setClockOffset(offsetMs: number) {
  const r = await fetch(`${emu.api.controlUrl}/clock`, { method: 'POST', body: JSON.stringify({ offsetMs }) });
  expect(r.status).toBe(200);
}

beforeAll(async () => {
  emu = await startEmulators();
  api = emu.api.endpoint;
  const client = cognitoClient(emu.cognito);
  cognito = client.cognito;
  identityCreds = client.identityCreds;
  ({ aliceTokens, bobTokens, guest, alice } = await client.sessions(emu.cognito.users));
}, 60_000);

afterAll(async () => {
  await emu?.stop();
});

describe('startEmulators config', () => {
  it('returns loopback endpoints and the documented shape', () => {
    expect(emu.cognito.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(emu.api.endpoint).toMatch(/^http:\/\/localhost:\d+\/prod$/);
    expect(emu.api.controlUrl).toMatch(/^http:\/\/localhost:\d+\/__control$/);
    expect(emu.cognito.region).toBe('us-east-1');
    expect(emu.cognito.userPoolId).toMatch(/^us-east-1_/);
    expect(emu.cognito.identityPoolId).toMatch(/^us-east-1:/);
    expect(emu.cognito.users.map((u) => u.username)).toEqual(['alice', 'bob']);
    expect(emu.api.apiKey).toBe('demo-api-key-0123456789abcdef');
    expect(emu.api.customTokens).toEqual({ 'custom-token-alice': 'alice', 'custom-token-bob': 'bob' });
  });

  it('the API answers on localhost and on the 127.0.0.1 lookalike origin', async () => {
    const port = new URL(api).port;
    for (const base of [`http://localhost:${port}`, `http://127.0.0.1:${port}`]) {
      const r = await json(await fetch(`${base}/prod/open/x`));
      expect(r.status).toBe(200);
      expect(r.body.route).toBe('open');
    }
  });

  it('startMoto explains a missing moto_server', async () => {
    const saved = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await expect(startMoto()).rejects.toThrow(MOTO_MISSING);
    } finally {
      process.env.PATH = saved;
    }
    expect(MOTO_MISSING).toBe("moto_server not found on PATH: install moto[server] 5.2.1 (pip install 'moto[server]==5.2.1')");
  });
});

describe('Cognito through the proxy', () => {
  it('USER_PASSWORD_AUTH sign-in returns id, access and refresh tokens for the user', () => {
    const id = payload(aliceTokens.IdToken);
    const access = payload(aliceTokens.AccessToken);
    expect(id.token_use).toBe('id');
    expect(id['cognito:username']).toBe('alice');
    expect(id.aud).toBe(emu.cognito.userPoolClientId);
    expect(access.token_use).toBe('access');
    expect(access.client_id).toBe(emu.cognito.userPoolClientId);
    expect(aliceTokens.RefreshToken).toBeTruthy();
    expect(payload(bobTokens.IdToken).sub).not.toBe(id.sub);
  });

  it('a wrong password is refused', async () => {
    const r = await cognito('AWSCognitoIdentityProviderService.InitiateAuth', {
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: emu.cognito.userPoolClientId,
      AuthParameters: { USERNAME: 'alice', PASSWORD: 'wrong-Passw0rd!' },
    });
    expect(r.status).toBe(400);
    expect(r.body.__type).toBe('NotAuthorizedException');
  });

  it('answers CORS for the page origin', async () => {
    const r = await cognito('AWSCognitoIdentityProviderService.InitiateAuth', {
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: emu.cognito.userPoolClientId,
      AuthParameters: { USERNAME: 'bob', PASSWORD: 'Passw0rd!bob' },
    }, { origin: 'http://localhost:5173' });
    expect(r.status).toBe(200);
    expect(r.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const pre = await fetch(emu.cognito.endpoint + '/', {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-amz-target,x-amz-user-agent' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(pre.headers.get('access-control-allow-headers')).toBe('content-type,x-amz-target,x-amz-user-agent');
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
  });

  it('GetTokensFromRefreshToken refreshes and keeps the refresh token', async () => {
    const r = await cognito('AWSCognitoIdentityProviderService.GetTokensFromRefreshToken', {
      ClientId: emu.cognito.userPoolClientId,
      RefreshToken: aliceTokens.RefreshToken,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const a = r.body.AuthenticationResult;
    expect(a.RefreshToken).toBe(aliceTokens.RefreshToken);
    expect(a.TokenType).toBe('Bearer');
    expect(a.ExpiresIn).toBeGreaterThan(0);
    expect(payload(a.IdToken)['cognito:username']).toBe('alice');
    expect(payload(a.IdToken).jti).not.toBe(payload(aliceTokens.IdToken).jti);
    expect(payload(a.AccessToken).token_use).toBe('access');

    const bad = await cognito('AWSCognitoIdentityProviderService.GetTokensFromRefreshToken', {
      ClientId: emu.cognito.userPoolClientId,
      RefreshToken: 'not-a-refresh-token',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.__type).toBeTruthy();
  });

  it('RevokeToken answers 200 {}', async () => {
    const r = await cognito('AWSCognitoIdentityProviderService.RevokeToken', {
      ClientId: emu.cognito.userPoolClientId,
      Token: bobTokens.RefreshToken,
    });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({});
  });

  it('guest and alice get distinct credentials; alice keeps her identity id', async () => {
    expect(guest.identityId).toMatch(/^us-east-1:[0-9a-f-]{36}$/);
    expect(alice.identityId).toMatch(/^us-east-1:[0-9a-f-]{36}$/);
    expect(guest.identityId).not.toBe(alice.identityId);
    expect(guest.accessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(guest.accessKeyId).not.toBe(alice.accessKeyId);
    expect(guest.secretAccessKey).not.toBe(alice.secretAccessKey);
    expect(guest.sessionToken).not.toBe(alice.sessionToken);
    expect(typeof guest.expiration).toBe('number');
    expect(guest.expiration * 1000).toBeGreaterThan(Date.now() + 50 * 60_000);

    const again = await identityCreds(aliceTokens.IdToken);
    expect(again.identityId).toBe(alice.identityId);
    const bob = await identityCreds(bobTokens.IdToken);
    expect(bob.identityId).not.toBe(alice.identityId);
    const guest2 = await identityCreds();
    expect(guest2.identityId).not.toBe(guest.identityId);
  });

  it('identity calls reject bad tokens and mismatched identities', async () => {
    const key = `cognito-idp.us-east-1.amazonaws.com/${emu.cognito.userPoolId}`;
    const garbage = await cognito('AWSCognitoIdentityService.GetCredentialsForIdentity', {
      IdentityId: alice.identityId,
      Logins: { [key]: 'garbage.token.here' },
    });
    expect(garbage.status).toBe(400);
    expect(garbage.body.__type).toBe('NotAuthorizedException');
    expect(garbage.headers.get('x-amzn-errortype')).toBe('NotAuthorizedException');

    const accessInstead = await cognito('AWSCognitoIdentityService.GetId', {
      IdentityPoolId: emu.cognito.identityPoolId,
      Logins: { [key]: aliceTokens.AccessToken },
    });
    expect(accessInstead.body.__type).toBe('NotAuthorizedException');

    const bobOnAlice = await cognito('AWSCognitoIdentityService.GetCredentialsForIdentity', {
      IdentityId: alice.identityId,
      Logins: { [key]: bobTokens.IdToken },
    });
    expect(bobOnAlice.body.__type).toBe('NotAuthorizedException');

    const aliceAsGuest = await cognito('AWSCognitoIdentityService.GetCredentialsForIdentity', { IdentityId: alice.identityId });
    expect(aliceAsGuest.body.__type).toBe('NotAuthorizedException');

    const unknown = await cognito('AWSCognitoIdentityService.GetCredentialsForIdentity', { IdentityId: 'us-east-1:00000000-0000-0000-0000-000000000000' });
    expect(unknown.body.__type).toBe('ResourceNotFoundException');

    const otherPool = await cognito('AWSCognitoIdentityService.GetId', { IdentityPoolId: 'us-east-1:00000000-0000-0000-0000-000000000000' });
    expect(otherPool.body.__type).toBe('ResourceNotFoundException');
  });
});

describe('API Gateway emulator: IAM', () => {
  it('GET with query params signed by guest credentials passes /prod/iam as guest', async () => {
    const r = await json(await signedFetch(`${api}/iam/items/1?b=2&a=1&a=0&sp=x y&plus=1+2&u=%C3%BC&empty=`, guest));
    expect(r.status, r.body.message).toBe(200);
    expect(r.body.auth).toEqual({ type: 'iam', accessKeyId: guest.accessKeyId, identityId: guest.identityId, role: 'guest' });
    expect(r.body.route).toBe('iam');
    expect(r.body.query).toEqual({ b: '2', a: ['1', '0'], sp: 'x y', plus: '1 2', u: 'ü', empty: '' });
    expect(r.body.seen).toMatchObject({ authorization: true, xAmzDate: true, xAmzSecurityToken: true, xApiKey: false });
    expect(r.body.seen.headerNames).toContain('x-amz-security-token');
  });

  it('POST with a JSON body passes and the API saw the exact bytes', async () => {
    const body = JSON.stringify({ hello: 'wörld', n: [1, 2, 3] });
    const r = await json(await signedFetch(`${api}/iam/items`, guest, { method: 'POST', body, headers: { 'content-type': 'application/json' } }));
    expect(r.status, r.body.message).toBe(200);
    expect(r.body.auth.role).toBe('guest');
    expect(r.body.body).toEqual({ length: Buffer.byteLength(body), sha256: sha256(body), contentType: 'application/json' });
  });

  it('POST with a binary body passes', async () => {
    const body = new Uint8Array(70_000).map((_, i) => (i * 7919) & 0xff);
    const r = await json(await signedFetch(`${api}/iam/upload`, guest, { method: 'PUT', body, headers: { 'content-type': 'application/octet-stream' } }));
    expect(r.status, r.body.message).toBe(200);
    expect(r.body.body.sha256).toBe(sha256(body));
    expect(r.body.body.length).toBe(70_000);
  });

  it('paths with spaces, unicode and encoded characters verify (double-encoded canonical path)', async () => {
    const paths = [
      '/iam/with space/and more',
      '/iam/ünïcödé/日本語/😀',
      '/iam/pre%2Fencoded%20slash/a%41',
      "/iam/it's(1)!*~-_./x",
      '/iam/a[b]|c^d;e=f,g@h$i&j+k',
      '/iam//double//slash',
    ];
    for (const p of paths) {
      const r = await json(await signedFetch(`${api}${p}?q=${encodeURIComponent('a b/ü')}`, guest, { method: 'DELETE' }));
      expect(r.status, `${p}: ${r.body.message}`).toBe(200);
      expect(r.body.auth.role).toBe('guest');
    }
    const r = await json(await signedFetch(`${api}/iam/ünï code`, guest));
    expect(r.body.path).toBe('/prod/iam/%C3%BCn%C3%AF%20code');
    expect(r.body.decodedPath).toBe('/prod/iam/ünï code');
  });

  it("requests signed by Amplify's own signRequest verify too", async () => {
    const body = JSON.stringify({ from: 'amplify' });
    const url = new URL(`${api}/iam/ämplify path/x?z=1&a=b c`);
    const signed = signRequest(
      { url, method: 'POST', headers: { 'content-type': 'application/json' }, body },
      {
        credentials: { accessKeyId: alice.accessKeyId, secretAccessKey: alice.secretAccessKey, sessionToken: alice.sessionToken },
        signingRegion: 'us-east-1',
        signingService: 'execute-api',
      },
    );
    const r = await json(await fetch(signed.url, { method: 'POST', headers: signed.headers, body }));
    expect(r.status, r.body.message).toBe(200);
    expect(r.body.auth).toMatchObject({ role: 'authenticated', username: 'alice' });
  });

  it('tampering after signing fails with InvalidSignatureException', async () => {
    const url = `${api}/iam/items`;
    const body = await json(await signedFetch(url, guest, { method: 'POST', body: '{"a":1}', sendBody: '{"a":2}' }));
    expect([body.status, body.type]).toEqual([403, 'InvalidSignatureException']);
    expect(body.body.message).toMatch(/^The request signature we calculated does not match the signature you provided/);
    expect(body.body.auth).toBeNull();

    const header = await json(await signedFetch(url, guest, { headers: { 'x-demo': '1' }, sendHeaders: { 'x-demo': '2' } }));
    expect([header.status, header.type]).toEqual([403, 'InvalidSignatureException']);

    const query = await json(await signedFetchTamperedUrl(`${url}?a=1`, `${url}?a=2`));
    expect([query.status, query.type]).toEqual([403, 'InvalidSignatureException']);

    const secret = await json(await signedFetch(url, guest, { secret: alice.secretAccessKey }));
    expect([secret.status, secret.type]).toEqual([403, 'InvalidSignatureException']);

    const unsigned = await json(await signedFetch(url, guest, { method: 'POST', body: 'x', headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } }));
    expect([unsigned.status, unsigned.type]).toEqual([403, 'InvalidSignatureException']);
  });

  async function signedFetchTamperedUrl(signUrl: string, sendUrl: string) {
    const s = await new AwsV4Signer({
      url: signUrl, accessKeyId: guest.accessKeyId, secretAccessKey: guest.secretAccessKey,
      sessionToken: guest.sessionToken, service: 'execute-api', region: 'us-east-1',
    }).sign();
    return fetch(sendUrl, { headers: s.headers });
  }

  it('an old or future x-amz-date fails with AWS wording', async () => {
    const old = await json(await signedFetch(`${api}/iam/x`, guest, { datetime: amzDate(new Date(Date.now() - 10 * 60_000)) }));
    expect([old.status, old.type]).toEqual([403, 'InvalidSignatureException']);
    expect(old.body.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/);

    const future = await json(await signedFetch(`${api}/iam/x`, guest, { datetime: amzDate(new Date(Date.now() + 10 * 60_000)) }));
    expect([future.status, future.type]).toEqual([403, 'InvalidSignatureException']);
    expect(future.body.message).toMatch(/^Signature not yet current:/);

    const recent = await json(await signedFetch(`${api}/iam/x`, guest, { datetime: amzDate(new Date(Date.now() - 4 * 60_000)) }));
    expect(recent.status).toBe(200);
  });

  it('unknown keys, a missing session token, wrong scope and no Authorization are refused', async () => {
    const unknown = await json(await signedFetch(`${api}/iam/x`, { ...guest, accessKeyId: 'ASIAUNKNOWN000000000' }));
    expect([unknown.status, unknown.type]).toEqual([403, 'UnrecognizedClientException']);
    expect(unknown.body.message).toMatch(/^The security token included in the request is invalid/);

    const otherToken = await json(await signedFetch(`${api}/iam/x`, { ...guest, sessionToken: alice.sessionToken }));
    expect([otherToken.status, otherToken.type]).toEqual([403, 'UnrecognizedClientException']);

    const service = await json(await signedFetch(`${api}/iam/x`, guest, { service: 'lambda' }));
    expect([service.status, service.type]).toEqual([403, 'InvalidSignatureException']);
    const region = await json(await signedFetch(`${api}/iam/x`, guest, { region: 'eu-west-1' }));
    expect([region.status, region.type]).toEqual([403, 'InvalidSignatureException']);

    const none = await json(await fetch(`${api}/iam/x`));
    expect([none.status, none.type]).toEqual([403, 'MissingAuthenticationTokenException']);
    expect(none.body.message).toBe('Missing Authentication Token');

    const bearer = await json(await fetch(`${api}/iam/x`, { headers: { authorization: aliceTokens.IdToken } }));
    expect([bearer.status, bearer.type]).toEqual([403, 'IncompleteSignatureException']);
  });

  it('expired credentials get ExpiredTokenException', async () => {
    const c = await identityCreds();
    expect((await signedFetch(`${api}/iam/x`, c)).status).toBe(200);
    const r = await fetch(`${emu.api.controlUrl}/expire-credentials`, { method: 'POST', body: JSON.stringify({ accessKeyId: c.accessKeyId }) });
    expect(((await r.json()) as any).expired).toBe(1);
    const after = await json(await signedFetch(`${api}/iam/x`, c));
    expect([after.status, after.type]).toEqual([403, 'ExpiredTokenException']);
    // Others are untouched.
    expect((await signedFetch(`${api}/iam/x`, guest)).status).toBe(200);
  });

  it('iam-auth rejects the guest role and accepts alice', async () => {
    const g = await json(await signedFetch(`${api}/iam-auth/me`, guest));
    expect([g.status, g.type]).toEqual([403, 'AccessDeniedException']);
    expect(g.body.message).toMatch(/^User: .* is not authorized/);
    const a = await json(await signedFetch(`${api}/iam-auth/me`, alice));
    expect(a.status, a.body.message).toBe(200);
    expect(a.body.auth).toEqual({ type: 'iam', accessKeyId: alice.accessKeyId, identityId: alice.identityId, role: 'authenticated', username: 'alice' });
  });
});

describe('API Gateway emulator: API key, tokens, custom', () => {
  it('apikey accepts the right key (ignoring Authorization) and rejects others', async () => {
    const ok = await json(await fetch(`${api}/apikey/x`, { headers: { 'x-api-key': emu.api.apiKey, authorization: 'whatever' } }));
    expect(ok.status).toBe(200);
    expect(ok.body.auth).toEqual({ type: 'apikey' });
    expect(ok.body.apiKey).toBe(true);
    const wrong = await json(await fetch(`${api}/apikey/x`, { headers: { 'x-api-key': 'nope' } }));
    expect([wrong.status, wrong.body.message]).toEqual([403, 'Forbidden']);
    expect(wrong.body.seen.xApiKey).toBe(true);
    expect(wrong.body.apiKey).toBe(false);
    const missing = await json(await fetch(`${api}/apikey/x`));
    expect([missing.status, missing.body.message]).toEqual([403, 'Forbidden']);
  });

  it('iam-apikey needs both a signature and the key', async () => {
    const key = { 'x-api-key': emu.api.apiKey };
    const both = await json(await signedFetch(`${api}/iam-apikey/x`, guest, { headers: key }));
    expect(both.status, both.body.message).toBe(200);
    expect(both.body.auth.type).toBe('iam');
    expect(both.body.apiKey).toBe(true);
    const sigOnly = await json(await signedFetch(`${api}/iam-apikey/x`, guest));
    expect([sigOnly.status, sigOnly.body.message]).toEqual([403, 'Forbidden']);
    const keyOnly = await json(await fetch(`${api}/iam-apikey/x`, { headers: key }));
    expect([keyOnly.status, keyOnly.type]).toEqual([403, 'MissingAuthenticationTokenException']);
    const wrongKey = await json(await signedFetch(`${api}/iam-apikey/x`, guest, { headers: { 'x-api-key': 'nope' } }));
    expect(wrongKey.status).toBe(403);
  });

  it('idtoken accepts id tokens only', async () => {
    const raw = await json(await fetch(`${api}/idtoken/x`, { headers: { authorization: aliceTokens.IdToken } }));
    expect(raw.status).toBe(200);
    expect(raw.body.auth).toEqual({ type: 'idtoken', sub: payload(aliceTokens.IdToken).sub, username: 'alice' });
    const bearer = await json(await fetch(`${api}/idtoken/x`, { headers: { authorization: `Bearer ${bobTokens.IdToken}` } }));
    expect(bearer.status).toBe(200);
    expect(bearer.body.auth.username).toBe('bob');
    for (const authorization of [aliceTokens.AccessToken, 'garbage', `${aliceTokens.IdToken.slice(0, -4)}AAAA`]) {
      const r = await json(await fetch(`${api}/idtoken/x`, { headers: { authorization } }));
      expect([r.status, r.body.message]).toEqual([401, 'Unauthorized']);
    }
    expect((await fetch(`${api}/idtoken/x`)).status).toBe(401);
  });

  it('accesstoken accepts access tokens only', async () => {
    const ok = await json(await fetch(`${api}/accesstoken/x`, { headers: { authorization: `Bearer ${aliceTokens.AccessToken}` } }));
    expect(ok.status).toBe(200);
    expect(ok.body.auth).toEqual({ type: 'accesstoken', sub: payload(aliceTokens.AccessToken).sub, username: 'alice' });
    for (const authorization of [aliceTokens.IdToken, 'garbage']) {
      const r = await json(await fetch(`${api}/accesstoken/x`, { headers: { authorization } }));
      expect(r.status).toBe(401);
    }
  });

  it('custom accepts configured tokens only', async () => {
    const ok = await json(await fetch(`${api}/custom/x`, { headers: { authorization: 'custom-token-bob' } }));
    expect(ok.status).toBe(200);
    expect(ok.body.auth).toEqual({ type: 'custom', principal: 'bob' });
    const bad = await json(await fetch(`${api}/custom/x`, { headers: { authorization: 'custom-token-eve' } }));
    expect([bad.status, bad.body.message]).toEqual([401, 'Unauthorized']);
    expect((await fetch(`${api}/custom/x`)).status).toBe(401);
  });

  it('open echoes; unknown routes are 404 Missing Authentication Token with the seen block', async () => {
    const open = await json(await fetch(`${api}/open/a?x=1`, { method: 'PATCH', body: 'hi', headers: { 'x-api-key': 'k' } }));
    expect(open.status).toBe(200);
    expect(open.body).toMatchObject({ ok: true, route: 'open', method: 'PATCH', path: '/prod/open/a', query: { x: '1' }, auth: null });
    expect(open.body.body.sha256).toBe(sha256('hi'));
    const port = new URL(api).port;
    for (const p of ['/prod-evil/iam/x', '/other/iam', '/prod/nope/x', '/prod', '/']) {
      const r = await json(await signedFetch(`http://localhost:${port}${p}`, guest));
      expect([r.status, r.body.message], p).toEqual([404, 'Missing Authentication Token']);
      expect(r.body.seen.authorization).toBe(true);
      expect(r.body.auth).toBeNull();
    }
  });

  it('redirect answers 302 to ?to=', async () => {
    const r = await fetch(`${api}/redirect/x?to=${encodeURIComponent('http://127.0.0.1:1/elsewhere')}`, { redirect: 'manual' });
    expect(r.status).toBe(302);
    expect(r.headers.get('location')).toBe('http://127.0.0.1:1/elsewhere');
  });

  it('slow waits ?ms= and an abort is logged', async () => {
    const t0 = Date.now();
    expect((await fetch(`${api}/slow/x?ms=300`)).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    const marker = `abort-${Date.now()}`;
    await expect(fetch(`${api}/slow/${marker}?ms=5000`, { signal: AbortSignal.timeout(200) })).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 100));
    const log = (await (await fetch(`${emu.api.controlUrl}/log`)).json()) as any;
    const entry = log.entries.find((e: any) => e.path === `/prod/slow/${marker}`);
    expect(entry).toMatchObject({ route: 'slow', aborted: true });
  });
});

describe('API Gateway emulator: clock, CORS, log', () => {
  it('a +20 min clock offset fails fresh signatures; Date shows the offset; a Date-corrected signature passes', async () => {
    await setClockOffset(20 * 60_000);
    try {
      const res = await signedFetch(`${api}/iam/x`, guest);
      const r = await json(res);
      expect([r.status, r.type]).toEqual([403, 'InvalidSignatureException']);
      expect(r.body.message).toMatch(/^Signature expired:/);
      const serverDate = new Date(res.headers.get('date')!);
      expect(Math.abs(serverDate.getTime() - (Date.now() + 20 * 60_000))).toBeLessThan(5000);
      // What Amplify's skew correction does: sign again on the server's clock.
      const retry = await json(await signedFetch(`${api}/iam/x`, guest, { datetime: amzDate(serverDate) }));
      expect(retry.status, retry.body.message).toBe(200);
      const state = (await (await fetch(`${emu.api.controlUrl}/state`)).json()) as any;
      expect(state.clockOffsetMs).toBe(20 * 60_000);
    } finally {
      await setClockOffset(0);
    }
    const back = await signedFetch(`${api}/iam/x`, guest);
    expect(back.status).toBe(200);
    expect(Math.abs(new Date(back.headers.get('date')!).getTime() - Date.now())).toBeLessThan(5000);
  });

  it('preflight allows exactly the listed headers', async () => {
    const res = await fetch(`${api}/iam/x`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'authorization,x-amz-date,x-amz-user-agent',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const allowed = res.headers.get('access-control-allow-headers')!.split(',');
    // x-tenant: the app header the identity tests return from headers(), allowed as such an app's API would;
    // range: a <video>'s, which the worker signs for a `media: true` API.
    expect(allowed.sort()).toEqual(['authorization', 'content-type', 'idempotency-key', 'range', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-security-token', 'x-api-key', 'x-tenant']);
    expect(allowed).not.toContain('x-amz-user-agent');
    expect(res.headers.get('access-control-allow-methods')).toBe('GET,POST,PUT,PATCH,DELETE,HEAD,OPTIONS');
    expect(res.headers.get('access-control-max-age')).toBe('600');

    const plain = await fetch(`${api}/open/x`, { headers: { origin: 'http://127.0.0.1:9' } });
    expect(plain.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:9');
    expect(plain.headers.get('access-control-expose-headers')).toBe('date,x-amzn-errortype,x-amzn-requestid,content-range,accept-ranges,content-length');
    expect(plain.headers.get('x-amzn-requestid')).toBeTruthy();
  });

  it('the log records requests with who was authenticated, and can be cleared', async () => {
    expect((await fetch(`${emu.api.controlUrl}/log`, { method: 'DELETE' })).status).toBe(200);
    await signedFetch(`${api}/iam-auth/logged`, alice);
    await fetch(`${api}/apikey/logged`);
    const log = (await (await fetch(`${emu.api.controlUrl}/log`)).json()) as any;
    expect(log.entries).toHaveLength(2);
    expect(log.count).toBeGreaterThan(2);
    expect(log.entries[0]).toMatchObject({ method: 'GET', path: '/prod/iam-auth/logged', route: 'iam-auth', status: 200, auth: { role: 'authenticated', username: 'alice' } });
    expect(log.entries[0].seen.xAmzSecurityToken).toBe(true);
    expect(log.entries[1]).toMatchObject({ route: 'apikey', status: 403, auth: null, error: 'ForbiddenException' });
    expect(log.entries[1].n).toBe(log.entries[0].n + 1);
  });
});
