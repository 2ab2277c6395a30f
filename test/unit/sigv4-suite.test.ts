// AWS's SigV4 test suite (test/fixtures/sigv4-test-suite, Apache-2.0; see its LICENSE and NOTICE),
// run against the signer the worker uses: aws4fetch's AwsV4Signer, and our signRequest() wrapper.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AwsV4Signer } from 'aws4fetch';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signRequest } from '../../sw/sign-request';

const SUITE = join(import.meta.dirname, '../fixtures/sigv4-test-suite');
const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const SIGNING = { service: 'service', region: 'us-east-1' };
const DATETIME = '20150830T123600Z';

interface Case {
  name: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  sessionToken?: string;
  expected: string;
}

function findCases(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (!statSync(path).isDirectory()) return [];
    return readdirSync(path).some((f) => f.endsWith('.req')) ? [path] : findCases(path);
  });
}

/**
 * A .req file as a Fetch request can carry it. Fetch `Headers` cannot hold a multi-line value or
 * repeat a name, so continuation lines and repeated names are joined with ',' in their order,
 * which is exactly the canonical form SigV4 prescribes for them.
 */
function parseCase(dir: string): Case {
  const name = dir.slice(SUITE.length + 1);
  const base = join(dir, dir.split('/').pop()!);
  const raw = readFileSync(`${base}.req`, 'utf8').replace(/\r\n/g, '\n');
  const [head, ...bodyParts] = raw.split('\n\n');
  const [requestLine, ...headerLines] = head.split('\n');
  const [method, ...rest] = requestLine.split(' ');
  const path = rest.slice(0, -1).join(' ');
  const headers: Record<string, string> = {};
  let last = '';
  for (const line of headerLines) {
    if (/^\s/.test(line)) {
      headers[last] += ',' + line.trim();
      continue;
    }
    const colon = line.indexOf(':');
    last = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[last] = last in headers ? `${headers[last]},${value}` : value;
  }
  const host = headers.host;
  delete headers.host;
  // post-sts-header-after: the token is added after signing, so it is not part of the signature.
  const sessionToken = headers['x-amz-security-token'];
  delete headers['x-amz-security-token'];
  delete headers['x-amz-date'];
  return {
    name,
    method,
    url: `https://${host}${path}`,
    headers,
    body: bodyParts.length > 0 ? bodyParts.join('\n\n') : undefined,
    sessionToken: name.endsWith('post-sts-header-before') ? sessionToken : undefined,
    expected: readFileSync(`${base}.authz`, 'utf8').trim(),
  };
}

const cases = findCases(SUITE).map(parseCase);

describe('AWS SigV4 test suite', () => {
  it('has all 31 cases', () => {
    expect(cases).toHaveLength(31);
  });

  // singleEncode: the suite's service "service" encodes the raw path once. allHeaders: the suite
  // signs content-type, which aws4fetch leaves out by default (the worker signs it too).
  it.each(cases.map((c) => [c.name, c] as const))('aws4fetch AwsV4Signer: %s', async (_, c) => {
    const signer = new AwsV4Signer({ ...c, ...CREDENTIALS, ...SIGNING, datetime: DATETIME, singleEncode: true, allHeaders: true });
    expect(await signer.authHeader()).toBe(c.expected);
  });

  describe('signRequest, as the worker calls it', () => {
    afterEach(() => vi.useRealTimers());
    // The worker signs for API Gateway, which (like every service but S3) wants the path encoded
    // twice. That only differs from the suite where the path holds a percent-encoded byte.
    const sameEitherWay = cases.filter((c) => !new URL(c.url).pathname.includes('%'));

    it('covers all but the cases with percent-encoded paths', () => {
      expect(cases.length - sameEitherWay.length).toBe(2);
    });

    it.each(sameEitherWay.map((c) => [c.name, c] as const))('%s', async (_, c) => {
      vi.useFakeTimers({ toFake: ['Date'], now: new Date('2015-08-30T12:36:00Z') });
      const request = { method: c.method, url: c.url, headers: c.headers, body: c.body === undefined ? undefined : new TextEncoder().encode(c.body).buffer };
      // Twice with one key cache: first deriving the signing key, then with it cached and imported.
      const signingKeys = new Map<string, ArrayBuffer>();
      for (const attempt of ['new key', 'cached key']) {
        const headers = await signRequest(request, { credentials: { ...CREDENTIALS, sessionToken: c.sessionToken }, signing: SIGNING, signingKeys });
        expect(headers.get('authorization'), attempt).toBe(c.expected);
        expect(headers.get('x-amz-date')).toBe(DATETIME);
      }
      expect(signingKeys.size).toBe(1);
    });

    it('double-encodes a path for API Gateway', async () => {
      const signer = new AwsV4Signer({ url: 'https://example.amazonaws.com/a b/ሴ', ...CREDENTIALS, service: 'execute-api', region: 'us-east-1', datetime: DATETIME });
      expect(signer.encodedPath).toBe('/a%2520b/%25E1%2588%25B4');
    });
  });
});
