/// <reference lib="webworker" />
import { QUEUED_HEADER, type AuthErrorDetail, type OfflineEvent } from '../../src/protocol';
import type { CompiledApi } from '../compile-apis';
import { ownCredential } from '../page-headers';
import { reportedUrl } from '../report-auth-error';
import type { Outgoing } from '../sign-outgoing';
import { covers, type QueueSettings } from './offline-settings';
import { deleteQueued, loadQueued, saveQueued, type QueuedRequest } from './queue-store';

/** What the worker keeps in memory of each queued request: enough to order, hold and list it. */
export type QueuedMeta = Omit<QueuedRequest, 'headers' | 'body'>;

export interface QueueDeps {
  scope: string;
  settings: () => QueueSettings | undefined;
  emit: (event: OfflineEvent) => void;
  reportAuthError: (clientId: string | undefined, detail: AuthErrorDetail) => void;
  /** A request was queued: ask for a replay when the network is back. */
  queued: () => void;
}

/**
 * The offline mutation queue: requests that found no network, stored unsigned in IndexedDB
 * (queue-store.ts) and listed in memory, in the order they were made.
 */
export class MutationQueue {
  #index: QueuedMeta[] = [];
  #loaded: Promise<void> | undefined;
  #last = 0;

  constructor(private readonly deps: QueueDeps) {}

  /** Reads what an earlier worker instance queued. Once; never rejects. */
  load(): Promise<void> {
    return (this.#loaded ??= loadQueued(this.deps.scope).then(
      (stored) => {
        const known = new Set(this.#index.map((m) => m.seq));
        this.#index = [...stored.filter((r) => !known.has(r.seq)).map(meta), ...this.#index].sort((a, b) => a.seq - b.seq);
      },
      (error: unknown) => console.error('amplify-sw-auth: could not read the offline queue:', error instanceof Error ? error.name : error),
    ));
  }

  get size(): number {
    return this.#index.length;
  }

  list(): readonly QueuedMeta[] {
    return this.#index;
  }

  /**
   * Whether `api` queues `method`. A GraphQL API only when `queue.apis` names it: every GraphQL
   * operation is a POST, and a query answered 202 would mean nothing to its client.
   */
  covers(api: CompiledApi, method: string): boolean {
    const settings = this.deps.settings();
    if (api.kind === 'graphql' && !settings?.apis?.has(api.apiName)) return false;
    return covers(settings, api.apiName) && settings!.methods.has(method);
  }

  /** Whether requests of `identity` are waiting: a new one must go behind them. */
  waiting(identity: string | undefined): boolean {
    return this.#index.some((m) => m.identity === identity);
  }

  /** Stores a mutation that found no network; resolves to the page's 202, or undefined when it is not queued. */
  async add(api: CompiledApi, out: Outgoing, identity: string | undefined): Promise<Response | undefined> {
    const settings = this.deps.settings();
    // No identity: no material came from the page, so nothing says whose request this is.
    if (settings === undefined || identity === undefined || !this.covers(api, out.method)) return undefined;
    const url = reportedUrl(out.url);
    const own = ownCredential(out.fromPage);
    if (own !== undefined) {
      const message = `amplify-sw-auth: a ${out.method} to API "${api.apiName}" found no network and was not queued: it carries its own "${own}" header, and the queue never stores credentials. Let the app's headers() supply it instead.`;
      this.deps.reportAuthError(out.clientId, { code: 'not-queued', message, apiName: api.apiName, url, method: out.method, outcome: 'error-response' });
      return undefined;
    }
    await this.load();
    if (this.#index.length >= settings.maxEntries) {
      this.deps.emit({ type: 'limit', method: out.method, url, count: this.#index.length });
      return undefined;
    }
    const id = crypto.randomUUID();
    const headers = { ...out.fromPage };
    if (settings.idempotencyHeader !== undefined) headers[settings.idempotencyHeader] ??= id;
    // Unique and increasing within this worker; a later worker starts later.
    const seq = (this.#last = Math.max(this.#last + 1, Date.now() * 1000));
    const request: QueuedRequest = { seq, id, scope: this.deps.scope, apiName: api.apiName, method: out.method, url: out.url, headers, body: out.body, identity, time: Date.now() };
    try {
      await saveQueued(request);
    } catch (error) {
      this.deps.emit({ type: 'quota', method: out.method, url, count: this.#index.length });
      console.error(`amplify-sw-auth: could not store a ${out.method} to API "${api.apiName}" in the offline queue (${error instanceof Error ? error.name : 'error'}); it fails as the network error.`);
      return undefined;
    }
    this.#index.push(meta(request));
    this.deps.emit({ type: 'queued', id, method: out.method, url });
    this.deps.queued();
    return new Response(JSON.stringify({ queued: id }), { status: 202, headers: { 'content-type': 'application/json', [QUEUED_HEADER]: id } });
  }

  async remove(seq: number): Promise<void> {
    this.#index = this.#index.filter((m) => m.seq !== seq);
    await deleteQueued(seq);
  }

  /** The stored requests (bodies included), for a replay. */
  stored(): Promise<QueuedRequest[]> {
    return loadQueued(this.deps.scope);
  }
}

const meta = ({ headers: _headers, body: _body, ...rest }: QueuedRequest): QueuedMeta => rest;
