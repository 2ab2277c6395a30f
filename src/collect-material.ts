import { decodeJwt, type JWTPayload } from 'jose';
import { headerProblem, type AuthMaterial, type SessionCredentials } from './protocol';
import type { FetchAuthSession, HeadersFunction, SessionLike } from './types';
import { rememberSession, sessionWho, storedWho, type ReadStoredIdentity, type Who } from './session-who';

/** What a GraphQL API's material adds: the access token, and the API key of Amplify's config. */
export interface GraphqlSource {
  apiKey?: string;
}

/** Ask Amplify for a fresh session rather than hand the worker material about to expire. */
const REFRESH_MARGIN_MS = 60_000;

/**
 * Auth material for one API, in the shape the worker caches: what Amplify's REST client would
 * compute per request (api-rest publicApis.ts), computed once and posted as plain data
 * (a JWT object holds functions and cannot be cloned).
 */
export async function collectMaterial(
  apiName: string, headersFn: HeadersFunction, fetchSession: FetchAuthSession, forceRefresh = false, readStored?: ReadStoredIdentity, graphql?: GraphqlSource,
): Promise<AuthMaterial> {
  const where = graphql ? 'API.GraphQL.headers()' : `API.REST.headers({ apiName: "${apiName}" })`;
  // After a forced refresh, headers() must read the refreshed tokens from Amplify's cache, so it
  // waits; otherwise both ask Amplify at once.
  const [{ session, failed }, headers] = forceRefresh
    ? [await readSession(fetchSession, true), await appHeaders(apiName, headersFn, where)]
    : await Promise.all([readSession(fetchSession, false), appHeaders(apiName, headersFn, where)]);
  const credentials = sessionCredentials(session);
  // Amplify's GraphQL client sends the access token itself for userPool and oidc (graphqlAuth.ts).
  const accessToken = graphql ? session?.tokens?.accessToken?.toString() : undefined;
  const claims = [...Object.values(headers), ...(accessToken ? [accessToken] : [])].map(jwtClaims);
  const expiries = [credentials?.expiration, ...claims.map((c) => (c?.exp === undefined ? undefined : c.exp * 1000))].filter((t): t is number => t !== undefined);
  // A session that could not be read is named from what Amplify keeps in storage, so the same
  // user keeps the same identity (the worker's cache, the offline queue and read cache key on it).
  const who = session !== undefined ? sessionWho(session) : await storedWho(readStored);
  if (!failed && session !== undefined) rememberSession(session);
  return {
    identity: await identityOf(who, credentials, headers, claims),
    headers,
    ...(credentials && { credentials }),
    ...(accessToken && { accessToken }),
    ...(graphql?.apiKey && { apiKey: graphql.apiKey }),
    ...(expiries.length > 0 && { expiresAt: Math.min(...expiries) }),
    // Not "no credentials" as a session would say it: the worker uses this for the request at
    // hand only and asks again after a short backoff (issue 12, capability 5).
    ...(failed && { sessionFailed: true as const }),
    ...(who.sub === undefined && headers.authorization === undefined && { anonymous: true as const }),
  };
}

/**
 * The session, or none: when fetchAuthSession() fails, Amplify sends the request unsigned, and so
 * do we; `failed` says so. Amplify 6.22's fetchAuthSession() throws when Cognito is unreachable
 * rather than resolving without credentials: a network error on the token refresh is rethrown
 * (@aws-amplify/auth TokenOrchestrator.handleErrors, only NotAuthorizedException resolves as signed
 * out), and so is one on GetId or GetCredentialsForIdentity (credentialsProvider.ts, IdentityIdProvider.ts;
 * core's fetchTransferHandler turns the TypeError into a NetworkError). It resolves without
 * credentials only when none are configured: no identity pool, or guest access off while signed
 * out (credentialsProvider.ts getCredentialsAndIdentityId); with `defaultAuthMode: 'none'` it is not
 * called at all. So a throw is the failure, and a session without credentials is a session.
 */
