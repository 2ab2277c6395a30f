/// <reference lib="webworker" />
import { askOpenPages, type PageAnswer } from './ask-page';
import { loadConfig, type StoredConfig } from './config-store';
import type { MaterialCache } from './material-cache';
import { warmUpSigner } from './sign-request';
import type { WorkerConfig } from './worker-config';

declare const self: ServiceWorkerGlobalScope;

export interface StartUp {
  /** True once requests can be routed: a config arrived from a page, or the stored one was read. */
  loaded(): boolean;
  /** Settles when `loaded()` turns true. Never rejects. */
  ready(): Promise<void>;
  /** Settles once every page asked at start-up has answered or given up. Never rejects. */
  warmedUp: Promise<unknown>;
}

// A stalled IndexedDB must not hold requests forever.
const CONFIG_LOAD_TIMEOUT_MS = 3000;

/**
 * A (re)started worker's first act: ask its open pages for every API's material, and their config.
 * The request that woke it is on its way and will need both, and asking before its fetch event is
 * even dispatched hides most of the round trip. The stored config is read only when needed: when
 * no page answers, or when a request comes first. Reading it at once would compete with the
 * question for the browser process, and delay the very request it is meant to serve.
 *
 * Whatever arrives late loses to a config a page sent meanwhile (`config.generation`).
 */
export function startUp(config: WorkerConfig, cache: MaterialCache, bridged: Set<string>, sessionEpoch: string): StartUp {
  const questions: Promise<unknown>[] = [];
  const { asked, first } = askOpenPages(sessionEpoch, (client, answer) => {
    cache.expect(client.id, answer.then(({ materials }) => materials));
    questions.push(answer.then(() => bridged.add(client.id), () => undefined));
  });
  // The pages take a couple of milliseconds to answer: time to warm the signer up.
  void asked.then(warmUpSigner, () => undefined);

  let loaded = false;
  const take = (source: string, found: StoredConfig | undefined) => {
    if (found !== undefined && !loaded && config.generation === 0) {
      try {
        config.apply(found);
      } catch (error) {
        console.error(`amplify-sw-auth: the ${source} config was refused:`, error instanceof Error ? error.message : error);
        return false;
      }
    }
    return found !== undefined;
  };
  let stored: Promise<void> | undefined;
  const loadStored = () =>
    (stored ??= Promise.race([loadConfig(self.registration.scope), new Promise<undefined>((resolve) => setTimeout(resolve, CONFIG_LOAD_TIMEOUT_MS))])
      .then((found) => void take('stored', found))
      .catch((error: unknown) => console.error('amplify-sw-auth: could not load the stored API config:', error))
      .finally(() => (loaded = true)));
  const fromPage: Promise<void> = first.then(
    (answer: PageAnswer | undefined) => {
      if (take("open page's", answer?.config)) loaded = true;
      else return loadStored();
    },
    () => loadStored(),
  );
  return {
    loaded: () => loaded || config.generation > 0,
    ready: () => Promise.race([fromPage, loadStored()]),
    warmedUp: first.then(() => Promise.all(questions)),
  };
}
