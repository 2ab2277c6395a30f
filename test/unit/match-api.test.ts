import { describe, expect, it } from 'vitest';
import { compileApis } from '../../sw/compile-apis';
import { leavesApi, matchApi } from '../../sw/match-api';

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

describe('leavesApi', () => {
  const teams = compileApis({
    teamA: { endpoint: 'https://api.example.com/team-a' },
    prod: { endpoint: 'https://nested.example.com/prod' },
    admin: { endpoint: 'https://nested.example.com/prod/admin' },
    root: { endpoint: 'https://root.example.com' },
  });
  /** What a real URL gets: the API it matches, and whether its decoded path leaves that API. */
  const verdict = (url: string) => {
    const parsed = new URL(url);
    const api = matchApi(parsed, teams);
    if (api === undefined) return `no match (${parsed.pathname})`;
    return `${api.apiName}: ${leavesApi(parsed, api, teams) ? 'escapes' : 'stays'}`;
  };

  it.each([
    // What the URL parser leaves encoded, and a decoding gateway would resolve above /team-a.
    ['encoded slash after ..', 'https://api.example.com/team-a/..%2Fteam-b/x', 'teamA: escapes'],
    ['lower-case encoded slash', 'https://api.example.com/team-a/..%2fteam-b', 'teamA: escapes'],
    ['encoded dots and backslash', 'https://api.example.com/team-a/%2e%2e%5Cteam-b', 'teamA: escapes'],
    ['literal dots, encoded backslash', 'https://api.example.com/team-a/..%5cteam-b', 'teamA: escapes'],
    ['encoded dots and slash in one segment', 'https://api.example.com/team-a/%2E%2E%2Fteam-b', 'teamA: escapes'],
    ['down one, up two', 'https://api.example.com/team-a/x/..%2F..%2Fteam-b', 'teamA: escapes'],
    // What the parser resolves itself: the result no longer matches the API at all.
    ['encoded dot segment', 'https://api.example.com/team-a/%2E%2E/x', 'no match (/x)'],
    ['half-encoded dot segment', 'https://api.example.com/team-a/.%2e/x', 'no match (/x)'],
    ['literal backslash', 'https://api.example.com/team-a/..\\team-b', 'no match (/team-b)'],
    // Within the API.
    ['down one, up one', 'https://api.example.com/team-a/x/..%2Fy', 'teamA: stays'],
    ['an encoded slash inside a segment', 'https://api.example.com/team-a/a%2Fb', 'teamA: stays'],
    ['a single encoded dot', 'https://api.example.com/team-a/%2e%2Fx', 'teamA: stays'],
    ['dots that are not a segment', 'https://api.example.com/team-a/...%2Fx', 'teamA: stays'],
    ['the endpoint itself', 'https://api.example.com/team-a', 'teamA: stays'],
    ['a plain path', 'https://api.example.com/team-a/items/1', 'teamA: stays'],
    // An API at the origin root: the prefix is empty.
    ['root API, down one, up one', 'https://root.example.com/a/..%2Fb', 'root: stays'],
    ['root API, encoded slash inside a segment', 'https://root.example.com/a%2Fb', 'root: stays'],
    ['root API, .. straight away (nothing is above the root)', 'https://root.example.com/..%2Fx', 'root: stays'],
    ['root API, up two', 'https://root.example.com/a/..%2F..%2Fb', 'root: stays'],
    // What a server that decodes more than once, or reads `;` parameters, would resolve.
    ['double-encoded slash', 'https://api.example.com/team-a/..%252Fteam-b', 'teamA: escapes'],
    ['double-encoded dots and slash', 'https://api.example.com/team-a/%252e%252e%252fteam-b', 'teamA: escapes'],
    ['a ..; segment (Tomcat)', 'https://api.example.com/team-a/..;/team-b/x', 'teamA: escapes'],
    ['a ;parameter inside the API', 'https://api.example.com/team-a/items;v=1/x', 'teamA: stays'],
    // Into a nested API: the prefix holds, but the decoded path is another API's.
    ['into a nested API', 'https://nested.example.com/prod/x/..%2Fadmin/secret', 'prod: escapes'],
    ['within the outer API', 'https://nested.example.com/prod/x/..%2Fitems', 'prod: stays'],
    ['other escapes kept', 'https://api.example.com/team-a/caf%C3%A9/..%2Fx', 'teamA: stays'],
  ])('%s: %s → %s', (_, url, expected) => {
    expect(verdict(url)).toBe(expected);
  });
});

