import { describe, expect, it } from 'vitest';
import { compileApis } from '../../sw/compile-apis';
import { matchApi } from '../../sw/match-api';

const apis = compileApis({
  main: { endpoint: 'https://api.example.com/prod' },
  admin: { endpoint: 'https://api.example.com/prod/admin/' },
  root: { endpoint: 'https://root.example.com' },
  local: { endpoint: 'http://localhost:4000/prod' },
});
const match = (url: string) => matchApi(new URL(url), apis)?.apiName;

describe('matchApi', () => {
  it.each([
    ['https://api.example.com/prod', 'main'],
    ['https://api.example.com/prod/', 'main'],
    ['https://api.example.com/prod/items/1?x=1', 'main'],
    ['https://API.EXAMPLE.COM/prod/items', 'main'],
    ['https://api.example.com:443/prod/items', 'main'],
    ['https://api.example.com/prod/admin', 'admin'],
    ['https://api.example.com/prod/admin/users', 'admin'],
    ['https://api.example.com/prod/administrator', 'main'],
    ['https://root.example.com/', 'root'],
    ['https://root.example.com/anything/at/all', 'root'],
    ['http://localhost:4000/prod/x', 'local'],
    // dot segments are resolved by the URL parser before matching
    ['https://api.example.com/other/../prod/x', 'main'],
  ])('%s → %s', (url, apiName) => {
    expect(match(url)).toBe(apiName);
  });

  it.each([
    ['lookalike host suffix', 'https://api.example.com.evil.test/prod/x'],
    ['lookalike host prefix', 'https://evilapi.example.com/prod/x'],
    ['subdomain', 'https://sub.api.example.com/prod/x'],
    ['prefix not on a segment boundary', 'https://api.example.com/prod-evil/x'],
    ['prefix without slash', 'https://api.example.com/production'],
    ['parent path', 'https://api.example.com/'],
    ['dot segments escaping the prefix', 'https://api.example.com/prod/../evil'],
    ['encoded dot segments escaping the prefix', 'https://api.example.com/prod/%2e%2e/evil'],
    ['scheme change', 'http://api.example.com/prod/x'],
    ['different port', 'https://api.example.com:8443/prod/x'],
    ['loopback port change', 'http://localhost:4001/prod/x'],
    ['loopback by address instead of name', 'http://127.0.0.1:4000/prod/x'],
    ['userinfo', 'https://user:pass@api.example.com/prod/x'],
    ['userinfo lookalike', 'https://api.example.com@evil.test/prod/x'],
    ['case-different path', 'https://api.example.com/PROD/x'],
  ])('no match: %s', (_, url) => {
    expect(match(url)).toBeUndefined();
  });
});

describe('compileApis', () => {
  it('orders the longest prefix first, so overlapping endpoints resolve to the most specific API', () => {
    expect(apis.map((a) => a.apiName)).toEqual(['admin', 'main', 'local', 'root']);
  });

  it.each([
    ['not an object', 'nope', /must be an object/],
    ['empty', {}, /no REST APIs configured/],
    ['missing endpoint', { a: {} }, /API "a" has no `endpoint`/],
    ['relative endpoint', { a: { endpoint: '/prod' } }, /API "a": endpoint "\/prod" is not an absolute URL/],
    ['non-http scheme', { a: { endpoint: 'ftp://api.example.com/prod' } }, /must use https \(got ftp:\)/],
    ['javascript scheme', { a: { endpoint: 'javascript:alert(1)' } }, /must use https/],
    ['plain http off loopback', { a: { endpoint: 'http://api.example.com/prod' } }, /uses http on a non-loopback host/],
    ['credentials in endpoint', { a: { endpoint: 'https://u:p@api.example.com/prod' } }, /must not contain credentials/],
    ['query in endpoint', { a: { endpoint: 'https://api.example.com/prod?x=1' } }, /must not have a query/],
    ['duplicate endpoints', { a: { endpoint: 'https://api.example.com/prod' }, b: { endpoint: 'https://api.example.com/prod/' } }, /APIs "a" and "b" have the same endpoint/],
    ['bad region', { a: { endpoint: 'https://api.example.com/prod', region: 3 } }, /`region` must be a non-empty string/],
  ])('rejects %s', (_, config, message) => {
    expect(() => compileApis(config)).toThrow(message);
  });
});
