/// <reference lib="webworker" />
import { MESSAGE, PROTOCOL_VERSION, type AuthErrorDetail, type WorkerToPageMessage } from '../src/protocol';

declare const self: ServiceWorkerGlobalScope;

/** The URL as auth events carry it: a query may hold a token, so it is left out. */
export const reportedUrl = (url: URL | string): string => {
  const { origin, pathname } = typeof url === 'string' ? new URL(url) : url;
  return origin + pathname;
};

/**
 * Tells pages about a request: the requesting page if it runs a bridge; else (a dedicated worker's
 * request, a replay from the offline queue, or a restarted worker that has not met the bridges
 * yet) every window, which ignore it without a bridge. Bridges only hear their own worker.
 */
export async function tellPages(clientId: string | undefined, bridged: ReadonlySet<string>, message: WorkerToPageMessage): Promise<void> {
  const targets = clientId !== undefined && bridged.has(clientId) ? [await self.clients.get(clientId)] : await self.clients.matchAll({ type: 'window' });
  for (const client of targets) client?.postMessage(message);
}

/** Tells pages that a request could not be authorized as configured. */
export const reportAuthError = (clientId: string | undefined, bridged: ReadonlySet<string>, error: AuthErrorDetail): Promise<void> =>
  tellPages(clientId, bridged, { type: MESSAGE.authError, version: PROTOCOL_VERSION, error });
