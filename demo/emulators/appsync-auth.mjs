// Who an AppSync API with all four providers enabled (API key default; IAM, Cognito user pools
// and a Lambda authorizer as additional providers) takes a request to come from. The provider is
// chosen from the headers, in the order AWS's own AppSync simulator uses (amplify-cli
// packages/amplify-appsync-simulator/src/utils/auth-helpers/current-auth-mode.ts):
//   x-api-key → API_KEY; Authorization `AWS4-HMAC-SHA256 …` → AWS_IAM (service `appsync`);
//   Authorization that is a JWT → AMAZON_COGNITO_USER_POOLS; any other Authorization → AWS_LAMBDA.
// Refusals carry AppSync's wording as clients see it in the wild (errors[0].message of its 401s):
// "Valid authorization header not provided." (no usable header), "You are not authorized to make
// this call." (wrong API key, Lambda denial), "Unable to parse JWT token.", "Token has expired.".
// IAM failures keep the SigV4 error types and their 403 (amplify-js #2422: AppSync's
// InvalidSignatureException is a 403).
import { decodeJwt } from 'jose';
import { AwsError } from './sigv4-verify.mjs';
import { authorizationKind } from './http-util.mjs';

export const MESSAGES = Object.freeze({
  noAuth: 'Valid authorization header not provided.',
  denied: 'You are not authorized to make this call.',
  unparsable: 'Unable to parse JWT token.',
  expired: 'Token has expired.',
});

/**
 * @typedef {{
 *   mode: 'API_KEY' | 'AWS_IAM' | 'AMAZON_COGNITO_USER_POOLS' | 'AWS_LAMBDA',
 *   principal: string | null, username: string | null, identityId: string | null, sub: string | null,
 *   role: 'guest' | 'authenticated' | null, tokenUse: 'access' | 'id' | null,
 * }} Caller
 */

const unauthorized = (/** @type {string} */ message) => new AwsError(401, 'UnauthorizedException', message);

/** @param {Partial<Caller> & { mode: Caller['mode'] }} c @returns {Caller} */
const caller = (c) => ({ principal: null, username: null, identityId: null, sub: null, role: null, tokenUse: null, ...c });

/**
 * @param {{
 *   apiKey: string, lambdaTokens: Record<string, string>,
 *   verifyIam: ReturnType<typeof import('./iam-verify.mjs').createIamVerifier>,
 *   verifier: import('./cognito-jwt.mjs').CognitoVerifier,
 * }} opts
 */
export function createAppSyncAuthorizer({ apiKey, lambdaTokens, verifyIam, verifier }) {
  /** A pool token, id or access: AppSync accepts both from its configured pool. @param {string} token */
  async function userPool(token) {
    let use;
    try {
      use = decodeJwt(token).token_use;
    } catch {
      throw unauthorized(MESSAGES.unparsable);
    }
    try {
      const p = use === 'id' ? await verifier.verifyIdToken(token) : await verifier.verifyAccessToken(token);
      return caller({ mode: 'AMAZON_COGNITO_USER_POOLS', principal: p.username, username: p.username, sub: p.sub, tokenUse: use === 'id' ? 'id' : 'access' });
    } catch (e) {
      throw unauthorized(/"exp" claim/.test(String(/** @type {Error} */ (e).message)) ? MESSAGES.expired : MESSAGES.noAuth);
    }
  }

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {string} rawPath @param {string} rawQuery @param {Buffer} body
   * @returns {Promise<Caller>} or throws AwsError
   */
  return async function authorize(req, rawPath, rawQuery, body) {
    const key = req.headers['x-api-key'];
    if (key !== undefined) {
      if (key !== apiKey) throw unauthorized(MESSAGES.denied);
      return caller({ mode: 'API_KEY' });
    }
    const authorization = req.headers.authorization;
    if (!authorization) throw unauthorized(MESSAGES.noAuth);
    const kind = authorizationKind(authorization);
    if (kind === 'sigv4') {
      const iam = await verifyIam(req, rawPath, rawQuery, body);
      return caller({ mode: 'AWS_IAM', principal: iam.identityId, identityId: iam.identityId, role: iam.role, username: iam.username ?? null });
    }
    // AppSync takes the raw token: a `Bearer ` scheme is neither a JWT nor a Lambda token to it.
    if (/^bearer\s/i.test(authorization)) throw unauthorized(MESSAGES.unparsable);
    if (kind === 'jwt') return userPool(authorization);
    if (!Object.hasOwn(lambdaTokens, authorization)) throw unauthorized(MESSAGES.denied);
    return caller({ mode: 'AWS_LAMBDA', principal: lambdaTokens[authorization] });
  };
}
