import { describe, expect, it } from 'vitest';
import type { AuthMaterial, RequestLogEntry } from '../../src/protocol';
import { compileApis } from '../../sw/compile-apis';
import { describeAuth } from '../../sw/describe-request';
import { formatRequestLog } from '../../sw/format-request-log';

const [api] = compileApis({ items: { endpoint: 'https://abc.execute-api.us-east-1.amazonaws.com/prod' } });

const credentials = { accessKeyId: 'ASIAEXAMPLEKEYID0001', secretAccessKey: 'secret/key+example', sessionToken: 'session-token-example' };
const material = (extra: Partial<AuthMaterial> = {}): AuthMaterial => ({ identity: 'id', headers: {}, ...extra });

describe('describeAuth: the row of the README table that applied', () => {
  it.each([
    ['guest IAM', {}, material({ credentials, anonymous: true }), 'iam', 'identity-pool credentials (guest)'],
    ['signed-in IAM', {}, material({ credentials }), 'iam', 'identity-pool credentials (signed-in)'],
    ['API key + IAM', {}, material({ credentials, headers: { 'x-api-key': 'k' } }), 'iam+api-key', 'identity-pool credentials (signed-in)'],
    ['an empty Authorization still signs (Amplify tests !authorization)', { authorization: '' }, material({ credentials }), 'iam', 'identity-pool credentials (signed-in)'],
    ['a token from headers()', {}, material({ credentials, headers: { authorization: 'eyJ.a.b' } }), 'token', 'Authorization from headers()'],
    ['a per-request Authorization', { authorization: 'Bearer x' }, material({ credentials, headers: { authorization: 'eyJ.a.b' } }), 'token', 'Authorization set by the request'],
    ['an API key alone', {}, material({ headers: { 'x-api-key': 'k' } }), 'api-key', 'no identity-pool credentials'],
    ["the page's own API key, no credentials", { 'x-api-key': 'k' }, material(), 'api-key', 'no identity-pool credentials'],
    ['nothing', {}, material(), 'unsigned', 'no identity-pool credentials'],
    ['a failed session read', {}, material({ sessionFailed: true }), 'unsigned', 'fetchAuthSession() failed'],
    ['no material (bridge failure)', {}, undefined, 'unsigned', 'no auth material'],
  ] as const)('%s', (_, fromPage, m, mode, why) => {
    expect(describeAuth(api, fromPage, m)).toEqual({ mode, why });
  });

  it('describes GraphQL modes and the mode header from the same plan as the request', () => {
    const [graphql] = compileApis({ GraphQL: { endpoint: 'https://abc.appsync-api.us-east-1.amazonaws.com/graphql', kind: 'graphql', defaultAuthMode: 'userPool' } });
    const full = material({ credentials, accessToken: 'eyJ.access.token', apiKey: 'da2-key', anonymous: undefined });
    expect(describeAuth(graphql, {}, full)).toEqual({ mode: 'token', why: 'userPool mode' });
    expect(describeAuth(graphql, { 'x-amplify-auth-mode': 'iam' }, full)).toEqual({ mode: 'iam', why: 'iam mode (signed-in); x-amplify-auth-mode' });
    expect(describeAuth(graphql, { 'x-amplify-auth-mode': 'apiKey' }, full)).toEqual({ mode: 'api-key', why: 'apiKey mode; x-amplify-auth-mode' });
    expect(describeAuth(api, { 'x-amplify-auth-mode': 'none' }, full)).toEqual({ mode: 'unsigned', why: 'none mode; x-amplify-auth-mode' });
    expect(describeAuth(graphql, {}, material())).toEqual({ mode: 'none', why: 'refused: auth-mode-unavailable' });
    expect(describeAuth(graphql, { 'x-api-key': 'da2-other' }, full)).toEqual({ mode: 'api-key', why: 'chosen by the request (its own credential, or Amplify\'s client)' });
    expect(describeAuth(graphql, { 'x-amz-user-agent': 'aws-amplify/6.16.0 api/6' }, full)).toEqual({ mode: 'unsigned', why: 'chosen by the request (its own credential, or Amplify\'s client)' });
    expect(describeAuth(api, { 'x-amplify-auth-mode': 'bogus' }, full)).toEqual({ mode: 'none', why: 'refused: bad-auth-mode; x-amplify-auth-mode' });
    expect(JSON.stringify(describeAuth(graphql, {}, full))).not.toContain('eyJ.access.token');
  });

  it('a request the page signed is forwarded, with how it was signed', () => {
    expect(describeAuth(api, { authorization: 'AWS4-HMAC-SHA256 Credential=ASIA.../aws4_request, Signature=ab' }, undefined, true)).toEqual({ mode: 'forwarded', why: 'SigV4 Authorization from the page' });
    expect(describeAuth(api, {}, undefined, true)).toEqual({ mode: 'forwarded', why: 'presigned URL' });
  });

  it('never returns a header value', () => {
    const secrets = ['ASIAEXAMPLEKEYID0001', 'secret/key+example', 'session-token-example', 'eyJ.a.b', 'the-api-key', 'AWS4-HMAC-SHA256 Credential'];
    const cases: [Record<string, string>, AuthMaterial | undefined, boolean][] = [
      [{}, material({ credentials, headers: { 'x-api-key': 'the-api-key' } }), false],
      [{ authorization: 'eyJ.a.b' }, material({ credentials }), false],
      [{}, material({ headers: { authorization: 'eyJ.a.b', 'x-api-key': 'the-api-key' } }), false],
      [{ authorization: 'AWS4-HMAC-SHA256 Credential=ASIAEXAMPLEKEYID0001/x' }, undefined, true],
    ];
    const text = JSON.stringify(cases.map(([page, m, forwarded]) => describeAuth(api, page, m, forwarded)));
    for (const secret of secrets) expect(text).not.toContain(secret);
  });
});

describe('formatRequestLog', () => {
  const base: RequestLogEntry = { time: 0, method: 'GET', url: 'https://api.example.com/prod/items/1', apiName: 'items', mode: 'iam', why: 'identity-pool credentials (guest)', material: 'cached', status: 200, ms: 41 };

  it('prints one line: request, status and time, API, mode and why, material', () => {
    expect(formatRequestLog(base)).toBe('amplify-sw-auth: GET https://api.example.com/prod/items/1 → 200 in 41 ms | API items | iam: identity-pool credentials (guest) | material: cached');
  });

  it('adds the round trip, a failure, the retry and the offline outcome when there are', () => {
    expect(formatRequestLog({ ...base, material: 'round-trip', materialMs: 12, retry: 'clock-skew' })).toBe(
      'amplify-sw-auth: GET https://api.example.com/prod/items/1 → 200 in 41 ms | API items | iam: identity-pool credentials (guest) | material: round-trip 12 ms | retry: clock-skew',
    );
    expect(formatRequestLog({ ...base, method: 'POST', mode: 'unsigned', why: 'no auth material', material: 'failed', materialError: 'bridge-timeout', status: 202, offline: 'queued' })).toBe(
      'amplify-sw-auth: POST https://api.example.com/prod/items/1 → 202 in 41 ms | API items | unsigned: no auth material | material: failed (bridge-timeout) | offline: queued',
    );
  });

  it('says "network error" for status 0', () => {
    expect(formatRequestLog({ ...base, status: 0 })).toContain('→ network error in 41 ms');
  });
});
