/// <reference lib="webworker" />
import { Route, Router } from 'workbox-routing';
import type { HTTPMethod } from 'workbox-routing/utils/constants';
import {
  BUILD_ID,
  isProtocolMessage,
  MESSAGE,
  PROTOCOL_VERSION,
  SESSION_BEACON_PATH,
  type AuthErrorDetail,
  type AuthErrorMessage,
  type BridgeFailurePolicy,
  type PageToWorkerMessage,
  type SessionChangedMessage,
  type WorkerReply,
} from '../src/protocol';
import { askOpenPages } from './ask-page';
import { authorizeRequest, type AuthorizeContext } from './authorize-request';
import { compileApis, type CompiledApi } from './compile-apis';
import { clearConfig, loadConfig, saveConfig, type StoredConfig } from './config-store';
import { matchApi } from './match-api';
import { MaterialCache } from './material-cache';
import { warmUpSigner } from './sign-request';
import { addStaticRoutes } from './static-routes';
import { TRACE, traceDump, traceStart } from './trace';

declare const self: ServiceWorkerGlobalScope;

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
}

// workbox-routing matches GET only unless told otherwise. Its method list lacks OPTIONS, which a
// page can still send with fetch(); its Router only compares `route.method` with the request's.
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
const FAILURE_POLICIES: readonly BridgeFailurePolicy[] = ['send-unauthenticated', 'error-response'];

let installed = false;

/**
 * Makes this service worker authorize requests to the APIs a page configures with
 * `registerAuthWorker()`. Call it once, synchronously, at the top level of the worker script
 * (browsers only dispatch `fetch` to listeners added during the first evaluation).
 */
