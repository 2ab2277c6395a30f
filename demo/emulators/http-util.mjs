// Small HTTP helpers shared by the proxy and the API emulators (API Gateway, AppSync).
import { randomUUID } from 'node:crypto';

const MAX_BODY = 32 * 1024 * 1024;

/**
 * The exact request bytes: SigV4 hashes them, so no decoding or re-serializing.
 * @param {import('node:http').IncomingMessage} req
 * @returns {Promise<Buffer>}
 */
export function readBody(req) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    req.on('data', (/** @type {Buffer} */ c) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(Object.assign(new Error('request body too large'), { status: 413 }));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** @param {Buffer} buf */
export function parseJson(buf) {
  try {
    return buf.length ? JSON.parse(buf.toString('utf8')) : {};
  } catch {
    return undefined;
  }
}

/** @param {string} url a request's raw target @returns {{ rawPath: string, rawQuery: string }} */
export function splitUrl(url) {
  const q = url.indexOf('?');
  return { rawPath: q < 0 ? url : url.slice(0, q), rawQuery: q < 0 ? '' : url.slice(q + 1) };
}

/**
 * What kind of Authorization arrived, for the logs (so tests can tell a signature from a leaked
 * token without the value ever being logged) and for AppSync's choice of auth provider.
 * @param {string | undefined} value @returns {'sigv4' | 'jwt' | 'other' | null}
 */
export function authorizationKind(value) {
  if (value === undefined) return null;
  if (value.startsWith('AWS4-HMAC-SHA256 ')) return 'sigv4';
  if (/^(?:Bearer )?[\w-]+\.[\w-]+\.[\w-]+$/.test(value)) return 'jwt';
  return 'other';
}

/**
 * Which auth headers a request carried, by name and kind only: values never reach the log.
 * @param {import('node:http').IncomingMessage} req
 */
export function authHeadersSeen(req) {
  return {
    authorization: req.headers.authorization !== undefined,
    authorizationKind: authorizationKind(req.headers.authorization),
    xApiKey: req.headers['x-api-key'] !== undefined,
    xAmzDate: req.headers['x-amz-date'] !== undefined,
    xAmzSecurityToken: req.headers['x-amz-security-token'] !== undefined,
    headerNames: Object.keys(req.headers).sort(),
  };
}

/**
 * Headers every emulated AWS answer carries: CORS for the calling origin, the emulated clock's
 * Date (Node would stamp the real time) and a request id.
 * @param {import('node:http').IncomingMessage} req @param {import('./clock.mjs').Clock} clock @param {string} exposeHeaders
 * @returns {Record<string, string>}
 */
export function awsBaseHeaders(req, clock, exposeHeaders) {
  return {
    'access-control-allow-origin': req.headers.origin ?? '*',
    'access-control-expose-headers': exposeHeaders,
    vary: 'Origin',
    date: clock.date().toUTCString(),
    'x-amzn-requestid': randomUUID(),
  };
}

/** @param {import('node:http').ServerResponse} res @param {number} status @param {object} obj @param {Record<string, string>} headers */
export function sendJson(res, status, obj, headers) {
  const buf = Buffer.from(JSON.stringify(obj));
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': String(buf.length) });
  res.end(buf);
}

/**
 * A CORS preflight's answer with a fixed allow-list: a header not on it fails the browser's
 * preflight, as on a real API. Notes the preflight (and what it asked for) in the log entry.
 * @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res
 * @param {Record<string, unknown>} entry @param {Record<string, string>} headers
 * @param {{ allowHeaders: string, allowMethods: string }} cors
 */
export function answerPreflight(req, res, entry, headers, { allowHeaders, allowMethods }) {
  entry.preflight = true;
  if (req.headers['access-control-request-headers'] !== undefined) {
    entry.requestHeaders = String(req.headers['access-control-request-headers']);
  }
  res.writeHead(204, {
    ...headers,
    'access-control-allow-methods': allowMethods,
    'access-control-allow-headers': allowHeaders,
    'access-control-max-age': '600',
  });
  res.end();
}
