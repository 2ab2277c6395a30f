/// <reference lib="webworker" />
import { Route, Router } from 'workbox-routing';
import type { HTTPMethod } from 'workbox-routing/utils/constants';
import type { AuthErrorDetail, BridgeFailurePolicy, OfflineOptions } from '../src/protocol';
import { authorizeRequest, type AuthorizeContext } from './authorize-request';
import { handleMessage } from './handle-message';
import { leavesApi, matchApi } from './match-api';
import { isMediaLoad } from './media-load';
import { MaterialCache } from './material-cache';
import { installOffline } from './offline/install-offline';
import { OFFLINE, withoutOffline } from './offline/offline-enabled';
import { NO_OFFLINE } from './offline/offline-hooks';
import { offlineSettings } from './offline/offline-settings';
import { reportAuthError, reportedUrl } from './report-auth-error';
import { beaconUrl, sessionBeacon } from './session-beacon';
import { sendUpstream } from './send-upstream';
import { SessionChanges } from './session-changes';
import { startUp } from './start-up';
import { addStaticRoutes } from './static-routes';
import { TRACE, traceStart } from './trace';
import { compileAllowlist, failurePolicy, positiveNumber, WorkerConfig } from './worker-config';

declare const self: ServiceWorkerGlobalScope;

/** Options of `installAuthInterceptor()`; the ready worker script passes `allowedEndpoints` and `staticRoutes`, the rest keep their defaults. */
export interface AuthInterceptorOptions {
  /** Activate a new version at once instead of waiting for every tab to close. Default `true`. */
  skipWaiting?: boolean;
  /** Take control of already open pages on activation, so `registerAuthWorker()` can resolve. Default `true`. */
  clientsClaim?: boolean;
  /** How long a request waits for the page to supply auth material. Default 5000 ms; the page may override it. */
  bridgeTimeoutMs?: number;
  /**
   * What a request gets when the page cannot supply auth material (timeout, `headers()` threw, no page open):
   * `'send-unauthenticated'` (default; what Amplify does when `fetchAuthSession()` fails) or
   * `'error-response'` (a 503 with a JSON `message`). Both are reported to pages as auth errors.
   */
  onBridgeFailure?: BridgeFailurePolicy;
  /** Stop using tokens or credentials this long before they expire. Default 30 s. */
  expiryMarginMs?: number;
  /** Re-ask the page at least this often, for headers of unknown lifetime (custom tokens). Default 5 min. */
  maxMaterialAgeMs?: number;
  /**
   * The only endpoints pages may configure: each API endpoint must equal one of these or lie under it
   * (same origin, path prefix on a segment boundary). Page script cannot widen it, so it bounds where
   * this origin's tokens can go even if page script is compromised. Default: none (the page decides).
   */
  allowedEndpoints?: readonly string[];
  /**
   * Let the browser send what this worker never authorizes straight to the network, without the hop
   * through the worker (Chromium's Static Routing API, feature-detected): navigations, no-cors and
   * asset requests, and, with `allowedEndpoints`, every URL outside them. Default `false`, because
   * those routes also bypass any other fetch handler in the same worker (precaching, say); the
   * ready script turns it on.
   */
  staticRoutes?: boolean;
  /**
   * The offline queue and read cache for pages that do not pass their own `offline` to
   * `registerAuthWorker()` (see the README's Offline section). Default: off.
   */
  offline?: OfflineOptions;
  /**
   * Log each request this worker handles in its console (one `amplify-sw-auth:` line: API, auth
   * mode and why, material cached or asked of the page, retry, status, time) and post it to the
   * page (`onRequestLog`). Never a token, key, signature or query. Either this or a page's
   * `registerAuthWorker({ debug: true })` turns it on. Default `false`.
   */
  debug?: boolean;
}

// workbox-routing matches GET only unless told otherwise. Its method list lacks OPTIONS, which a
// page can still send with fetch(); its Router only compares `route.method` with the request's.
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

let installed = false;

/**
 * Makes this service worker authorize requests to the APIs a page configures with
 * `registerAuthWorker()`. Call it once, synchronously, at the top level of the worker script
 * (browsers only dispatch `fetch` to listeners added during the first evaluation).
 */