export function installAuthInterceptor(options: AuthInterceptorOptions = {}): void {
  if (installed) throw new Error('amplify-sw-auth: installAuthInterceptor() was called twice in this worker.');
  if (typeof ServiceWorkerGlobalScope === 'undefined' || !(self instanceof ServiceWorkerGlobalScope)) {
    throw new Error('amplify-sw-auth: installAuthInterceptor() must run inside a service worker script.');
  }
  installed = true;
  const defaults = { bridgeTimeoutMs: options.bridgeTimeoutMs ?? 5000, onBridgeFailure: options.onBridgeFailure ?? 'send-unauthenticated' };
  const allowlist = options.allowedEndpoints === undefined ? undefined : compileAllowlist(options.allowedEndpoints);
  let apis: readonly CompiledApi[] = [];
  let settings: Required<Omit<StoredConfig, 'apis'>> = { ...defaults };
  const bridged = new Set<string>();
  const cache = new MaterialCache({ marginMs: options.expiryMarginMs ?? 30_000, maxAgeMs: options.maxMaterialAgeMs ?? 300_000 });

  let applied = '';
  /** Validates a whole config, then applies it: a rejected config changes nothing. Returns what to store. */
  const apply = (config: StoredConfig): StoredConfig => {
    const compiled = compileApis(config.apis);
    if (allowlist) checkAllowed(compiled, allowlist);
    const next = {
      bridgeTimeoutMs: positiveNumber(config.bridgeTimeoutMs, 'bridgeTimeoutMs') ?? defaults.bridgeTimeoutMs,
      onBridgeFailure: failurePolicy(config.onBridgeFailure) ?? defaults.onBridgeFailure,
    };
    // Only endpoints and settings are kept (and stored), whatever else the page's objects carried.
    const clean: StoredConfig = { apis: Object.fromEntries(Object.entries(config.apis).map(([name, { endpoint, region, service }]) => [name, { endpoint, region, service }])), ...next };
    const key = JSON.stringify(clean);
    apis = compiled;
    settings = next;
    // Every tab sends its config when it loads; only a different one makes cached material suspect
    // (the first one, at startup, finds only the warm-up's material, which it must keep).
    if (applied !== '' && key !== applied) cache.invalidate();
    applied = key;
    return clean;
  };
  /**
   * Session changes (sign-in, sign-out, refresh) seen by this worker instance, from any tab. The
   * random prefix makes a restarted worker's count differ from its predecessor's, so a bridge never
   * mistakes a change it did not hear of for one it already handled.
   */
  const instance = Math.random().toString(36).slice(2, 10);
  let sessionChanges = 0;
  const sessionEpoch = () => `${instance}:${sessionChanges}`;

  // A restarted worker asks its open pages for every API's material, and their config, first
  // thing: the request that woke it is on its way and will need both, and asking before its fetch
  // event is even dispatched hides most of the round trip. (A first install controls no page yet.)
  const { asked, answer } = askOpenPages(sessionEpoch(), bridged);
  cache.prime(answer.then(({ materials }) => materials));
  // Routing must wait for a config: the page's, or the stored copy.
  let configLoaded = false;
  let configured = false;
  const fromPage = answer.then(({ config }) => {
    if (configLoaded) return;
    apply(config);
    configured = configLoaded = true;
  });
  // The stored copy is read only when it is needed: when no page answers, or when a request comes
  // before the answer. Reading it at start-up would compete with the question for the browser
  // process, and delay the dispatch of the very request it is meant to serve.
  let stored: Promise<void> | undefined;
  const loadStored = () =>
    (stored ??= Promise.race([loadConfig(), new Promise<undefined>((resolve) => setTimeout(resolve, CONFIG_LOAD_TIMEOUT_MS))]) // a stalled IndexedDB must not hold requests forever
      .then((config) => {
        if (config !== undefined && !configured) apply(config);
      })
      .catch((error: unknown) => console.error('amplify-sw-auth: could not load the stored API config:', error))
      .finally(() => (configLoaded = true)));
  answer.catch(loadStored);

  // The pages take a couple of milliseconds to answer: time to warm the signer up.
  void asked.catch(() => undefined).then(warmUpSigner);

  const ctx: AuthorizeContext = {
    cache,
    bridged,
    clockOffsets: new Map(),
    forcedRefreshes: new Map(),
    sessionEpoch,
    bridgeTimeoutMs: () => settings.bridgeTimeoutMs,
    onBridgeFailure: () => settings.onBridgeFailure,
    reportAuthError: (event, detail) => void reportAuthError(event, bridged, detail),
  };
  const router = new Router();
  const match = ({ url, request }: { url: URL; request: Request }) =>
    // Cognito's own JSON-protocol calls are never authorized by us, whatever the config says.
    request.headers.has('x-amz-target') ? false : (matchApi(url, apis) ?? false);
  for (const method of METHODS) {
    const route = new Route(match, (handlerOptions) => authorizeRequest(ctx, handlerOptions));
    route.method = method as HTTPMethod;
    router.registerRoute(route);
  }

  /** Drops cached material and tells every other bridged page (Hub events fire per tab: amplify-js #12820). */
  const sessionChanged = (reason: string, fromClientId: string | undefined) => {
    sessionChanges++;
    cache.invalidate();
    const message: SessionChangedMessage = { type: MESSAGE.sessionChanged, version: PROTOCOL_VERSION, reason };
    // Every other window: a restarted worker does not know yet which run a bridge, and pages without one ignore it.
    return self.clients.matchAll({ type: 'window' }).then((windows) => {
      for (const client of windows) if (client.id !== fromClientId) client.postMessage(message);
    });
  };

  const beaconUrl = new URL(SESSION_BEACON_PATH, self.registration.scope).href;
  self.addEventListener('fetch', (event) => {
    if (TRACE) traceStart(event);
    const { request } = event;
    if (request.url.startsWith(beaconUrl)) {
      // Only a bridge sends the beacon; a restarted worker learns its bridged pages this way too.
      if (event.clientId) bridged.add(event.clientId);
      event.respondWith(new Response(null, { status: 204 }));
      event.waitUntil(sessionChanged(new URL(request.url).searchParams.get('reason') ?? 'unknown', event.clientId));
      return;
    }
    // Navigations, no-cors and asset loads never carry API auth: no respondWith, no cost.
    if (request.mode === 'navigate' || request.mode === 'no-cors' || request.destination !== '') return;
    if (configLoaded) {
      const response = router.handleRequest({ event, request });
      if (response) event.respondWith(response);
      return;
    }
    event.respondWith(Promise.any([fromPage, loadStored()]).then(() => router.handleRequest({ event, request }) ?? fetch(request)));
  });

  self.addEventListener('message', (event) => {
    const data: unknown = event.data;
    if (!isProtocolMessage(data)) return; // the app's own messages are none of our business
    const port = event.ports[0];
    if (TRACE && (data as { type: string }).type === 'amplify-sw-auth/trace') {
      port?.postMessage({ ok: true, version: PROTOCOL_VERSION, build: BUILD_ID, trace: traceDump((data as { reset?: boolean }).reset === true) });
      return;
    }
    event.waitUntil(
      handleMessage(data as PageToWorkerMessage, event).then(
        () => reply(port, { ok: true, version: PROTOCOL_VERSION, build: BUILD_ID }),
        (error: unknown) => reply(port, { ok: false, version: PROTOCOL_VERSION, build: BUILD_ID, error: error instanceof Error ? error.message : String(error) }),
      ),
    );
  });

  async function handleMessage(message: PageToWorkerMessage, event: ExtendableMessageEvent): Promise<void> {
    if (message.version !== PROTOCOL_VERSION) {
      throw new Error(`amplify-sw-auth: the page speaks protocol version ${String(message.version)}, this worker speaks ${PROTOCOL_VERSION}. Update the worker script (npx amplify-sw-auth init <publicDir>) together with the package.`);
    }
    const source = event.source as Client | null;
    switch (message.type) {
      case MESSAGE.configure: {
        if (message.build !== BUILD_ID) {
          console.warn(`amplify-sw-auth: page build ${message.build} talks to worker build ${BUILD_ID}; copy the worker script again (npx amplify-sw-auth init <publicDir>) after upgrading.`);
        }
        const config = apply({ apis: message.apis, bridgeTimeoutMs: message.bridgeTimeoutMs, onBridgeFailure: message.onBridgeFailure });
        configured = true;
        if (source) bridged.add(source.id);
        await saveConfig(config);
        return;
      }
      case MESSAGE.sessionChanged:
        await sessionChanged(String(message.reason), source?.id);
        return;
      case MESSAGE.claim:
        await self.clients.claim();
        return;
      case MESSAGE.teardown:
        apis = [];
        applied = '';
        configured = true; // a stored config still loading must not come back
        cache.invalidate();
        if (source) bridged.delete(source.id);
        await clearConfig();
        return;
      default:
        throw new Error(`amplify-sw-auth: unknown message type "${(message as { type: string }).type}".`);
    }
  }

  self.addEventListener('install', (event) => {
    if (options.staticRoutes === true) addStaticRoutes(event, allowlist, beaconUrl);
    if (options.skipWaiting !== false) void self.skipWaiting();
  });
  if (options.clientsClaim !== false) self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
}