async function readSession(fetchSession: FetchAuthSession, forceRefresh: boolean): Promise<{ session?: SessionLike; failed: boolean }> {
  let session: SessionLike;
  try {
    session = await fetchSession(forceRefresh ? { forceRefresh } : undefined);
  } catch {
    return { failed: true };
  }
  const expiration = session.credentials?.expiration?.getTime();
  if (forceRefresh || expiration === undefined || expiration - Date.now() >= REFRESH_MARGIN_MS) return { session, failed: false };
  try {
    return { session: await fetchSession({ forceRefresh: true }), failed: false };
  } catch {
    // The refresh failed: credentials still valid for a few seconds beat none, but the worker
    // must ask again soon, as after any failure.
    return { session: expiration > Date.now() ? session : { ...session, credentials: undefined }, failed: true };
  }
}

/** Identity-pool credentials as plain data, with the expiry in epoch ms. */
function sessionCredentials(session: SessionLike | undefined): SessionCredentials | undefined {
  const c = session?.credentials;
  if (!c) return undefined;
  const expiration = c.expiration?.getTime();
  // Never the key id: messages end up in 503 bodies, auth events and the app's telemetry.
  if (expiration !== undefined && expiration <= Date.now()) throw new Error(`the session's identity-pool credentials expired at ${new Date(expiration).toISOString()} and a refresh did not renew them; check this device's clock.`);
  return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration };
}

/**
 * Who this material acts as, as a digest (the worker only compares it; no secret can be read back).
 * Amplify's credentials are fetched per tab, so two tabs of one user hold different key ids: the
 * identity-pool identity names them, and the key id only when a custom source gives no identity.
 * A JWT header counts by its claims, less those that change with every token (expiry, token id),
 * so a refreshed token keeps the identity while another user, tenant or scope changes it; any
 * other header (API key, tenant, opaque token) counts by value.
 */
async function identityOf(who: Who, credentials: SessionCredentials | undefined, headers: Record<string, string>, claims: (JWTPayload | undefined)[]): Promise<string> {
  const parts = [
    who.identityId ?? (credentials && `key:${credentials.accessKeyId}`) ?? null,
    who.sub ?? null,
    ...Object.keys(headers)
      .map((name, i) => [name, claims[i] === undefined ? headers[name] : lasting(claims[i])])
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  ];
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify(parts)));
  return btoa(String.fromCharCode(...new Uint8Array(digest, 0, 16)));
}

// Claims that say when or which token, not who: they differ between two tokens of one user (a
// refresh issues new ones; moto even renews `auth_time`, which Cognito keeps).
const PER_TOKEN_CLAIMS = new Set(['exp', 'iat', 'nbf', 'auth_time', 'jti', 'origin_jti', 'event_id', 'at_hash', 'c_hash', 'nonce']);

/** The claims that name who a token speaks for, as sorted [name, value] pairs. */
function lasting(claims: JWTPayload): [string, unknown][] {
  return Object.entries(claims)
    .filter(([name]) => !PER_TOKEN_CLAIMS.has(name))
    .sort(([a], [b]) => (a < b ? -1 : 1));
}

async function appHeaders(apiName: string, headersFn: HeadersFunction, where: string): Promise<Record<string, string>> {
  const result: unknown = await headersFn({ apiName });
  if (result === undefined || result === null) return {};
  if (typeof result !== 'object' || Array.isArray(result)) throw new TypeError(`${where} must return an object of header names to strings, got ${describe(result)}.`);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result)) {
    // `{ Authorization: session.tokens?.idToken?.toString() }` while signed out: no header, as in Amplify.
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') throw new TypeError(`${where} returned ${describe(value)} for header "${name}"; header values must be strings.`);
    const problem = headerProblem(name, value);
    if (problem !== undefined) throw new TypeError(`${where}: ${problem}, which no request can carry.`);
    headers[name.toLowerCase()] = value;
  }
  return headers;
}

const JWT_SHAPE = /^(?:Bearer )?([\w-]+\.[\w-]+\.[\w-]+)$/;

/** The claims of a header value that is a JWT (a Cognito or custom token). */
function jwtClaims(value: string): JWTPayload | undefined {
  const token = JWT_SHAPE.exec(value)?.[1];
  if (token === undefined) return undefined;
  try {
    return decodeJwt(token);
  } catch {
    return undefined;
  }
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}
