/**
 * The offline part of the wire protocol (issue 12): options, events and the pending list. Only
 * `protocol.ts` imports it, and re-exports all of it: both sides still import that one module.
 */
/** What happens to queued requests of an identity no open page holds any more. */
export type IdentityChangePolicy = 'hold' | 'drop' | 'replay-as-current';

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

export type CacheStrategy = 'network-first' | 'stale-while-revalidate';

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

export interface OfflineOptions {
  queue?: true | OfflineQueueOptions;
  cache?: true | OfflineCacheOptions;
}

export interface OfflineEvent {
  type: 'queued' | 'replayed' | 'replay-failed' | 'held' | 'dropped' | 'limit' | 'quota';
  /** The queued request's id (the `x-amplify-sw-auth-queued` header's value). */
  id?: string;
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
  id: string;
  method: string;
  /** Origin and path. */
  url: string;
  /** When it was queued, epoch ms. */
  time: number;
  /** Its identity is not held by any open page, and the policy says wait. */
  held: boolean;
}

export interface ReplayCounts {
  replayed: number;
  failed: number;
  held: number;
}
