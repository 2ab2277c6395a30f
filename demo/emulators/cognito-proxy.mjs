// Loopback proxy in front of moto: the URL the app gives Amplify as
// Auth.Cognito.userPoolEndpoint and identityPoolEndpoint. It forwards all
// Cognito traffic to moto, fills in what moto lacks (refresh via
// GetTokensFromRefreshToken, RevokeToken) and answers Cognito Identity itself so
// guest and signed-in users get distinct, verifiable credentials.
// While the network switch's 'cognito' side is down (network-switch.mjs, driven through the API
// emulator's /__control/network), every request here, preflights included, is cut: this proxy has
// no control endpoints, and it keeps no request log.
import http from 'node:http';
import { createHash, randomUUID } from 'node:crypto';
import { listenLoopback } from './loopback.mjs';
import { readBody, parseJson } from './http-util.mjs';
import { motoCall } from './moto.mjs';
import { createNetworkSwitch } from './network-switch.mjs';

const IDP = 'AWSCognitoIdentityProviderService.';
const IDENTITY = 'AWSCognitoIdentityService.';
// What real Cognito lets browsers read; Amplify reads the error type and Date (clock skew).
const EXPOSE = 'x-amzn-requestid,x-amzn-errortype,x-amzn-errormessage,date';

/**
 * @param {{
 *   motoUrl: string, region?: string, userPoolId: string, userPoolClientId: string, identityPoolId: string,
 *   registry: import('./credentials.mjs').CredentialRegistry,
 *   verifier: import('./cognito-jwt.mjs').CognitoVerifier,
 *   network?: import('./network-switch.mjs').NetworkSwitch,
 *   quiet?: boolean,
 * }} opts
 */