function compileAllowlist(endpoints: readonly string[]): CompiledApi[] {
  if (!Array.isArray(endpoints) || endpoints.length === 0) {
    throw new Error('amplify-sw-auth: `allowedEndpoints` must be a non-empty array of endpoint URLs.');
  }
  return compileApis(Object.fromEntries(endpoints.map((endpoint, i) => [`allowedEndpoints[${i}]`, { endpoint }])));
}

function checkAllowed(apis: readonly CompiledApi[], allowlist: readonly CompiledApi[]): void {
  for (const api of apis) {
    const endpoint = api.origin + api.pathPrefix;
    if (matchApi(new URL(endpoint), allowlist) === undefined) {
      const allowed = allowlist.map((a) => a.origin + a.pathPrefix).join(', ');
      throw new Error(`amplify-sw-auth: API "${api.apiName}" endpoint ${endpoint} is not in this worker's allowedEndpoints (${allowed}); the worker will not send auth material there.`);
    }
  }
}

const CONFIG_LOAD_TIMEOUT_MS = 3000;


function reply(port: MessagePort | undefined, message: WorkerReply): void {
  port?.postMessage(message);
}

async function reportAuthError(event: FetchEvent, bridged: ReadonlySet<string>, error: AuthErrorDetail): Promise<void> {
  const message: AuthErrorMessage = { type: MESSAGE.authError, version: PROTOCOL_VERSION, error };
  // The requesting page if it runs a bridge; else (a dedicated worker's request, or a restarted
  // worker that has not met the bridges yet) every window, which ignore it without a bridge.
  const targets = bridged.has(event.clientId) ? [await self.clients.get(event.clientId)] : await self.clients.matchAll({ type: 'window' });
  for (const client of targets) client?.postMessage(message);
}

function positiveNumber(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new Error(`amplify-sw-auth: \`${name}\` must be a positive number of milliseconds.`);
  return value;
}

function failurePolicy(value: unknown): BridgeFailurePolicy | undefined {
  if (value === undefined) return undefined;
  if (!FAILURE_POLICIES.includes(value as BridgeFailurePolicy)) {
    throw new Error(`amplify-sw-auth: \`onBridgeFailure\` must be one of ${FAILURE_POLICIES.map((p) => `'${p}'`).join(', ')}.`);
  }
  return value as BridgeFailurePolicy;
}
