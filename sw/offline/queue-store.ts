import { createStore, del, entries, set, type UseStore } from 'idb-keyval';

/**
 * A mutation made without network, as stored: what the page sent, never what the worker added.
 * No Authorization, signature, token or credentials: each replay is authorized afresh.
 */
export interface QueuedRequest {
  /** Replay order. */
  seq: number;
  /** Given to the page in `x-amplify-sw-auth-queued`, and to the API in the idempotency header. */
  id: string;
  /** The registration whose worker queued it. */
  scope: string;
  apiName: string;
  method: string;
  url: string;
  /** The headers the page set (lower-case names). */
  headers: Record<string, string>;
  body?: ArrayBuffer;
  /** The identity key of the page that made it: a digest, never a secret (collect-material.ts). */
  identity: string;
  /** Epoch ms. */
  time: number;
}

// idb-keyval rather than workbox-background-sync's Queue: the Queue replays one global FIFO with
// shift/unshift and stores the request's every header; holding one identity's requests while
// replaying another's, in order, needs per-entry control, and idb-keyval is already here.
let store: UseStore | undefined;
const db = () => (store ??= createStore('amplify-sw-auth-queue', 'requests'));

export const saveQueued = (request: QueuedRequest): Promise<void> => set(request.seq, request, db());
export const deleteQueued = (seq: number): Promise<void> => del(seq, db());

/** This registration's queued requests, in replay order (IndexedDB sorts numeric keys). */
export async function loadQueued(scope: string): Promise<QueuedRequest[]> {
  return (await entries<number, QueuedRequest>(db())).map(([, request]) => request).filter((request) => request.scope === scope);
}