export async function startCognitoProxy(opts) {
  const { motoUrl, region = 'us-east-1', userPoolClientId, identityPoolId, registry, verifier, quiet = true } = opts;
  const { network = createNetworkSwitch() } = opts;
  const moto = new URL(motoUrl);
  /** identityId -> who it belongs to. @type {Map<string, { role: 'guest' | 'authenticated', sub?: string, username?: string }>} */
  const identities = new Map();
  let requestCount = 0;

  /** sub -> the identity linked to that user. Same user, same identity id, across sign-ins (as with a real identity pool). */
  const linked = new Map();
  const identityIdFor = (/** @type {string} */ sub) => {
    if (!linked.has(sub)) {
      const h = createHash('sha256').update(`${identityPoolId}\0${sub}`).digest('hex');
      linked.set(sub, `${region}:${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`);
    }
    return linked.get(sub);
  };

  /** @returns {Promise<{ sub: string, username: string }>} */
  async function verifyLogins(/** @type {Record<string, string>} */ logins) {
    const keys = Object.keys(logins);
    if (keys.length !== 1 || keys[0] !== verifier.loginsKey) {
      throw cognitoError(400, 'NotAuthorizedException', `Invalid login token. Unsupported identity provider: ${keys.join(', ')}`);
    }
    try {
      const p = await verifier.verifyIdToken(String(logins[keys[0]]));
      return { sub: p.sub, username: p.username };
    } catch (e) {
      throw cognitoError(400, 'NotAuthorizedException', `Invalid login token. ${/** @type {Error} */ (e).message}`);
    }
  }

  /** @type {Record<string, (body: any) => Promise<object>>} */
  const handlers = {
    async [`${IDP}GetTokensFromRefreshToken`](body) {
      const r = await motoCall(motoUrl, 'cognito-idp', `${IDP}InitiateAuth`, {
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        ClientId: body.ClientId,
        AuthParameters: { REFRESH_TOKEN: body.RefreshToken },
      });
      if (r.status !== 200) throw cognitoError(r.status, r.body.__type ?? 'NotAuthorizedException', r.body.message ?? 'refresh failed');
      const a = r.body.AuthenticationResult;
      return {
        AuthenticationResult: {
          AccessToken: a.AccessToken,
          IdToken: a.IdToken,
          ExpiresIn: a.ExpiresIn,
          TokenType: a.TokenType,
          // No rotation: the same refresh token stays valid, as with rotation off.
          RefreshToken: body.RefreshToken,
        },
      };
    },
    async [`${IDP}RevokeToken`]() {
      return {};
    },
    async [`${IDENTITY}GetId`](body) {
      checkPool(body.IdentityPoolId);
      if (!body.Logins || Object.keys(body.Logins).length === 0) {
        const id = `${region}:${randomUUID()}`;
        identities.set(id, { role: 'guest' });
        return { IdentityId: id };
      }
      const who = await verifyLogins(body.Logins);
      const id = identityIdFor(who.sub);
      identities.set(id, { role: 'authenticated', ...who });
      return { IdentityId: id };
    },
    async [`${IDENTITY}GetCredentialsForIdentity`](body) {
      const id = String(body.IdentityId ?? '');
      const known = identities.get(id);
      if (!known) throw cognitoError(400, 'ResourceNotFoundException', `Identity '${id}' not found.`);
      let creds;
      if (body.Logins && Object.keys(body.Logins).length > 0) {
        const who = await verifyLogins(body.Logins);
        // Amplify v6 signs in on the stored guest identity (the guest identity "becomes primary").
        // Cognito then links the login to that unauthenticated identity, or, when the user already
        // has one, merges into it and answers with the user's identity id.
        if (known.role === 'guest' && !linked.has(who.sub)) linked.set(who.sub, id);
        const userId = identityIdFor(who.sub);
        if (userId !== id && known.role !== 'guest') {
          throw cognitoError(400, 'NotAuthorizedException', 'Logins don\'t match. Please include at least one valid login for this identity or identity pool.');
        }
        identities.set(userId, { role: 'authenticated', ...who });
        creds = registry.issue({ identityId: userId, role: 'authenticated', sub: who.sub, username: who.username });
      } else {
        // A signed-in user's identity cannot fall back to the guest role.
        if (known.role !== 'guest') throw cognitoError(400, 'NotAuthorizedException', `Access to Identity '${id}' is forbidden.`);
        creds = registry.issue({ identityId: id, role: 'guest' });
      }
      return {
        IdentityId: creds.identityId,
        Credentials: {
          AccessKeyId: creds.accessKeyId,
          SecretKey: creds.secretAccessKey,
          SessionToken: creds.sessionToken,
          Expiration: creds.expiration.getTime() / 1000,
        },
      };
    },
  };

  function checkPool(/** @type {unknown} */ poolId) {
    if (poolId !== identityPoolId) throw cognitoError(400, 'ResourceNotFoundException', `IdentityPool '${poolId}' not found.`);
  }

  const server = http.createServer(async (req, res) => {
    if (network.cut('cognito', req)) return;
    requestCount++;
    const cors = {
      'access-control-allow-origin': req.headers.origin ?? '*',
      'access-control-expose-headers': EXPOSE,
      vary: 'Origin',
    };
    try {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          ...cors,
          'access-control-allow-methods': 'POST',
          'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
          'access-control-max-age': '600',
        });
        return res.end();
      }
      const body = await readBody(req);
      const target = String(req.headers['x-amz-target'] ?? '');
      const handler = Object.hasOwn(handlers, target) ? handlers[target] : undefined;
      if (!handler) return forward(req, res, body, cors);
      const json = parseJson(body);
      if (json === undefined) throw cognitoError(400, 'SerializationException', 'request body is not JSON');
      const out = await handler(json);
      if (!quiet) console.error(`[cognito-proxy] ${target} -> 200`);
      sendJson(res, 200, out, cors);
    } catch (e) {
      const err = /** @type {any} */ (e);
      const status = err.cognito ? err.status : 500;
      const type = err.cognito ? err.type : 'InternalErrorException';
      if (!quiet) console.error(`[cognito-proxy] ${req.headers['x-amz-target']} -> ${status} ${type}: ${err.message}`);
      if (res.headersSent) return res.destroy();
      sendJson(res, status, { __type: type, message: err.message }, { ...cors, 'x-amzn-errortype': type });
    }
  });

  /** Pass the request to moto untouched and its answer back, with our CORS on top. */
  function forward(
    /** @type {http.IncomingMessage} */ req,
    /** @type {http.ServerResponse} */ res,
    /** @type {Buffer} */ body,
    /** @type {Record<string, string>} */ cors,
  ) {
    const headers = { ...req.headers, host: moto.host, 'content-length': String(body.length) };
    delete headers.connection;
    delete headers['transfer-encoding'];
    const up = http.request(
      { host: moto.hostname, port: moto.port, method: req.method, path: req.url, headers },
      (upRes) => {
        /** @type {Buffer[]} */
        const chunks = [];
        upRes.on('data', (c) => chunks.push(c));
        upRes.on('end', () => {
          const out = Buffer.concat(chunks);
          const h = { ...upRes.headers };
          for (const k of ['connection', 'transfer-encoding', 'keep-alive', 'content-length']) delete h[k];
          for (const k of Object.keys(h)) if (k.startsWith('access-control-')) delete h[k];
          res.writeHead(upRes.statusCode ?? 502, { ...h, ...cors, 'content-length': String(out.length) });
          res.end(out);
        });
      },
    );
    up.on('error', (e) => {
      if (res.headersSent) return res.destroy();
      sendJson(res, 502, { __type: 'BadGateway', message: `moto unreachable: ${e.message}` }, cors);
    });
    up.end(body);
  }

  const { port, close } = await listenLoopback(server);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    /** identityId -> { role, sub?, username? } */
    identities,
    get requestCount() {
      return requestCount;
    },
    stop: close,
  };
}

/** @param {number} status @param {string} type @param {string} message */
function cognitoError(status, type, message) {
  return Object.assign(new Error(message), { cognito: true, status, type });
}

/**
 * @param {http.ServerResponse} res @param {number} status @param {object} obj @param {Record<string, string>} headers
 */
function sendJson(res, status, obj, headers) {
  const buf = Buffer.from(JSON.stringify(obj));
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/x-amz-json-1.1',
    'content-length': String(buf.length),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(buf);
}
