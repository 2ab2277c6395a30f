// The AppSync emulator (demo/emulators/appsync.mjs) really checks what AppSync checks: SigV4 for
// service `appsync` over the exact body, its API key, user-pool tokens against moto's JWKS (raw,
// no `Bearer`), a Lambda authorizer's tokens, and answers with AppSync's error shape.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';
// @ts-ignore plain .mjs without type declarations (no allowJs here)
import { startEmulators } from '../../demo/emulators/index.mjs';
import { cognitoClient, type Creds, type Tokens } from './cognito-client';

type AppSyncConfig = { endpoint: string; region: string; apiKey: string; lambdaTokens: Record<string, string>; controlUrl: string };

let emu: { appsync: AppSyncConfig; cognito: any; stop: () => Promise<void> };
let endpoint: string;
let aliceTokens: Tokens;
let guest: Creds;
let alice: Creds;

const WHOAMI = JSON.stringify({ query: '{ whoami { mode principal username identityId sub role tokenUse } }' });

async function answer(res: Response) {
  return { status: res.status, type: res.headers.get('x-amzn-errortype'), body: (await res.json()) as any };
}

const post = (headers: Record<string, string>, body = WHOAMI) =>
  fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }).then(answer);

/** Signs a POST with @smithy/signature-v4, then sends `sendBody` (the signed body unless tampered with). */
async function signedPost(creds: Creds, { service = 'appsync', body = WHOAMI, sendBody = undefined as string | undefined } = {}) {
  const url = new URL(endpoint);
  const signer = new SignatureV4({
    service, region: 'us-east-1', sha256: Hash.bind(null, 'sha256'),
    credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey, sessionToken: creds.sessionToken },
  });
  const signed = await signer.sign({
    method: 'POST', protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path: url.pathname,
    headers: { host: url.host, 'content-type': 'application/json' }, body,
  });
  const { host: _host, ...headers } = signed.headers;
  return fetch(endpoint, { method: 'POST', headers, body: sendBody ?? body }).then(answer);
}

const unauthorized = (message: string) => ({ status: 401, type: 'UnauthorizedException', body: { errors: [{ errorType: 'UnauthorizedException', message }] } });

beforeAll(async () => {
  emu = await startEmulators();
  endpoint = emu.appsync.endpoint;
  ({ aliceTokens, guest, alice } = await cognitoClient(emu.cognito).sessions(emu.cognito.users));
}, 60_000);

afterAll(async () => {
  await emu?.stop();
});