export function installAuthInterceptor(options: AuthInterceptorOptions = {}): void {
  if (installed) throw new Error('amplify-sw-auth: installAuthInterceptor() was called twice in this worker; call it once, at the top level of the worker script.');
  if (typeof ServiceWorkerGlobalScope === 'undefined' || !(self instanceof ServiceWorkerGlobalScope)) {
    throw new Error('amplify-sw-auth: installAuthInterceptor() must run inside a service worker script.');
  }
  const defaults = {
    bridgeTimeoutMs: positiveNumber(options.bridgeTimeoutMs, 'bridgeTimeoutMs') ?? 5000,
    onBridgeFailure: failurePolicy(options.onBridgeFailure) ?? 'send-unauthenticated',
    offline: options.offline,
    debug: options.debug === true,
    mediaBypassed: options.staticRoutes === true && options.allowedEndpoints === undefined,
  };
  // A bad default fails here, at install, not at the first configure.
  if (OFFLINE) offlineSettings(options.offline, undefined);
  else withoutOffline(options.offline);
  const allowlist = options.allowedEndpoints === undefined ? undefined : compileAllowlist(options.allowedEndpoints);
  installed = true;

  const cache = new MaterialCache({ marginMs: positiveNumber(options.expiryMarginMs, 'expiryMarginMs') ?? 30_000, maxAgeMs: positiveNumber(options.maxMaterialAgeMs, 'maxMaterialAgeMs') ?? 300_000 });
  const config = new WorkerConfig(defaults, allowlist, () => cache.invalidate());
  // Called on events only, once `offline` below exists.
  const sessions = new SessionChanges(cache, () => offline?.sessionChanged());
  const bridged = new Set<string>();
  const started = startUp(config, cache, bridged, sessions.epoch());

  const roster = { bridged, warmedUp: started.warmedUp, sessionEpoch: sessions.epoch, timeoutMs: () => config.settings.bridgeTimeoutMs };
  const signing = { clockOffsets: new Map<string, number>(), reportAuthError: (clientId: string | undefined, detail: AuthErrorDetail) => void reportAuthError(clientId, bridged, detail) };
  const offline = OFFLINE ? installOffline({ settings: () => config.settings.offline, apis: () => config.apis, cache, roster, sign: signing, reportAuthError: signing.reportAuthError }) : undefined;
  // Once the open pages have answered the start-up question: they are who can sign a replay.
  if (offline) void started.ready().then(() => started.warmedUp).then(offline.wake);
  const ctx: AuthorizeContext = {
    ...signing,
    cache,
    roster,
    forcedRefreshes: new Map(),
    onBridgeFailure: () => config.settings.onBridgeFailure,
    offline: offline?.hooks ?? NO_OFFLINE,
    debug: () => config.settings.debug,
  };
  const router = new Router();
  const match = ({ url, request, event }: { url: URL; request: Request; event: ExtendableEvent }) => {
    // Cognito's own JSON-protocol calls are never authorized by us, whatever the config says.
    if (request.headers.has('x-amz-target')) return false;
    const api = matchApi(url, config.apis);
    if (api === undefined) return false;
    // A media load is authorized only for an API that opted in (README: security model, media).
    if ((request.mode === 'no-cors' || request.destination !== '') && !(api.media && isMediaLoad(request))) return false;
    if (leavesApi(url, api, config.apis)) {
      const message = `amplify-sw-auth: the path of ${url.origin}${url.pathname} leaves API "${api.apiName}" once decoded (an encoded "/" or "\\", a ".." or ";" segment, double encoding); it is sent without auth. If the request is meant for this API, build its path without "..", ";" or double-encoded segments.`;
      ctx.reportAuthError((event as FetchEvent).clientId, { code: 'path-escapes-api', message, apiName: api.apiName, url: reportedUrl(url), method: request.method, outcome: 'sent-unauthenticated' });
      return false;
    }
    return api;
  };
  for (const method of METHODS) {
    const route = new Route(match, (handlerOptions) => authorizeRequest(ctx, handlerOptions));
    route.method = method as HTTPMethod;
    router.registerRoute(route);
  }

  self.addEventListener('fetch', (event) => {
    if (TRACE) traceStart(event);
    const { request } = event;
    // Navigations, no-cors and asset loads never carry API auth, media loads of `media` APIs aside: no respondWith, no cost.
    // A restarted worker does not know yet whether an API takes media loads: it holds them until it does.
    if (request.mode === 'navigate' || ((request.mode === 'no-cors' || request.destination !== '') && !((config.media || !started.loaded()) && isMediaLoad(request)))) return;
    if (request.method === 'POST' && request.url.startsWith(beaconUrl())) {
      const beacon = sessionBeacon(event);
      if (beacon !== undefined) {
        // Answered here, never the network. A restarted worker learns its bridged pages this way too.
        bridged.add(event.clientId);
        event.respondWith(new Response(null, { status: 204 }));
        event.waitUntil(sessions.changed(beacon.reason, event.clientId, beacon.id));
        return;
      }
    }
    if (started.loaded()) {
      const response = router.handleRequest({ event, request });
      if (response) event.respondWith(response);
      return;
    }
    event.respondWith(started.ready().then(() => router.handleRequest({ event, request }) ?? sendUpstream(request)));
  });

  self.addEventListener('message', (event) => handleMessage({ config, sessions, bridged, cache, offline }, event));

  self.addEventListener('install', (event) => {
    if (options.staticRoutes === true) addStaticRoutes(event, allowlist, beaconUrl());
    if (options.skipWaiting !== false) void self.skipWaiting();
  });
  if (options.clientsClaim !== false) self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
}
