// Verifies moto-issued Cognito user-pool JWTs the way API Gateway's Cognito
// authorizer and Cognito Identity do: signature against the pool's JWKS, issuer,
// expiry (on the emulated clock), token_use and audience/client.
import { createRemoteJWKSet, jwtVerify } from 'jose';

/**
 * @param {{ motoUrl: string, userPoolId: string, clientId: string, region?: string, now?: () => number }} opts
 */
export function createCognitoVerifier({ motoUrl, userPoolId, clientId, region = 'us-east-1', now = Date.now }) {
  // moto serves the JWKS under its own origin but writes the real AWS issuer into tokens.
  const jwksUrl = `${motoUrl}/${userPoolId}/.well-known/jwks.json`;
  const issuer = `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
  const jwks = createRemoteJWKSet(new URL(jwksUrl));
  // Tests make live tokens "expire" without moving the clock (which would also expire fresh ones).
  let notBefore = 0;

  /**
   * @param {string} token
   * @param {'id' | 'access'} use
   * @returns {Promise<import('jose').JWTPayload & { sub: string, username: string }>} username from cognito:username / username
   */
  async function verify(token, use) {
    const { payload } = await jwtVerify(token, jwks, {
      issuer,
      algorithms: ['RS256'],
      currentDate: new Date(now()),
    });
    if (typeof payload.iat === 'number' && payload.iat < notBefore) throw new Error('"exp" claim timestamp check failed (token expired)');
    if (payload.token_use !== use) throw new Error(`token_use is '${payload.token_use}', expected '${use}'`);
    if (use === 'id' && payload.aud !== clientId) throw new Error('aud is not the app client id');
    if (use === 'access' && payload.client_id !== clientId) throw new Error('client_id is not the app client id');
    if (typeof payload.sub !== 'string') throw new Error('token has no sub');
    const username = /** @type {string} */ (use === 'id' ? payload['cognito:username'] : payload.username);
    return { ...payload, sub: payload.sub, username };
  }

  return {
    /** Treat every token issued before this epoch second as expired. */
    set tokensNotBefore(seconds) {
      notBefore = seconds;
    },
    get tokensNotBefore() {
      return notBefore;
    },
    jwksUrl,
    issuer,
    /** The key Amplify uses in Cognito Identity's Logins map. */
    loginsKey: `cognito-idp.${region}.amazonaws.com/${userPoolId}`,
    /** @param {string} token */
    verifyIdToken: (token) => verify(token, 'id'),
    /** @param {string} token */
    verifyAccessToken: (token) => verify(token, 'access'),
  };
}

/** @typedef {ReturnType<typeof createCognitoVerifier>} CognitoVerifier */