describe('compileApis', () => {
  it('orders the longest prefix first, so overlapping endpoints resolve to the most specific API', () => {
    expect(apis.map((a) => a.apiName)).toEqual(['admin', 'main', 'local', 'root']);
  });

  it.each([
    ['not an object', 'nope', /must be an object/],
    ['empty', {}, /no REST APIs configured/],
    ['missing endpoint', { a: {} }, /API "a" has no `endpoint`: set it to the API's absolute URL, e\.g\. https:\/\//],
    ['relative endpoint', { a: { endpoint: '/prod' } }, /API "a": endpoint "\/prod" is not an absolute URL .*: write it in full/],
    ['non-http scheme', { a: { endpoint: 'ftp://api.example.com/prod' } }, /must use https \(got ftp:\)/],
    ['javascript scheme', { a: { endpoint: 'javascript:alert(1)' } }, /must use https/],
    ['plain http off loopback', { a: { endpoint: 'http://api.example.com/prod' } }, /uses http on a non-loopback host.*: use https\./],
    ['credentials in endpoint', { a: { endpoint: 'https://u:p@api.example.com/prod' } }, /must not contain credentials: remove the user:password@ part/],
    ['query in endpoint', { a: { endpoint: 'https://api.example.com/prod?x=1' } }, /must not have a query or fragment: remove them/],
    ['duplicate endpoints', { a: { endpoint: 'https://api.example.com/prod' }, b: { endpoint: 'https://api.example.com/prod/' } }, /APIs "a" and "b" have the same endpoint .* Give each API its own endpoint, or remove one\./],
    ['bad region', { a: { endpoint: 'https://api.example.com/prod', region: 3 } }, /`region` must be a non-empty string/],
    ['encoded slash in the path', { a: { endpoint: 'https://api.example.com/team-a%2Fb' } }, /API "a": endpoint ".*" has an encoded "\/", "\\", "\." or "%", or a ";", in its path/],
    ['lower-case encoded slash', { a: { endpoint: 'https://api.example.com/team-a%2fb' } }, /has an encoded/],
    ['encoded backslash', { a: { endpoint: 'https://api.example.com/team-a%5Cb' } }, /has an encoded/],
    ['lower-case encoded backslash', { a: { endpoint: 'https://api.example.com/team-a%5cb' } }, /has an encoded/],
    ['encoded dot', { a: { endpoint: 'https://api.example.com/v1%2E2' } }, /has an encoded/],
    ['lower-case encoded dot', { a: { endpoint: 'https://api.example.com/v1%2e2/prod' } }, /has an encoded/],
    ['encoded percent', { a: { endpoint: 'https://api.example.com/a%252Fb' } }, /has an encoded/],
    ['a ; parameter', { a: { endpoint: 'https://api.example.com/team-a/..;/team-b' } }, /or a ";"/],
  ])('rejects %s', (_, config, message) => {
    expect(() => compileApis(config)).toThrow(message);
  });

  it('accepts an encoded dot segment the URL parser resolves away, and other escapes', () => {
    const compiled = compileApis({ a: { endpoint: 'https://api.example.com/x/%2e%2e/prod' }, b: { endpoint: 'https://api.example.com/caf%C3%A9' } });
    expect(compiled.map((api) => api.pathPrefix)).toEqual(['/caf%C3%A9', '/prod']);
  });
});
