/// <reference lib="webworker" />
import type { WorkboxPlugin } from 'workbox-core/types';
import { NetworkFirst, StaleWhileRevalidate, type Strategy } from 'workbox-strategies';
import { AUTH_MODE_HEADER, CACHE_HEADER, type OfflineEvent } from '../../src/protocol';
import type { CompiledApi } from '../compile-apis';
import { ownCredential } from '../page-headers';
import { reportedUrl } from '../report-auth-error';
import type { Outgoing, Signed } from '../sign-outgoing';
import type { Network } from './offline-hooks';
import { covers, type CacheSettings } from './offline-settings';

declare const self: ServiceWorkerGlobalScope;

// When an entry was stored: its age is ours to judge, whatever the API's Date header says.
const STORED_AT = 'x-amplify-sw-auth-stored-at';
// A stale-while-revalidate hit on an entry stored this recently is not revalidated again: a burst
// of reads of one resource costs one upstream request, not one each (swr's `dedupingInterval`,
// 2 s, is the same idea).
const REVALIDATED_WITHIN_MS = 2000;

/**
 * GET responses of the APIs that opted in, in one Cache Storage cache per identity, so two users
 * of one browser never see each other's data. Workbox's strategies decide when to use the network
 * and when the cache; its network step is this worker's own authorized request (plugin below).
 */
export class ReadCache {
  /** A strategy per identity: Workbox fixes a strategy's cache name when it is built. */
  #strategies = new Map<string, { settings: CacheSettings; strategy: Strategy }>();
  #networks = new WeakMap<ExtendableEvent, Network>();
  /** `${cacheName} ${url}` → when that entry was stored. */
  #storedAt = new Map<string, number>();
  readonly #prefix: string;

  constructor(
    scope: string,
    private readonly settings: () => CacheSettings | undefined,
    private readonly emit: (event: OfflineEvent) => void,
  ) {
    this.#prefix = `amplify-sw-auth-reads ${scope} `;
  }

  handle(api: CompiledApi, out: Outgoing, identity: string | undefined, event: FetchEvent, network: Network): Promise<Response> | undefined {
    const settings = this.settings();
    if (out.method !== 'GET' || identity === undefined || out.page === undefined || !covers(settings, api.apiName)) return undefined;
    // Entries are whole answers keyed by URL under the identity's default mode: a byte range (a
    // <video> seek) or another auth mode for the same URL is not what they hold.
    if (out.fromPage.range !== undefined || out.fromPage[AUTH_MODE_HEADER] !== undefined) return undefined;
    // A page that set its own credential chose whose data this is: not the identity we know.
    if (ownCredential(out.fromPage) !== undefined) return undefined;
    this.#networks.set(event, network);
    // Workbox's strategies reject (`no-response`) when neither the network nor the cache has an
    // answer. A rejected respondWith() promise is the same network error for the page, but the
    // worker reports it as an uncaught rejection (seen in Chromium): answer Response.error().
    return this.#strategy(identity, settings!).handle({ event, request: out.page }).catch(() => Response.error());
  }

  /** Deletes the cached reads of every identity not in `keep` (signed out, or gone from every page). */
  async purgeExcept(keep: ReadonlySet<string>): Promise<void> {
    for (const name of await caches.keys()) {
      if (!name.startsWith(this.#prefix) || keep.has(name.slice(this.#prefix.length))) continue;
      this.#strategies.delete(name.slice(this.#prefix.length));
      for (const key of this.#storedAt.keys()) if (key.startsWith(`${name} `)) this.#storedAt.delete(key);
      await caches.delete(name);
    }
  }

  #strategy(identity: string, settings: CacheSettings): Strategy {
    const held = this.#strategies.get(identity);
    if (held?.settings === settings) return held.strategy;
    const cacheName = this.#prefix + identity;
    const options = { cacheName, plugins: [this.#plugin(settings, cacheName)] };
    const strategy = settings.strategy === 'network-first' ? new NetworkFirst(options) : new StaleWhileRevalidate(options);
    this.#strategies.set(identity, { settings, strategy });
    return strategy;
  }

  #plugin(settings: CacheSettings, cacheName: string): WorkboxPlugin {
    const networks = this.#networks;
    const storedAt = this.#storedAt;
    const emit = this.emit;
    const forget = (url: string) => storedAt.delete(`${cacheName} ${url}`);
    return {
      // The network step: the live request, authorized as any other; its retries run in fetchDidSucceed.
      async requestWillFetch({ request, event, state }) {
        // Workbox's StaleWhileRevalidate swallows this and serves the hit (a miss has no storedAt).
        if (settings.strategy === 'stale-while-revalidate' && Date.now() - (storedAt.get(`${cacheName} ${request.url}`) ?? -Infinity) < REVALIDATED_WITHIN_MS) throw new Error('fresh');
        const signed = await networks.get(event)!.sign();
        if (signed instanceof Response) throw new Error(`amplify-sw-auth: could not authorize a read (${signed.status}).`);
        state!.signed = signed;
        return signed.request;
      },
      fetchDidSucceed: async ({ event, response, state }) => networks.get(event)!.settle(state!.signed as Signed, response),
      // Keyed by URL alone: the stored request must carry none of the headers the worker added.
      cacheKeyWillBeUsed: async ({ request }) => request.url,
      async cacheWillUpdate({ response }) {
        // no-store: never stored (RFC 9111 §5.2.2.5). `private` is stored: this cache is one user's.
        if (response.status !== 200 || /(?:^|,)\s*no-store\b/i.test(response.headers.get('cache-control') ?? '')) return null;
        const headers = new Headers(response.headers);
        headers.set(STORED_AT, String(Date.now()));
        return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
      },
      async cachedResponseWillBeUsed({ request, cachedResponse }) {
        if (cachedResponse === undefined) return null;
        const age = Date.now() - Number(cachedResponse.headers.get(STORED_AT));
        if (!(age <= settings.maxAgeMs)) {
          forget(request.url);
          await (await caches.open(cacheName)).delete(request.url);
          emit({ type: 'limit', url: reportedUrl(request.url), count: 1 });
          return null;
        }
        const headers = new Headers(cachedResponse.headers);
        headers.delete(STORED_AT);
        headers.set(CACHE_HEADER, 'hit');
        return new Response(cachedResponse.body, { status: cachedResponse.status, statusText: cachedResponse.statusText, headers });
      },
      // Least recently stored first: Cache.put removes a matching entry and appends (Service Workers §5.4.7).
      async cacheDidUpdate({ request }) {
        storedAt.set(`${cacheName} ${request.url}`, Date.now());
        const cache = await caches.open(cacheName);
        const keys = await cache.keys();
        const over = keys.length - settings.maxEntries;
        if (over <= 0) return;
        await Promise.all(keys.slice(0, over).map((key) => (forget(key.url), cache.delete(key))));
        emit({ type: 'limit', count: over });
      },
    };
  }
}
