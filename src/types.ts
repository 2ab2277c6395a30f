import type { AmplifyOutputsLike } from './outputs-apis';
import type { AuthErrorDetail, ApiConfigMap, BridgeFailurePolicy, OfflineEvent, OfflineOptions, PendingRequest, ReplayCounts, RequestLogEntry } from './protocol';

export type { AuthErrorDetail, AuthModeName, ApiConfigMap, ApiEndpointConfig, BridgeFailurePolicy, CacheStrategy, IdentityChangePolicy, OfflineCacheOptions, OfflineEvent, OfflineOptions, OfflineQueueOptions, PendingRequest, ReplayCounts, RequestLogEntry } from './protocol';

/** Amplify's `API.REST.headers` library option: called with `{ apiName }` only. */
export type HeadersFunction = (options: { apiName: string }) => Record<string, string> | Promise<Record<string, string>>;

/** The subset of `fetchAuthSession()`'s result the worker uses (aws-amplify/auth `AuthSession`). */
export interface SessionLike {
  /**
   * The user pool tokens, when a user is signed in: they say whose material it is and until when.
   * Whether one goes out as `Authorization` is up to `headers()`, as in Amplify.
   */
  tokens?: {
    /** The ID token. */
    idToken?: {
      /** The JWT itself. */
      toString(): string;
      /** Its decoded claims. */
      payload: {
        /** Expiry, epoch seconds. */
        exp?: number;
        /** The user's subject. */
        sub?: string;
      };
    };
    /** The access token. */
    accessToken?: {
      /** The JWT itself. */
      toString(): string;
      /** Its decoded claims. */
      payload: {
        /** Expiry, epoch seconds. */
        exp?: number;
        /** The user's subject. */
        sub?: string;
      };
    };
  };
  /** Identity-pool credentials (guest or signed in): what SigV4 signs with. */
  credentials?: {
    /** The AWS access key id. */
    accessKeyId: string;
    /** The secret access key. */
    secretAccessKey: string;
    /** The session token of temporary credentials. */
    sessionToken?: string;
    /** When the credentials expire. */
    expiration?: Date;
  };
  /** The identity-pool identity the credentials belong to: with the token subject, it names whose material this is. */
  identityId?: string;
  /** The signed-in user's subject, when there is one. */
  userSub?: string;
}

/** `fetchAuthSession()` of aws-amplify/auth, or a function of the same shape that returns a {@link SessionLike}. */
export type FetchAuthSession = (options?: { forceRefresh?: boolean }) => Promise<SessionLike>;

/** Options of `registerAuthWorker()`; each one has a default, so `registerAuthWorker()` alone works for an app that called `Amplify.configure`. */
export interface RegisterAuthWorkerOptions {
  /**
   * URL of the worker script. Default `/amplify-auth-worker.js`, or `/amplify-auth-worker-offline.js` (the full worker)
   * when `offline` or `debug` is given (`npx amplify-sw-auth init <publicDir>` copies both). An app with its own worker passes that worker's URL.
   */
  url?: string;
  /** Registration scope. Default: the script's directory. The page calling this must be inside it. */
  scope?: string;
  /** The APIs to authorize. Default: `Amplify.getConfig().API.REST`, and `API.GraphQL` as the API named `GraphQL`. */
  apis?: ApiConfigMap;
  /**
   * An Amplify Gen2 app's parsed `amplify_outputs.json`: its REST APIs are read from `custom.API`
   * (`{ [apiName]: { endpoint, region } }`), which Amplify.configure() ignores. Added to `apis` (or
   * `API.REST`); a name in both takes the `apis` entry.
   */
  outputs?: AmplifyOutputsLike;
  /** Headers per REST API, as Amplify's `API.REST.headers`. Default: the one given to `Amplify.configure`. A GraphQL API always takes `API.GraphQL.headers`. */
  headers?: HeadersFunction;
  /** Source of tokens and identity-pool credentials. Default: `fetchAuthSession` of `aws-amplify/auth`. */
  fetchAuthSession?: FetchAuthSession;
  /** How long the worker waits for this page to supply auth material. Default 5000 ms. */
  bridgeTimeoutMs?: number;
  /** What a request gets when no auth material arrives in time. Default `'send-unauthenticated'`. */
  onBridgeFailure?: BridgeFailurePolicy;
  /** Queue mutations made offline and replay them re-signed; cache reads per user. Default: the worker's own default (off). See the README's Offline section. */
  offline?: OfflineOptions;
  /**
   * Log each request the worker handles in the worker's console (API, auth mode and why, material
   * cached or asked of the page, retry, status, time; never a secret or a query), and post it to
   * `onRequestLog`. The worker follows the last page that configured it, as for the other
   * settings. Default `false`.
   */
  debug?: boolean;
}

/** What `registerAuthWorker()` resolves with: the running worker, its events and its offline queue. */
export interface AuthWorker {
  /** The service worker registration. */
  readonly registration: ServiceWorkerRegistration;
  /**
   * Observe requests the worker could not authorize as configured (page did not answer in time,
   * `headers()` threw, signing failed). Returns a function that stops listening.
   */
  onAuthError(listener: (error: AuthErrorDetail) => void): () => void;
  /**
   * Observe sign-in, sign-out and token refresh in other tabs of this origin (Amplify's Hub only
   * fires in the tab where they happen: amplify-js #12820). Returns a function that stops listening.
   */
  onSessionChange(listener: (reason: string) => void): () => void;
  /**
   * Observe the offline queue and read cache: a request queued (`id` is its
   * `x-amplify-sw-auth-queued` header), replayed or failed at replay, held or dropped for another
   * identity, a limit or the storage quota reached. Returns a function that stops listening.
   */
  onOfflineEvent(listener: (event: OfflineEvent) => void): () => void;
  /**
   * With `debug` on, observe each request the worker answered: how it was authorized and why,
   * whether a page was asked for material, any retry, the status and time. Returns a function
   * that stops listening.
   */
  onRequestLog(listener: (entry: RequestLogEntry) => void): () => void;
  /** The queued requests, oldest first: id, method, URL (origin and path), time, held. Never headers or bodies. */
  pendingRequests(): Promise<PendingRequest[]>;
  /** Replays the queue now; resolves with how many were replayed, failed, and held for another identity. */
  replayNow(): Promise<ReplayCounts>;
  /** Drop the worker's cached auth material, e.g. after the app changed what `headers()` returns. */
  refresh(): Promise<void>;
  /** Stop the bridge, make the worker forget its config, and unregister it. */
  unregister(): Promise<boolean>;
}
