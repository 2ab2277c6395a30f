import { describe, expect, it } from 'vitest';
import { decideAuth, isPresigned, mergeHeaders } from '../../sw/decide-auth';
import { pageHeaders } from '../../sw/page-headers';

describe('mergeHeaders (Amplify v6: { ...headers({ apiName }), ...request headers }, lower-cased)', () => {
  it('lets the per-request value win whatever its casing', () => {
    expect(mergeHeaders({ Authorization: 'app', 'X-Api-Key': 'k' }, { authorization: 'request' })).toEqual({ authorization: 'request', 'x-api-key': 'k' });
    expect(mergeHeaders({ authorization: 'app' }, { AUTHORIZATION: 'request' })).toEqual({ authorization: 'request' });
  });
  it('keeps app headers the request does not set', () => {
    expect(mergeHeaders({ 'X-Api-Key': 'k' }, { 'content-type': 'application/json' })).toEqual({ 'x-api-key': 'k', 'content-type': 'application/json' });
  });
});

describe('decideAuth (api-rest isIamAuthApplicableForRest)', () => {
  it.each([
    ['user pool token from headers()', { authorization: 'eyJ...' }, true, 'headers'],
    ['custom token, no credentials', { authorization: 'custom' }, false, 'headers'],
    ['API key does not stop signing (aws-amplify >= 6.5.3)', { 'x-api-key': 'k' }, true, 'sigv4'],
    ['API key alone without credentials', { 'x-api-key': 'k' }, false, 'headers'],
    ['guest or signed-in credentials', {}, true, 'sigv4'],
    ['no credentials: unsigned', {}, false, 'headers'],
    ['an empty authorization does not stop signing (Amplify: !headers.authorization)', { authorization: '' }, true, 'sigv4'],
  ] as const)('%s → %s', (_, merged, hasCredentials, expected) => {
    expect(decideAuth(merged, hasCredentials)).toBe(expected);
  });
});

describe('isPresigned', () => {
  const url = new URL('https://api.example.com/prod/x');
  it('recognises a SigV4 Authorization header', () => {
    expect(isPresigned({ authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=abc' }, url)).toBe(true);
  });
  it('recognises a presigned URL', () => {
    expect(isPresigned({}, new URL('https://api.example.com/prod/x?X-Amz-Signature=abc'))).toBe(true);
  });
  it('does not take a bearer token for a signature', () => {
    expect(isPresigned({ authorization: 'Bearer eyJ' }, url)).toBe(false);
    expect(isPresigned({}, url)).toBe(false);
  });
});

describe('pageHeaders', () => {
  it('drops headers the browser sets, which the worker must not sign', () => {
    const headers = new Headers({
      'content-type': 'application/json',
      'x-api-key': 'k',
      'sec-ch-ua': '"Chromium";v="156"',
      'sec-ch-ua-mobile': '?0',
      'user-agent': 'Mozilla/5.0',
      accept: '*/*',
    });
    expect(pageHeaders(headers)).toEqual({ accept: '*/*', 'content-type': 'application/json', 'x-api-key': 'k' });
  });
});
