import { describe, expect, it } from 'vitest';
import { headerProblem, isSessionEvent } from '../../src/protocol';

describe('headerProblem', () => {
  it.each([
    ['an ordinary header', 'X-Api-Key', 'k'],
    ['a bearer token', 'Authorization', 'Bearer eyJ.eyJ.sig'],
    ['every token character in the name', "!#$%&'*+-.^_`|~09AZaz", 'v'],
    ['an empty value', 'X-Empty', ''],
    ['a tab and Latin-1 in the value', 'X-Name', 'Ren\u00e9e\tM\u00fcller \u00ff'],
  ])('accepts %s', (_, name, value) => {
    expect(headerProblem(name, value)).toBeUndefined();
  });

  it.each([
    ['an empty name', '', 'v', /"" is not a valid header name/],
    ['a space in the name', 'X Tenant', 'v', /"X Tenant" is not a valid header name/],
    ['a colon in the name', 'X-Tenant:', 'v', /is not a valid header name/],
    ['a CR/LF in the name', 'X-A\r\nX-B', 'v', /is not a valid header name/],
    ['a non-ASCII name', 'X-T\u00e9nant', 'v', /is not a valid header name/],
  ])('refuses %s', (_, name, value, message) => {
    expect(headerProblem(name, value)).toMatch(message);
  });

  it.each([
    ['a CR', 'a\rb'],
    ['an LF', 'a\nb'],
    ['a CRLF header injection', 'k\r\nX-Injected: 1'],
    ['a NUL', 'a\0b'],
    ['a character above U+00FF', 'price \u20ac'],
    ['an astral character', 'smile \u{1F600}'],
  ])('refuses a value with %s, naming the header', (_, value) => {
    expect(headerProblem('X-Tenant', value)).toBe('header "X-Tenant" has a value with a line break, a NUL or a character above U+00FF');
  });

  it('cuts a long invalid name short in its message', () => {
    const name = `${'a'.repeat(100)} b`;
    expect(headerProblem(name, 'v')).toBe(`"${'a'.repeat(40)}" is not a valid header name`);
  });
});

describe('isSessionEvent', () => {
  // Written out rather than read from SESSION_EVENTS, so dropping one fails here.
  it.each([['signedIn'], ['signedOut'], ['tokenRefresh'], ['tokenRefresh_failure'], ['signInWithRedirect'], ['signInWithRedirect_failure'], ['customOAuthState'], ['refresh']])('%s is a session event', (event) => {
    expect(isSessionEvent(event)).toBe(true);
  });

  it.each([['signedin'], ['SignedIn'], [''], ['signInWithRedirect_started'], ['toString'], ['__proto__'], [undefined], [null], [42], [{}], [['signedIn']]])('%j is not', (reason) => {
    expect(isSessionEvent(reason)).toBe(false);
  });
});
