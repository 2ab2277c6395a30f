/// <reference lib="webworker" />
import { registerQuotaErrorCallback } from 'workbox-core';
import type { AuthErrorDetail, OfflineEvent, PendingRequest, ReplayCounts } from '../../src/protocol';
import type { CompiledApi } from '../compile-apis';
import type { PageRoster } from '../load-material';
import type { MaterialCache } from '../material-cache';
import { reportedUrl } from '../report-auth-error';
import type { SignContext } from '../sign-outgoing';
import { MutationQueue } from './mutation-queue';
import { emitOfflineEvent } from './offline-events';
import type { OfflineHooks } from './offline-hooks';
import type { OfflineSettings } from './offline-settings';
import { pageMaterials } from './page-materials';
import { ReadCache } from './read-cache';
import { Replayer } from './replay-queue';

declare const self: ServiceWorkerGlobalScope & { registration: { sync?: { register(tag: string): Promise<void> } } };

const SYNC_TAG = 'amplify-sw-auth-replay';

export interface OfflineDeps {
  settings: () => OfflineSettings;
  apis: () => readonly CompiledApi[];
  cache: MaterialCache;
  roster: PageRoster;
  sign: SignContext;
  reportAuthError: (clientId: string | undefined, detail: AuthErrorDetail) => void;
}

export interface Offline {
  hooks: OfflineHooks;
  /** Something that may bring a replay within reach happened: a page registered or came online, the worker started. */
  wake(): void;
  /** A sign-in or sign-out: apply the identity policy to the queue, and purge reads no page may see any more. */
  sessionChanged(): void;
  pending(): Promise<PendingRequest[]>;
  replayNow(): Promise<ReplayCounts>;
}

/**
 * The offline queue and read cache, wired once by installAuthInterceptor(). Replay is triggered by
 * Background Sync where the browser has it, and everywhere by the worker's start, a page
 * registering or coming back online, a live request reaching the API, and `replayNow()`.
 * Every trigger needs an open page: only a page can supply the material to sign with.
 */
export function installOffline(deps: OfflineDeps): Offline {
  const scope = self.registration.scope;
  const emit = (event: OfflineEvent) => void emitOfflineEvent(event);
  const current = (apiName: string) => pageMaterials(deps.cache, deps.roster, apiName);
  const queue = new MutationQueue({
    scope,
    settings: () => deps.settings().queue,
    emit,
    reportAuthError: deps.reportAuthError,
    queued: () => {
      replayer.due = true; // it was queued for want of network: the next request that gets through says it is back
      void self.registration.sync?.register(SYNC_TAG).catch(() => undefined);
    },
  });
  const replayer = new Replayer({ queue, settings: () => deps.settings().queue, apis: deps.apis, sign: deps.sign, current, emit, epoch: deps.roster.sessionEpoch });
  const reads = new ReadCache(scope, () => deps.settings().cache, emit);
  registerQuotaErrorCallback(() => emit({ type: 'quota' }));

  const replay = () => replayer.run().catch((error: unknown) => {
    console.error('amplify-sw-auth: the offline queue could not replay:', error instanceof Error ? error.name : error);
    return { replayed: 0, failed: 0, held: 0 };
  });
  const wake = () => {
    if (deps.settings().queue !== undefined) void queue.load().then(() => void (queue.size > 0 && replay()));
  };
  // Background Sync fires once the browser is online; a pass that still meets no network just
  // leaves the requests for the next trigger.
  self.addEventListener('sync', (event) => {
    const sync = event as ExtendableEvent & { tag?: string };
    if (sync.tag === SYNC_TAG) sync.waitUntil(replay());
  });

  return {
    hooks: {
      read: (api, out, identity, event, network) => reads.handle(api, out, identity, event, network),
      queueFirst: (api, out, identity) => {
        if (queue.size === 0 || !queue.covers(api, out.method) || !queue.waiting(identity)) return undefined;
        return queue.add(api, out, identity).then((queued) => {
          void replay();
          return queued ?? Response.error();
        });
      },
      queue: (api, out, identity) => queue.add(api, out, identity),
      reached: () => {
        if (queue.size > 0 && replayer.due) void replay();
      },
    },
    wake,
    sessionChanged() {
      wake();
      const cached = deps.settings().cache;
      if (cached === undefined) return;
      const apis = deps.apis().filter((api) => cached.apis === undefined || cached.apis.has(api.apiName));
      void Promise.all(apis.map((api) => current(api.apiName))).then((all) => {
        if (all.some((pages) => pages === undefined)) return; // who is who cannot be told now: keep everything
        return reads.purgeExcept(new Set(all.flatMap((pages) => [...pages!.keys()])));
      }).catch(() => undefined);
    },
    async pending() {
      await queue.load();
      return queue.list().map((m) => ({ id: m.id, method: m.method, url: reportedUrl(m.url), time: m.time, held: replayer.held.has(m.id) }));
    },
    replayNow: replay,
  };
}
