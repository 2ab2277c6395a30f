import { decodeJwt } from 'jose';
import type { AuthMaterial, SessionCredentials } from './protocol';
import type { FetchAuthSession, HeadersFunction, SessionLike } from './types';

/** Ask Amplify for a fresh session rather than hand the worker material about to expire. */
const REFRESH_MARGIN_MS = 60_000;

/**
 * Auth material for one API, in the shape the worker caches: what Amplify's REST client would
 * compute per request (api-rest publicApis.ts), computed once and posted as plain data
 * (a JWT object holds functions and cannot be cloned).
 */
export async function collectMaterial(apiName: string, headersFn: HeadersFunction, fetchSession: FetchAuthSession, forceRefresh = false): Promise<AuthMaterial> {
  // After a forced refresh, headers() must read the refreshed tokens from Amplify's cache, so it
  // waits; otherwise both ask Amplify at once.
  const [credentials, headers] = forceRefresh
    ? [await sessionCredentials(fetchSession, true), await appHeaders(apiName, headersFn)]
    : await Promise.all([sessionCredentials(fetchSession, false), appHeaders(apiName, headersFn)]);
  const expiries = [credentials?.expiration, ...Object.values(headers).map(jwtExpiry)].filter((t): t is number => t !== undefined);
  return {
    headers,
    ...(credentials && { credentials }),
    ...(expiries.length > 0 && { expiresAt: Math.min(...expiries) }),
  };
}

/** Identity-pool credentials, or none: when fetchAuthSession() fails, Amplify sends the request unsigned. */
async function sessionCredentials(fetchSession: FetchAuthSession, forceRefresh: boolean): Promise<SessionCredentials | undefined> {
  let session: SessionLike;
  try {
    session = await fetchSession(forceRefresh ? { forceRefresh } : undefined);
    const expiration = session.credentials?.expiration?.getTime();
    if (!forceRefresh && expiration !== undefined && expiration - Date.now() < REFRESH_MARGIN_MS) session = await fetchSession({ forceRefresh: true });
  } catch {
    return undefined;
  }
  const c = session.credentials;
  if (!c) return undefined;
  const expiration = c.expiration?.getTime();
  if (expiration !== undefined && expiration <= Date.now()) {
    throw new Error(`the session's credentials (${c.accessKeyId}) expired at ${new Date(expiration).toISOString()} and a refresh did not renew them.`);
  }
  return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration };
}

async function appHeaders(apiName: string, headersFn: HeadersFunction): Promise<Record<string, string>> {
  const result: unknown = await headersFn({ apiName });
  if (result === undefined || result === null) return {};
  if (typeof result !== 'object' || Array.isArray(result)) {
    throw new TypeError(`API.REST.headers({ apiName: "${apiName}" }) must return an object of header names to strings, got ${describe(result)}.`);
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result)) {
    // `{ Authorization: session.tokens?.idToken?.toString() }` while signed out: no header, as in Amplify.
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') {
      throw new TypeError(`API.REST.headers({ apiName: "${apiName}" }) returned ${describe(value)} for header "${name}"; header values must be strings.`);
    }
    headers[name.toLowerCase()] = value;
  }
  return headers;
}

const JWT_SHAPE = /^(?:Bearer )?([\w-]+\.[\w-]+\.[\w-]+)$/;

/** The `exp` of a header value that is a JWT (a Cognito or custom token), in epoch ms. */
function jwtExpiry(value: string): number | undefined {
  const token = JWT_SHAPE.exec(value)?.[1];
  if (token === undefined) return undefined;
  try {
    const { exp } = decodeJwt(token);
    return exp === undefined ? undefined : exp * 1000;
  } catch {
    return undefined;
  }
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}
