/// <reference lib="webworker" />
import { isSessionEvent, SESSION_BEACON_PATH, type SessionEvent } from '../src/protocol';

declare const self: ServiceWorkerGlobalScope;

/**
 * The reason a fetch event is the bridge's session beacon (see SESSION_BEACON_PATH), or undefined.
 * Only the form the bridge sends counts: a POST in same-origin mode from a page this worker
 * controls, with a known reason. A navigation to the URL (a link in user content, another site)
 * or any other request to it is not a beacon and passes through untouched: else anyone could make
 * every tab drop its session material, and hammer Cognito, at will.
 */
export function sessionBeacon(event: FetchEvent): { reason: SessionEvent; id: string | undefined } | undefined {
  const { request } = event;
  if (request.method !== 'POST' || request.mode !== 'same-origin' || !event.clientId) return undefined;
  const url = new URL(request.url);
  if (url.href.slice(0, url.href.length - url.search.length) !== beaconUrl()) return undefined;
  const reason = url.searchParams.get('reason');
  return isSessionEvent(reason) ? { reason, id: url.searchParams.get('id') ?? undefined } : undefined;
}

let beacon: string | undefined;
/** The beacon's URL in this registration's scope. */
export const beaconUrl = (): string => (beacon ??= new URL(SESSION_BEACON_PATH, self.registration.scope).href);
