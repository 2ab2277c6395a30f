/// <reference lib="webworker" />
import { MESSAGE, PROTOCOL_VERSION, type AuthErrorDetail, type AuthErrorMessage } from '../src/protocol';

declare const self: ServiceWorkerGlobalScope;

/**
 * Tells pages that a request could not be authorized as configured: the requesting page if it
 * runs a bridge; else (a dedicated worker's request, or a restarted worker that has not met the
 * bridges yet) every window, which ignore it without a bridge. Bridges only hear their own worker.
 */
export async function reportAuthError(event: FetchEvent, bridged: ReadonlySet<string>, error: AuthErrorDetail): Promise<void> {
  const message: AuthErrorMessage = { type: MESSAGE.authError, version: PROTOCOL_VERSION, error };
  const targets = bridged.has(event.clientId) ? [await self.clients.get(event.clientId)] : await self.clients.matchAll({ type: 'window' });
  for (const client of targets) client?.postMessage(message);
}
