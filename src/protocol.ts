/**
 * The wire protocol between the page (`src/`) and the worker (`sw/`).
 * This is the only module both sides import: everything that crosses
 * `postMessage` is typed here, and nothing else is shared.
 *
 * Every request carries a MessagePort for its reply (one channel per message, as
 * AxaFrance/oidc-client does), so replies never need correlation ids.
 */

/** Bumped on any incompatible change to the messages below. */
export const PROTOCOL_VERSION = 1;

/** Identifies one build of this package; page and worker compare it to warn on mixed versions. */
export const BUILD_ID: string = __AMPLIFY_SW_AUTH_BUILD_ID__;

/** One REST API, as in Amplify's `API.REST[apiName]` config. */
export interface ApiEndpointConfig {
  /** Absolute http(s) URL: origin plus optional stage path, e.g. `https://abc.execute-api.us-east-1.amazonaws.com/prod`. */
  endpoint: string;
  /** SigV4 region for hosts that do not name one. Amplify's default: `us-east-1`. */
  region?: string;
  /** SigV4 service for hosts that do not name one. Amplify's default: `execute-api`. */
  service?: string;
}

export type ApiConfigMap = Record<string, ApiEndpointConfig>;

/** What the worker does with a request when the page cannot supply auth material in time. */
export type BridgeFailurePolicy = 'send-unauthenticated' | 'error-response';

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
  /** The app's `API.REST.headers({ apiName })` result, keys lower-cased. */
  headers: Record<string, string>;
  /** Present when `fetchAuthSession()` returned identity-pool credentials (guest or signed in). */
  credentials?: SessionCredentials;
  /** Epoch ms after which this material must not be used (earliest token or credential expiry). */
  expiresAt?: number;
}

const PREFIX = 'amplify-sw-auth/';

/**
 * Path, relative to the registration scope, of the page's "session changed" beacon. postMessage
 * reaches the worker by another route than the page's fetches (in Chromium, through the browser
 * process), so a request made right after signOut() resolves can overtake it. A fetch to this URL
 * travels the same ordered path as the page's API requests, so the worker drops its cached
 * material before it sees the next one. The worker answers it itself; it never hits the network.
 */
export const SESSION_BEACON_PATH = '__amplify-sw-auth__/session-changed';

/* ---------- page → worker ---------- */

/** A page's configuration of the worker. */
export interface PageConfig {
  apis: ApiConfigMap;
  bridgeTimeoutMs?: number;
  onBridgeFailure?: BridgeFailurePolicy;
}

export interface ConfigureMessage extends PageConfig {
  type: `${typeof PREFIX}configure`;
  version: number;
  build: string;
}

/**
 * Sent on Amplify Hub `auth` events: cached material is stale. The worker relays it to the other
 * bridged pages, whose own Hub never hears of it.
 */
export interface SessionChangedMessage {
  type: `${typeof PREFIX}session-changed`;
  version: number;
  reason: string;
}

/** Sent by `unregister()`: forget config and material before the registration goes. */
export interface TeardownMessage {
  type: `${typeof PREFIX}teardown`;
  version: number;
}

/** Sent when the page is not controlled (e.g. after a hard reload): ask the worker to `clients.claim()`. */
export interface ClaimMessage {
  type: `${typeof PREFIX}claim`;
  version: number;
}

export type PageToWorkerMessage = ConfigureMessage | SessionChangedMessage | TeardownMessage | ClaimMessage;

/** The reply to any page → worker message. */
export type WorkerReply = { ok: true; version: number; build: string } | { ok: false; version: number; build: string; error: string };

/* ---------- worker → page ---------- */

export interface MaterialRequest {
  type: `${typeof PREFIX}material`;
  version: number;
  /** Absent: material for every API this page configured, for a restarted worker warming up. */
  apiName?: string;
  /** The API refused the cached material (e.g. an expired token): refresh the session first. */
  forceRefresh?: boolean;
  /**
   * Counts the session changes the worker has seen, from any tab. A bridge that sees it move
   * without its own Hub event knows another tab signed in or out, and that its Amplify's in-memory
   * credentials and identity id are stale.
   */
  sessionEpoch: string;
}

export type MaterialReply =
  | { ok: true; material: AuthMaterial }
  /** The warm-up answer carries the page's config too: the worker can route before its stored copy loads. */
  | { ok: true; materials: Record<string, AuthMaterial>; config: PageConfig }
  | { ok: false; error: string };

/** Broadcast to pages when a request could not be authorized as configured. */
export interface AuthErrorMessage {
  type: `${typeof PREFIX}auth-error`;
  version: number;
  error: AuthErrorDetail;
}

export interface AuthErrorDetail {
  /** Stable machine-readable reason. */
  code: 'bridge-timeout' | 'bridge-error' | 'no-bridge' | 'signing-failed';
  message: string;
  apiName: string;
  url: string;
  method: string;
  /** What the worker did with the request. */
  outcome: 'sent-unauthenticated' | 'error-response';
}

export type WorkerToPageMessage = MaterialRequest | AuthErrorMessage | SessionChangedMessage;

export const MESSAGE = {
  configure: `${PREFIX}configure`,
  sessionChanged: `${PREFIX}session-changed`,
  teardown: `${PREFIX}teardown`,
  claim: `${PREFIX}claim`,
  material: `${PREFIX}material`,
  authError: `${PREFIX}auth-error`,
} as const;

/** True for any object that claims to be one of our messages (any version). */
export function isProtocolMessage(data: unknown): data is { type: string; version: unknown } {
  return typeof data === 'object' && data !== null && typeof (data as { type?: unknown }).type === 'string' && (data as { type: string }).type.startsWith(PREFIX);
}
