// API Gateway (REST API, stage /prod) emulator: one route per Amplify auth mode,
// strict CORS, an emulated clock, and a JSON answer that says who it saw.
// Control endpoints (no auth): GET /__control/state, POST /__control/clock
// {offsetMs}, GET|DELETE /__control/log, POST /__control/expire-credentials
// {accessKeyId?} (all when omitted), POST /__control/expire-tokens (every user-pool token issued
// until now is treated as expired, as after an hour; tokens refreshed later are valid),
// GET|POST /__control/network {api?: 'up'|'down', cognito?: 'up'|'down'} (the server-side network
// cut of network-switch.mjs; answers the state with the refusal counts). A request the cut refuses
// is logged with `cut: true` and status 0, and does not count in requestCount (requests that
// reached the API); `logged()` in test/browser/emulator-control.ts leaves such entries out.
import http from 'node:http';
import { createHash } from 'node:crypto';
import { listenLocalhost } from './loopback.mjs';
import { MEDIA_EXPOSE_HEADERS, sendMedia } from './media-answer.mjs';
import {
  answerPreflight, authHeadersSeen, awsBaseHeaders, readBody, sendJson, splitUrl,
} from './http-util.mjs';
import { createNetworkSwitch } from './network-switch.mjs';
import { AwsError } from './sigv4-verify.mjs';
import { createIamVerifier } from './iam-verify.mjs';
import { createRequestLog } from './request-log.mjs';
import { createControl } from './control.mjs';

export const DEFAULT_API_KEY = 'demo-api-key-0123456789abcdef';
/** @type {Readonly<Record<string, string>>} */
export const DEFAULT_CUSTOM_TOKENS = Object.freeze({ 'custom-token-alice': 'alice', 'custom-token-bob': 'bob' });
// A strict config: anything else a client adds must fail the browser's preflight.
// x-tenant: an app header of the kind a multi-tenant app returns from headers(), allowed as such an app would.
// idempotency-key: the header an app names in the offline queue's `idempotencyHeader`, allowed likewise.
export const CORS_ALLOW_HEADERS = 'authorization,content-type,x-amz-date,x-amz-security-token,x-api-key,x-amz-content-sha256,x-tenant,idempotency-key,range';
export const CORS_ALLOW_METHODS = 'GET,POST,PUT,PATCH,DELETE,HEAD,OPTIONS';
export const CORS_EXPOSE_HEADERS = `date,x-amzn-errortype,x-amzn-requestid,${MEDIA_EXPOSE_HEADERS}`;
const STAGE = 'prod';
const ACCOUNT = '123456789012';

/** @typedef {'iam'|'iam-auth'|'apikey'|'iam-apikey'|'idtoken'|'accesstoken'|'custom'|'open'|'slow'|'redirect'} Route */
const ROUTES = new Set(['iam', 'iam-auth', 'apikey', 'iam-apikey', 'idtoken', 'accesstoken', 'custom', 'open', 'slow', 'redirect']);

/**
 * @typedef {null
 *   | { type: 'iam', accessKeyId: string, identityId: string, role: 'guest'|'authenticated', username?: string }
 *   | { type: 'apikey' }
 *   | { type: 'idtoken' | 'accesstoken', sub: string, username: string }
 *   | { type: 'custom', principal: string }} AuthInfo
 */

/**
 * @param {{
 *   region?: string, apiKey?: string, customTokens?: Record<string, string>,
 *   registry: import('./credentials.mjs').CredentialRegistry,
 *   verifier: import('./cognito-jwt.mjs').CognitoVerifier,
 *   clock: import('./clock.mjs').Clock,
 *   network?: import('./network-switch.mjs').NetworkSwitch,
 *   quiet?: boolean,
 * }} opts
 */
