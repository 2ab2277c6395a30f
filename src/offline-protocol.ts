/**
 * The offline part of the wire protocol (issue 12): options, events and the pending list. Only
 * `protocol.ts` imports it, and re-exports all of it: both sides still import that one module.
 */
/** What happens to queued requests of an identity no open page holds any more. */
export type IdentityChangePolicy = 'hold' | 'drop' | 'replay-as-current';

/** The offline queue: mutations made offline are stored, then replayed, signed anew, when the network is back. */
export interface OfflineQueueOptions {
  /** API names whose mutations are queued. Default: every configured API. */
  apis?: string[];
  /** Methods that are queued. Default: POST, PUT, PATCH and DELETE. */
  methods?: string[];
  /** At most this many queued requests; the next one fails as the network error, with a `limit` event. Default 500. */
  maxEntries?: number;
  /** A queued request older than this is dropped, with a `limit` event. Default 7 days. */
  maxAgeMs?: number;
  /** Default `'hold'`: another user's requests never go out as the one now signed in. */
  onIdentityChange?: IdentityChangePolicy;
  /** A header that carries each queued request's id (e.g. `Idempotency-Key`), so the API can spot a second delivery. */
  idempotencyHeader?: string;
}

/** How the read cache answers a GET: from the network unless it fails, or from the cache at once while it refreshes. */
export type CacheStrategy = 'network-first' | 'stale-while-revalidate';

/** The read cache: GET responses kept per identity, so a user is never served another's data. */
export interface OfflineCacheOptions {
  /** API names whose GET responses are cached. Default: every configured API. */
  apis?: string[];
  /** Default `'network-first'`. */
  strategy?: CacheStrategy;
  /** Per identity. Default 200. */
  maxEntries?: number;
  /** An entry older than this is not served. Default 1 day. */
  maxAgeMs?: number;
}

/** Offline support (see the README's Offline section); each part is off unless given, `true` for its defaults. */
export interface OfflineOptions {
  /** Queue mutations made offline and replay them re-signed. */
  queue?: true | OfflineQueueOptions;
  /** Cache GET responses per user. */
  cache?: true | OfflineCacheOptions;
}

/** What the offline queue or read cache did, as `onOfflineEvent` reports it: never headers or bodies. */
export interface OfflineEvent {
  /** What happened: a request queued, replayed or failed at replay; requests held or dropped for another identity; a limit or the storage quota reached. */
  type: 'queued' | 'replayed' | 'replay-failed' | 'held' | 'dropped' | 'limit' | 'quota';
  /** The queued request's id (the `x-amplify-sw-auth-queued` header's value). */
  id?: string;
  /** The request's method. */
  method?: string;
  /** Origin and path: a query may hold a token. */
  url?: string;
  /** The API's answer to a replay. */
  status?: number;
  /** How many requests the event concerns (held, dropped, over a limit). */
  count?: number;
}

/** A queued request as `pendingRequests()` lists it: never its headers or body. */
export interface PendingRequest {
  /** Its id (the `x-amplify-sw-auth-queued` header's value). */
  id: string;
  /** The request's method. */
  method: string;
  /** Origin and path. */
  url: string;
  /** When it was queued, epoch ms. */
  time: number;
  /** Its identity is not held by any open page, and the policy says wait. */
  held: boolean;
}

/** What `replayNow()` did. */
export interface ReplayCounts {
  /** Sent, and the API answered 2xx. */
  replayed: number;
  /**
   * Not replayed: the network failed or the API said try later (503, 429), and the request stays
   * queued; or the API refused it, and it leaves the queue.
   */
  failed: number;
  /** Kept for an identity no open page holds. */
  held: number;
}
