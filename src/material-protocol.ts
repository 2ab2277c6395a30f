/**
 * The auth material part of the wire protocol: what the page's bridge hands the worker for one API,
 * and the header check both sides apply. Only `protocol.ts` imports it, and re-exports all of it.
 */

/** Identity-pool credentials, as `fetchAuthSession()` returns them, with the expiry as epoch ms. */
export interface SessionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** Epoch milliseconds. */
  expiration?: number;
}

/** Everything the worker needs to authorize requests to one API. Lives in worker memory only. */
export interface AuthMaterial {
  /**
   * Who requests with this material act as: a digest (never a secret) of the identity-pool
   * identity, the token subject and the app's header values, with each JWT reduced to its issuer
   * and subject so that a token refresh keeps it. Pages that share a session share it, and so
   * share the worker's cache entry; a retry only ever goes out under the identity of its first
   * attempt.
   */
  identity: string;
  /** The app's `API.REST.headers({ apiName })` (GraphQL: `API.GraphQL.headers()`) result, keys lower-cased. */
  headers: Record<string, string>;
  /** Present when `fetchAuthSession()` returned identity-pool credentials (guest or signed in). */
  credentials?: SessionCredentials;
  /** GraphQL APIs only: the session's access token, which Amplify sends raw for `userPool` and `oidc`. */
  accessToken?: string;
  /** GraphQL APIs only: `API.GraphQL.apiKey`, for `apiKey` mode. */
  apiKey?: string;
  /** Epoch ms after which this material must not be used (earliest token or credential expiry). */
  expiresAt?: number;
  /**
   * `fetchAuthSession()` failed (no network, Cognito unreachable), so this material lacks what the
   * session would have given. The worker uses it for the request at hand and asks again soon, rather
   * than cache "no credentials" as if it were the session.
   */
  sessionFailed?: true;
  /**
   * No user is signed in: no token subject, and no Authorization from `headers()` (a guest
   * identity, or none). The offline queue's `'replay-as-current'` never hands a user's requests
   * to such an identity.
   */
  anonymous?: true;
}

/**
 * Why `name: value` cannot be sent as a request header (Fetch: a header name is an HTTP token, a
 * value a byte string with no CR, LF or NUL), or undefined when it can. Checked where the page's
 * `headers()` result enters, so a bad value fails the same way whether or not the request is signed.
 */
export function headerProblem(name: string, value: string): string | undefined {
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) return `"${name.slice(0, 40)}" is not a valid header name`;
  // eslint-disable-next-line no-control-regex
  if (/[\r\n\0]|[^\u0000-\u00ff]/.test(value)) return `header "${name}" has a value with a line break, a NUL or a character above U+00FF`;
  return undefined;
}