export async function startApiGateway(opts) {
  const { region = 'us-east-1', apiKey = DEFAULT_API_KEY, customTokens = DEFAULT_CUSTOM_TOKENS } = opts;
  const { registry, verifier, clock, network = createNetworkSwitch(), quiet = true } = opts;
  const log = createRequestLog({ name: 'api', clock, network, quiet });
  const control = createControl({ region, log, registry, verifier, clock, network });

  const verifyIam = createIamVerifier({ registry, clock, region, service: 'execute-api' });

  /** @returns {Promise<AuthInfo>} */
  async function verifyJwt(/** @type {http.IncomingMessage} */ req, /** @type {'idtoken'|'accesstoken'} */ kind) {
    const raw = String(req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
    if (!raw) throw new AwsError(401, 'UnauthorizedException', 'Unauthorized');
    try {
      const p = kind === 'idtoken' ? await verifier.verifyIdToken(raw) : await verifier.verifyAccessToken(raw);
      return { type: kind, sub: p.sub, username: p.username };
    } catch {
      throw new AwsError(401, 'UnauthorizedException', 'Unauthorized');
    }
  }

  /** Decide who the caller is on a route; throws AwsError. @returns {Promise<AuthInfo>} */
  async function authorize(
    /** @type {Route} */ route, /** @type {http.IncomingMessage} */ req, /** @type {string} */ rawPath,
    /** @type {string} */ rawQuery, /** @type {Buffer} */ body, /** @type {boolean} */ apiKeyOk,
  ) {
    switch (route) {
      case 'iam':
        return verifyIam(req, rawPath, rawQuery, body);
      case 'iam-auth': {
        const a = /** @type {Extract<AuthInfo, { type: 'iam' }>} */ (await verifyIam(req, rawPath, rawQuery, body));
        if (a.role !== 'authenticated') {
          const roleName = 'amplify-sw-auth-demo-unauthRole';
          throw new AwsError(403, 'AccessDeniedException',
            `User: arn:aws:sts::${ACCOUNT}:assumed-role/${roleName}/CognitoIdentityCredentials is not authorized to perform: ` +
            `execute-api:Invoke on resource: arn:aws:execute-api:${region}:********${ACCOUNT.slice(-4)}:emulator/${STAGE}/${req.method}${rawPath.slice(STAGE.length + 1)}`);
        }
        return a;
      }
      case 'apikey':
        if (!apiKeyOk) throw new AwsError(403, 'ForbiddenException', 'Forbidden');
        return { type: 'apikey' };
      case 'iam-apikey': {
        // API Gateway authorizes first, then checks the usage-plan key.
        const a = await verifyIam(req, rawPath, rawQuery, body);
        if (!apiKeyOk) throw new AwsError(403, 'ForbiddenException', 'Forbidden');
        return a;
      }
      case 'idtoken':
      case 'accesstoken':
        return verifyJwt(req, route);
      case 'custom': {
        const token = String(req.headers.authorization ?? '');
        if (!token || !Object.hasOwn(customTokens, token)) throw new AwsError(401, 'UnauthorizedException', 'Unauthorized');
        return { type: 'custom', principal: customTokens[token] };
      }
      default:
        return null;
    }
  }

  const server = http.createServer(async (req, res) => {
    const { rawPath, rawQuery } = splitUrl(String(req.url ?? '/'));
    const base = awsBaseHeaders(req, clock, CORS_EXPOSE_HEADERS);
    const isControl = rawPath === '/__control' || rawPath.startsWith('/__control/');
    const routeMatch = new RegExp(`^/${STAGE}/([^/]+)(?:/|$)`).exec(rawPath);
    const route = /** @type {Route | null} */ (routeMatch && ROUTES.has(routeMatch[1]) ? routeMatch[1] : null);
    const seen = {
      ...authHeadersSeen(req),
      tenant: req.headers['x-tenant'] ?? null,
      idempotencyKey: req.headers['idempotency-key'] ?? null,
    };
    /** @type {Record<string, unknown>} */
    // amzDate: when the request was signed (x-amz-date), so a test can tell a replay signed afresh from a stored signature.
    const entry = { n: 0, time: '', method: req.method, path: rawPath, route, status: 0, auth: null, apiKey: false, seen, amzDate: req.headers['x-amz-date'] ?? null };

    if (!isControl && !log.admit(req, res, entry)) return;

    const send = (/** @type {number} */ status, /** @type {object} */ obj, /** @type {Record<string, string>} */ extra = {}) =>
      sendJson(res, status, obj, { ...base, ...extra });

    try {
      if (req.method === 'OPTIONS') {
        return answerPreflight(req, res, entry, base, { allowHeaders: CORS_ALLOW_HEADERS, allowMethods: CORS_ALLOW_METHODS });
      }

      const body = await readBody(req);
      if (isControl) return control(String(req.method), rawPath, body, send);

      const apiKeyOk = req.headers['x-api-key'] === apiKey;
      entry.apiKey = apiKeyOk;
      const query = queryObject(rawQuery);
      const info = {
        route,
        method: req.method,
        path: rawPath,
        decodedPath: safeDecode(rawPath),
        query,
        apiKey: apiKeyOk,
        seen,
        body: {
          length: body.length,
          sha256: createHash('sha256').update(body).digest('hex'),
          contentType: req.headers['content-type'] ?? null,
        },
      };

      if (!route) {
        entry.error = 'MissingAuthenticationTokenException';
        return send(404, { ok: false, message: 'Missing Authentication Token', ...info, auth: null, error: 'MissingAuthenticationTokenException' },
          { 'x-amzn-errortype': 'MissingAuthenticationTokenException' });
      }

      // ?authDelayMs=N: a slow authorizer (a Lambda authorizer's cold start, say), so a test can
      // change the session while the request waits for its verdict.
      const authDelayMs = Math.min(30000, Number(query.authDelayMs) || 0);
      if (authDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, authDelayMs));

      /** @type {AuthInfo} */
      let auth = null;
      try {
        auth = await authorize(route, req, rawPath, rawQuery, body, apiKeyOk);
      } catch (e) {
        if (!(e instanceof AwsError)) throw e;
        entry.error = e.type;
        return send(e.status, { ok: false, message: e.message, ...info, auth: null, error: e.type },
          e.type ? { 'x-amzn-errortype': e.type } : {});
      }
      entry.auth = auth;

      if (route === 'slow') {
        const ms = Math.min(30000, Math.max(0, Number(new URLSearchParams(rawQuery).get('ms')) || 0));
        // An aborted client must not leave a timer (and an open socket) behind.
        await new Promise((resolve) => {
          const t = setTimeout(resolve, ms);
          res.once('close', () => { clearTimeout(t); resolve(undefined); });
        });
        if (res.destroyed || res.writableEnded) return;
      }
      // ?respond=401: the backend itself refuses after the authorizer let the request in, as a
      // Lambda integration may after acting on the body: no x-amzn-ErrorType, unlike a gateway response.
      if (query.respond !== undefined) return send(Number(query.respond) || 500, { ok: false, message: 'refused by the backend', ...info, auth });
      if (route === 'redirect') {
        const to = new URLSearchParams(rawQuery).get('to');
        if (!to) return send(400, { ok: false, message: 'missing ?to=', ...info, auth, error: 'BadRequestException' });
        return send(302, { ok: true, ...info, auth, location: to }, { location: to });
      }
      // ?as=png or ?as=wav: media, for <img>, <video> and <audio> (media-answer.mjs).
      entry.range = req.headers.range ?? null;
      if (sendMedia(req, res, base, query.as)) return;
      // ?cacheControl=no-store (or any value): the answer carries that Cache-Control header.
      const cacheControl = typeof query.cacheControl === 'string' ? { 'cache-control': query.cacheControl } : undefined;
      return send(200, { ok: true, ...info, auth }, cacheControl);
    } catch (e) {
      const err = /** @type {any} */ (e);
      const status = err.status ?? 500;
      entry.error = err.message;
      if (res.headersSent) return res.destroy();
      return send(status, { ok: false, message: err.message, error: status === 413 ? 'RequestEntityTooLarge' : 'InternalServerError' });
    }
  });

  const { port, ipv6, close } = await listenLocalhost(server);
  return {
    // 'localhost' on purpose: tests use 127.0.0.1:PORT as a lookalike, different origin.
    endpoint: `http://localhost:${port}/${STAGE}`,
    controlUrl: `http://localhost:${port}/__control`,
    port,
    ipv6,
    region,
    apiKey,
    customTokens: { ...customTokens },
    get requestCount() {
      return log.count;
    },
    get log() {
      return log.entries;
    },
    stop: close,
  };
}

/** @param {string} rawQuery @returns {Record<string, string | string[]>} */
function queryObject(rawQuery) {
  /** @type {Record<string, string | string[]>} */
  const out = Object.create(null); // keys like __proto__ stay plain data
  for (const [k, v] of new URLSearchParams(rawQuery)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/** @param {string} s */
function safeDecode(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
