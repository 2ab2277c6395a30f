/**
 * The debug part of the wire protocol (issue 13): what the worker says about each request it
 * handled, when `debug` is on. Only `protocol.ts` imports it, and re-exports all of it.
 * A record never holds a secret: no header value, no query, no error message, only fixed words.
 */

/**
 * How a request went out, one per row of the README's "How each request is authorized" table:
 * `iam` SigV4-signed (`iam+api-key`: with the app's `x-api-key`, signed too); `token` an
 * Authorization that is not SigV4, sent as it is; `api-key` an `x-api-key` and no signature;
 * `unsigned` no auth at all; `forwarded` signed by the page (presigned URL or SigV4
 * Authorization), sent byte for byte; `none` nothing was sent (an error response, an unreadable
 * body, or queued by the offline build before any signing).
 */
export type AuthModeName = 'iam' | 'iam+api-key' | 'token' | 'api-key' | 'unsigned' | 'forwarded' | 'none';

/** One request the worker handled, as `onRequestLog` hears it and the worker's console prints it. */
export interface RequestLogEntry {
  /** When the worker got the request, epoch ms. */
  time: number;
  /** The request's method. */
  method: string;
  /** Origin and path: never the query, which a presigned URL fills with its signature. */
  url: string;
  /** The API the request was for, by its name in the config. */
  apiName: string;
  /** How it went out. */
  mode: AuthModeName;
  /** Which rule decided the mode, e.g. `identity-pool credentials (guest)` or `Authorization from headers()`. */
  why: string;
  /**
   * Where the auth material came from: the worker's `cached` copy, a `round-trip` to the page
   * (`materialMs` long, shared with other requests of that page), `failed` (`materialError` says
   * why: `bridge-timeout`, `no-bridge`, ...), or `not-needed` (forwarded as it was).
   */
  material: 'cached' | 'round-trip' | 'failed' | 'not-needed';
  /** How long the round trip to the page took, ms. */
  materialMs?: number;
  /** Why the material failed: an auth error code such as `bridge-timeout`. */
  materialError?: string;
  /** The one retry, if any: after a clock-skew refusal, or with a refreshed session after a 401. */
  retry?: 'clock-skew' | 'token-refresh';
  /** Offline build: the request was queued (202), or answered from the read cache. */
  offline?: 'queued' | 'cache-hit';
  /** The status the page got; 0 for a network error. */
  status: number;
  /** From the fetch event to the response headers, ms. */
  ms: number;
}
