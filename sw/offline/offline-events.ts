/// <reference lib="webworker" />
import { MESSAGE, PROTOCOL_VERSION, type OfflineEvent, type OfflineEventMessage } from '../../src/protocol';

declare const self: ServiceWorkerGlobalScope;

/**
 * Tells every window of this origin what the queue or cache did: a queued request may be replayed
 * long after the page that made it closed. Bridges only hear their own worker; other pages ignore it.
 */
export async function emitOfflineEvent(event: OfflineEvent): Promise<void> {
  const message: OfflineEventMessage = { type: MESSAGE.offlineEvent, version: PROTOCOL_VERSION, event };
  for (const client of await self.clients.matchAll({ type: 'window' })) client.postMessage(message);
}
