// Server-side SigV4 check for the API Gateway emulator. The signature is
// recomputed with @smithy/signature-v4, a different implementation from the
// signers under test (aws4fetch, Amplify's), so a shared bug cannot hide.
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';
import { createHash, timingSafeEqual } from 'node:crypto';

const Sha256 = Hash.bind(null, 'sha256');

export const MISMATCH_MESSAGE =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** An API Gateway-style failure: status, x-amzn-errortype and message. */
export class AwsError extends Error {
  /** @param {number} status @param {string | undefined} type @param {string} message */
  constructor(status, type, message) {
    super(message);
    this.status = status;
    this.type = type;
  }
}

/**
 * @typedef {{ accessKeyId: string, shortDate: string, region: string, service: string,
 *   signedHeaders: string[], signature: string }} ParsedAuthorization
 */

/**
 * @param {string} header
 * @returns {ParsedAuthorization}
 */
export function parseAuthorization(header) {
  const m = /^AWS4-HMAC-SHA256\s+(.*)$/s.exec(header.trim());
  if (!m) {
    throw new AwsError(403, 'IncompleteSignatureException',
      `Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. ` +
      `Authorization header requires 'SignedHeaders' parameter. Authorization=${header}`);
  }
  /** @type {Record<string, string>} */
  const parts = {};
  for (const p of m[1].split(',')) {
    const i = p.indexOf('=');
    if (i > 0) parts[p.slice(0, i).trim()] = p.slice(i + 1).trim();
  }
  const missing = ['Credential', 'SignedHeaders', 'Signature'].filter((k) => !parts[k]);
  if (missing.length) {
    throw new AwsError(403, 'IncompleteSignatureException',
      missing.map((k) => `Authorization header requires '${k}' parameter.`).join(' '));
  }
  const scope = parts.Credential.split('/');
  if (scope.length !== 5 || scope[4] !== 'aws4_request') {
    throw new AwsError(403, 'IncompleteSignatureException',
      `Credential should be scoped to a valid region, not '${scope[2] ?? ''}'. `);
  }
  return {
    accessKeyId: scope[0],
    shortDate: scope[1],
    region: scope[2],
    service: scope[3],
    signedHeaders: parts.SignedHeaders.toLowerCase().split(';'),
    signature: parts.Signature.toLowerCase(),
  };
}

/** @param {string} amzDate e.g. 20150830T123600Z @returns {Date | undefined} */
export function parseAmzDate(amzDate) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!m) return undefined;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** @param {Date} d */
export function formatAmzDate(d) {
  return d.toISOString().replace(/[-:]|\.\d{3}/g, '');
}

/**
 * Recompute the signature of a received request and compare.
 * @param {{
 *   method: string, rawPath: string, rawQuery: string,
 *   headers: import('node:http').IncomingHttpHeaders, body: Buffer,
 *   auth: ParsedAuthorization, secretAccessKey: string, sessionToken: string, signingDate: Date,
 * }} r
 * @returns {Promise<boolean>}
 */
export async function signatureMatches(r) {
  const signed = new Set(r.auth.signedHeaders);
  /** @type {Record<string, string>} */
  const headers = {};
  for (const name of signed) {
    const v = r.headers[name];
    if (v !== undefined) headers[name] = Array.isArray(v) ? v.join(',') : v;
  }
  // API Gateway hashes the body it got; a client-declared hash (UNSIGNED-PAYLOAD
  // included) cannot stand in for it. Putting the real hash here makes any other
  // declared value fail the comparison.
  const bodyHash = createHash('sha256').update(r.body).digest('hex');
  if (headers['x-amz-content-sha256'] !== undefined) headers['x-amz-content-sha256'] = bodyHash;

  /** @type {Record<string, string | string[]>} */
  const query = Object.create(null); // keys like __proto__ stay plain data
  for (const [k, v] of new URLSearchParams(r.rawQuery)) {
    const prev = query[k];
    query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }

  const signer = new SignatureV4({
    service: r.auth.service,
    region: r.auth.region,
    // smithy adds x-amz-security-token itself when given one: only when it was signed.
    credentials: {
      accessKeyId: r.auth.accessKeyId,
      secretAccessKey: r.secretAccessKey,
      ...(signed.has('x-amz-security-token') ? { sessionToken: r.sessionToken } : {}),
    },
    sha256: Sha256,
    uriEscapePath: true, // non-S3: the received (already encoded) path is encoded again
    applyChecksum: false,
  });
  const out = await signer.sign(
    {
      method: r.method,
      protocol: 'http:',
      hostname: String(r.headers.host ?? ''),
      path: r.rawPath,
      query,
      headers,
      body: r.body.length ? r.body : undefined,
    },
    { signingDate: r.signingDate, signableHeaders: signed },
  );
  const expected = /Signature=([0-9a-f]+)/.exec(String(out.headers.authorization))?.[1] ?? '';
  const a = Buffer.from(expected);
  const b = Buffer.from(r.auth.signature);
  return a.length === b.length && timingSafeEqual(a, b);
}