describe('AppSync emulator: auth providers', () => {
  it('is configured on loopback with an API key and Lambda tokens', () => {
    expect(emu.appsync).toEqual({
      endpoint: expect.stringMatching(/^http:\/\/localhost:\d+\/graphql$/),
      region: 'us-east-1',
      apiKey: expect.stringMatching(/^da2-/),
      lambdaTokens: { 'lambda-token-alice': 'alice', 'lambda-token-bob': 'bob' },
      controlUrl: expect.stringMatching(/^http:\/\/localhost:\d+\/__control$/),
    });
  });

  it('IAM: a SigV4 signature for service appsync passes as the guest or the signed-in identity', async () => {
    const g = await signedPost(guest);
    expect(g.status, JSON.stringify(g.body)).toBe(200);
    expect(g.body.data.whoami).toMatchObject({ mode: 'AWS_IAM', role: 'guest', identityId: guest.identityId, username: null });
    const a = await signedPost(alice);
    expect(a.body.data.whoami).toMatchObject({ mode: 'AWS_IAM', role: 'authenticated', identityId: alice.identityId, username: 'alice' });
  });

  it('IAM: a signature for execute-api, or over another body, is refused', async () => {
    const wrongService = await signedPost(guest, { service: 'execute-api' });
    expect(wrongService).toMatchObject({ status: 403, type: 'InvalidSignatureException' });
    expect(wrongService.body.errors[0].message).toBe("Credential should be scoped to correct service: 'appsync'. ");
    const tampered = await signedPost(guest, { sendBody: WHOAMI.replace('mode', 'mode ') });
    expect(tampered).toMatchObject({ status: 403, type: 'InvalidSignatureException' });
    expect(tampered.body.errors[0].message).toMatch(/^The request signature we calculated does not match/);
  });

  it('API key: the configured key passes, another or an empty one is refused', async () => {
    const ok = await post({ 'x-api-key': emu.appsync.apiKey });
    expect(ok.body.data.whoami).toMatchObject({ mode: 'API_KEY', principal: null });
    for (const key of [`${emu.appsync.apiKey}x`, '']) {
      expect(await post({ 'x-api-key': key })).toEqual(unauthorized('You are not authorized to make this call.'));
    }
  });

  it('user pools: the raw access token (or id token) of the pool passes as that user; Bearer and forgeries are refused', async () => {
    const sub = JSON.parse(Buffer.from(aliceTokens.AccessToken.split('.')[1], 'base64url').toString()).sub;
    const access = await post({ authorization: aliceTokens.AccessToken });
    expect(access.body.data.whoami).toEqual({ mode: 'AMAZON_COGNITO_USER_POOLS', principal: 'alice', username: 'alice', sub, tokenUse: 'access', identityId: null, role: null });
    const id = await post({ authorization: aliceTokens.IdToken });
    expect(id.body.data.whoami).toMatchObject({ mode: 'AMAZON_COGNITO_USER_POOLS', username: 'alice', tokenUse: 'id' });
    expect(await post({ authorization: `Bearer ${aliceTokens.AccessToken}` })).toEqual(unauthorized('Unable to parse JWT token.'));
    const [h, p, s] = aliceTokens.AccessToken.split('.');
    const forged = `${h}.${p}.${s.slice(0, -4)}${s.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    expect(await post({ authorization: forged })).toEqual(unauthorized('Valid authorization header not provided.'));
  });

  it('Lambda: a configured token passes as its principal, another is refused', async () => {
    const ok = await post({ authorization: 'lambda-token-bob' });
    expect(ok.body.data.whoami).toMatchObject({ mode: 'AWS_LAMBDA', principal: 'bob' });
    expect(await post({ authorization: 'lambda-token-mallory' })).toEqual(unauthorized('You are not authorized to make this call.'));
  });

  it('no auth at all: 401 UnauthorizedException', async () => {
    expect(await post({})).toEqual(unauthorized('Valid authorization header not provided.'));
  });

  it('user pools: a token issued before the pool expired its tokens gets "Token has expired."', async () => {
    const r = await fetch(`${emu.appsync.controlUrl}/expire-tokens`, { method: 'POST' });
    expect(r.status).toBe(200);
    expect(await post({ authorization: aliceTokens.AccessToken })).toEqual(unauthorized('Token has expired.'));
  });
});

describe('AppSync emulator: GraphQL over HTTP, CORS, log', () => {
  const key = () => ({ 'x-api-key': emu.appsync.apiKey });

  it('runs a mutation with variables, and queries by GET; a mutation by GET is refused', async () => {
    const m = await post({ authorization: 'lambda-token-alice' }, JSON.stringify({
      query: 'mutation Add($text: String!) { addNote(text: $text) { id text author } }', variables: { text: 'hello' }, operationName: 'Add',
    }));
    expect(m.body).toEqual({ data: { addNote: { id: expect.any(String), text: 'hello', author: 'alice' } } });
    const q = new URLSearchParams({ query: 'query Echo($t: String!) { echo(text: $t) whoami { mode } }', variables: JSON.stringify({ t: 'by GET' }) });
    const get = await fetch(`${endpoint}?${q}`, { headers: key() }).then(answer);
    expect(get.body).toEqual({ data: { echo: 'by GET', whoami: { mode: 'API_KEY' } } });
    const getMutation = await fetch(`${endpoint}?${new URLSearchParams({ query: 'mutation { addNote(text: "x") { id } }' })}`, { headers: key() }).then(answer);
    expect(getMutation).toMatchObject({ status: 405, type: 'MethodNotAllowedException' });
    const invalid = await post(key(), JSON.stringify({ query: '{ nope }' }));
    expect(invalid.body.errors[0].message).toMatch(/Cannot query field "nope"/);
  });

  it('answers preflights with exactly the headers GraphQL clients and Amplify send (not x-amplify-auth-mode)', async () => {
    const res = await fetch(endpoint, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-api-key' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(res.headers.get('access-control-allow-methods')).toBe('GET,POST,OPTIONS');
    const allowed = res.headers.get('access-control-allow-headers')!.split(',');
    expect(allowed.sort()).toEqual(['authorization', 'content-type', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-security-token', 'x-amz-user-agent', 'x-api-key', 'x-tenant']);
  });

  it('logs who was authenticated and which headers came, by name only', async () => {
    expect((await fetch(`${emu.appsync.controlUrl}/log`, { method: 'DELETE' })).status).toBe(200);
    await signedPost(guest);
    await post({ authorization: 'lambda-token-alice', 'x-tenant': 't1' });
    await post({ 'x-api-key': 'wrong' });
    const text = await (await fetch(`${emu.appsync.controlUrl}/log`)).text();
    const { entries } = JSON.parse(text);
    expect(entries).toMatchObject([
      { method: 'POST', path: '/graphql', status: 200, mode: 'AWS_IAM', principal: guest.identityId, amzDate: expect.stringMatching(/^\d{8}T\d{6}Z$/), seen: { authorizationKind: 'sigv4', xAmzSecurityToken: true } },
      { status: 200, mode: 'AWS_LAMBDA', principal: 'alice', seen: { authorizationKind: 'other', headerNames: expect.arrayContaining(['authorization', 'x-tenant']) } },
      { status: 401, mode: null, error: 'UnauthorizedException', seen: { xApiKey: true } },
    ]);
    for (const secret of ['lambda-token-alice', guest.sessionToken, guest.accessKeyId, 'wrong"']) expect(text).not.toContain(secret);
  });

  it('the shared network cut (POST /__control/network {api: "down"}) takes it off the network', async () => {
    const cut = (api: string) => fetch(`${emu.appsync.controlUrl}/network`, { method: 'POST', body: JSON.stringify({ api }) });
    expect((await cut('down')).status).toBe(200);
    try {
      await expect(post(key())).rejects.toThrow(/fetch failed/);
    } finally {
      await cut('up');
    }
    expect((await post(key())).status).toBe(200);
  });
});
