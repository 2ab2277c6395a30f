/// <reference lib="webworker" />
import { MESSAGE, PROTOCOL_VERSION, type SessionChangedMessage, type SessionEvent } from '../src/protocol';
import type { MaterialCache } from './material-cache';

declare const self: ServiceWorkerGlobalScope;

/**
 * Session changes (sign-in, sign-out, refresh) seen by this worker instance, from any tab.
 * `epoch()` names how many there were; the random prefix makes a restarted worker's count differ
 * from its predecessor's, so a bridge never mistakes a change it did not hear of for one it handled.
 */
export class SessionChanges {
  readonly #instance = Math.random().toString(36).slice(2, 10);
  #count = 0;
  #seen: string[] = [];

  constructor(
    private readonly cache: MaterialCache,
    /** Told after each change (the offline queue's identity policy, the read cache's purge). */
    private readonly onChanged: () => void = () => undefined,
  ) {}

  epoch = (): string => `${this.#instance}:${this.#count}`;

  /**
   * Drops all cached material, since pages that share token storage all changed session, and tells
   * every other window: Amplify's Hub fires in one tab only (amplify-js #12820). A restarted worker
   * does not know yet which run a bridge, and pages without one ignore it.
   */
  changed(reason: SessionEvent, fromClientId: string | undefined, id?: string): Promise<void> {
    // A page sends each change as a beacon and as a message: the second to arrive is not news.
    if (id !== undefined) {
      if (this.#seen.includes(id)) return Promise.resolve();
      this.#seen = [...this.#seen.slice(-15), id];
    }
    this.#count++;
    this.cache.invalidate();
    this.onChanged();
    const message: SessionChangedMessage = { type: MESSAGE.sessionChanged, version: PROTOCOL_VERSION, reason };
    return self.clients.matchAll({ type: 'window' }).then((windows) => {
      for (const client of windows) if (client.id !== fromClientId) client.postMessage(message);
    });
  }
}
