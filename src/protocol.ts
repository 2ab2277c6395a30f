/**
 * The wire protocol between the page (`src/`) and the worker (`sw/`).
 * This is the only module both sides import: everything that crosses
 * `postMessage` is typed here, and nothing else is shared.
 *
 * Every request carries a MessagePort for its reply (one channel per message, as
 * AxaFrance/oidc-client does), so replies never need correlation ids.
 */

/**
 * Bumped on any incompatible change to the messages below. 2: material carries its identity. 3: offline
 * config and messages. 4: GraphQL APIs, media loads and auth modes in the config (an older worker would
 * sign a GraphQL API as REST), the access token and API key in material, the request log.
 */
export const PROTOCOL_VERSION = 4;

/** Identifies one build of this package; page and worker compare it to warn on mixed versions. */
export const BUILD_ID: string = __AMPLIFY_SW_AUTH_BUILD_ID__;

export * from './api-protocol';
import type { ApiConfigMap } from './api-protocol';

/** What the worker does with a request when the page cannot supply auth material in time. */
export type BridgeFailurePolicy = 'send-unauthenticated' | 'error-response';

export * from './material-protocol';
import type { AuthMaterial } from './material-protocol';

const PREFIX = 'amplify-sw-auth/';

/**
 * Path, relative to the registration scope, of the page's "session changed" beacon. postMessage
 * reaches the worker by another route than the page's fetches (in Chromium, through the browser
 * process), so a request made right after signOut() resolves can overtake it. A fetch to this URL
 * travels the same ordered path as the page's API requests, so the worker drops its cached
 * material before it sees the next one. The worker answers it itself; it never hits the network.
 */
export const SESSION_BEACON_PATH = '__amplify-sw-auth__/session-changed';

/**
 * Amplify Hub `auth` events that change which session a page holds: the only reasons a beacon or
 * a session-changed message may carry. The worker ignores any other (issue: beacons from outside).
 */
export const SESSION_EVENTS = ['signedIn', 'signedOut', 'tokenRefresh', 'tokenRefresh_failure', 'signInWithRedirect', 'signInWithRedirect_failure', 'customOAuthState', 'refresh'] as const;
export type SessionEvent = (typeof SESSION_EVENTS)[number];

export const isSessionEvent = (reason: unknown): reason is SessionEvent => SESSION_EVENTS.includes(reason as SessionEvent);

/* ---------- offline and debug: in offline-protocol.ts and debug-protocol.ts ---------- */

export * from './offline-protocol';
import type { OfflineEvent, OfflineOptions, PendingRequest, ReplayCounts } from './offline-protocol';
export * from './debug-protocol';
import type { RequestLogEntry } from './debug-protocol';

/* ---------- page → worker ---------- */

/** A page's configuration of the worker. */
export interface PageConfig {
  apis: ApiConfigMap;
  bridgeTimeoutMs?: number;
  onBridgeFailure?: BridgeFailurePolicy;
  offline?: OfflineOptions;
  /** Log each handled request in the worker's console and post it to the page (`onRequestLog`). */
  debug?: boolean;
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
  reason: SessionEvent;
  /** Names one change, which a page sends both as a beacon and as this message: the worker acts once. */
  id?: string;
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

/** The page's `online` event: the network is back, so failed session material goes and the queue replays. */
export interface OnlineMessage {
  type: `${typeof PREFIX}online`;
  version: number;
}

/** `pendingRequests()`: answered with `pending`. */
export interface PendingMessage {
  type: `${typeof PREFIX}pending`;
  version: number;
}

/** `replayNow()`: answered with `replay` once the pass is over. */
export interface ReplayMessage {
  type: `${typeof PREFIX}replay`;
  version: number;
}

export type PageToWorkerMessage = ConfigureMessage | SessionChangedMessage | TeardownMessage | ClaimMessage | OnlineMessage | PendingMessage | ReplayMessage;

/** The reply to any page → worker message. */
export type WorkerReply =
  | { ok: true; version: number; build: string; pending?: PendingRequest[]; replay?: ReplayCounts }
  | { ok: false; version: number; build: string; error: string };

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

/** A request the worker could not authorize as configured, as `onAuthError` reports it: never a token, a signature or a query. */
export interface AuthErrorDetail {
  /**
   * Stable machine-readable reason. `ambiguous-identity`: a request from a dedicated worker or an
   * unbridged page, while the open pages hold different identities. `path-escapes-api`: the path,
   * once a gateway decodes it, leaves the API's endpoint (e.g. `/prod/..%2Fother`). `not-queued`:
   * an offline mutation carried its own `Authorization` (or API key), which is never stored.
   */
  code: 'bridge-timeout' | 'bridge-error' | 'no-bridge' | 'ambiguous-identity' | 'signing-failed' | 'path-escapes-api' | 'not-queued' | 'bad-auth-mode' | 'auth-mode-unavailable';
  /** What happened, for people. */
  message: string;
  /** The API the request was for, by its name in the config. */
  apiName: string;
  /** Origin and path: a query may hold a token. */
  url: string;
  /** The request's method. */
  method: string;
  /** What the worker did with the request. */
  outcome: 'sent-unauthenticated' | 'error-response';
}

/** Broadcast to pages: the offline queue or read cache did something the app may show. */
export interface OfflineEventMessage {
  type: `${typeof PREFIX}offline-event`;
  version: number;
  event: OfflineEvent;
}

/** Sent, with `debug` on, to the page that made a request once the worker has answered it. */
export interface RequestLogMessage {
  type: `${typeof PREFIX}request-log`;
  version: number;
  entry: RequestLogEntry;
}

export type WorkerToPageMessage = MaterialRequest | AuthErrorMessage | SessionChangedMessage | OfflineEventMessage | RequestLogMessage;

export const MESSAGE = {
  configure: `${PREFIX}configure`,
  sessionChanged: `${PREFIX}session-changed`,
  teardown: `${PREFIX}teardown`,
  claim: `${PREFIX}claim`,
  material: `${PREFIX}material`,
  authError: `${PREFIX}auth-error`,
  online: `${PREFIX}online`,
  pending: `${PREFIX}pending`,
  replay: `${PREFIX}replay`,
  offlineEvent: `${PREFIX}offline-event`,
  requestLog: `${PREFIX}request-log`,
} as const;

/** Response headers the worker adds: a queued request's 202, a read served from the cache. */
export const QUEUED_HEADER = 'x-amplify-sw-auth-queued';
export const CACHE_HEADER = 'x-amplify-sw-auth-cache';

/** True for any object that claims to be one of our messages (any version). */
export function isProtocolMessage(data: unknown): data is { type: string; version: unknown } {
  return typeof data === 'object' && data !== null && typeof (data as { type?: unknown }).type === 'string' && (data as { type: string }).type.startsWith(PREFIX);
}
