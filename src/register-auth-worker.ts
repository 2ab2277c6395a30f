import { amplifyApis, amplifyGraphqlConfig, amplifyGraphqlHeaders, amplifyHeaders, amplifyStoredIdentity, clearAmplifyCredentials, onAmplifySessionChange } from './amplify';
import { amplifySession } from './amplify-session';
import { AuthWorkerError } from './auth-worker-error';
import { startBridge } from './bridge';
import { collectMaterial } from './collect-material';
import { GRAPHQL_API_NAME, graphqlApiFromConfig, graphqlApiFromOutputs } from './graphql-api';
import { listeners } from './listeners';
import { restApisFromOutputs } from './outputs-apis';
import { postToWorker } from './post-to-worker';
import { register, REPLY_TIMEOUT_MS, takeControl } from './register-worker';
import { BUILD_ID, isSessionEvent, MESSAGE, PROTOCOL_VERSION, SESSION_BEACON_PATH, type AuthErrorDetail, type ConfigureMessage, type OfflineEvent, type PageConfig, type PageToWorkerMessage, type RequestLogEntry, type SessionEvent } from './protocol';
import type { ApiConfigMap, AuthWorker, FetchAuthSession, RegisterAuthWorkerOptions } from './types';

/** The bridge of the last successful call: a later one (hot reload, React StrictMode) replaces it. */
let current: (() => void) | undefined;


/**
 * Registers the auth worker and starts this page's bridge to it. Resolves once this page is
 * controlled by the worker and the worker has accepted the API config: from then on every
 * fetch or XHR to a configured API carries Amplify REST authorization.
 */
export async function registerAuthWorker(options: RegisterAuthWorkerOptions = {}): Promise<AuthWorker> {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) {
    throw new AuthWorkerError('unsupported', 'service workers are not available here: serve the page from a secure context (https, or http://localhost), outside the private modes that turn them off.');
  }
  // Amplify's API.GraphQL joins the REST APIs when the app lets the library read Amplify's config,
  // as for API.REST: `apis` lists every API itself. Gen2 outputs' `data` always counts.
  const graphql = (options.outputs === undefined ? undefined : graphqlApiFromOutputs(options.outputs)) ?? (options.apis === undefined ? graphqlApiFromConfig(amplifyGraphqlConfig()) : undefined);
  const rest = restApis(options);
  // A malformed `apis` goes to the worker as it is: its config check names the problem.
  const apis = isMap(rest) ? onlyEndpoints({ ...(graphql && { [GRAPHQL_API_NAME]: graphql.config }), ...rest }) : rest;
  if (apis === undefined || Object.keys(apis).length === 0) {
    throw new AuthWorkerError('no-apis', 'no APIs to authorize. An Amplify Gen2 app passes its outputs: registerAuthWorker({ outputs }) with outputs from amplify_outputs.json (its custom.API and data). Otherwise call Amplify.configure() with API.REST or API.GraphQL before registerAuthWorker(), or pass `apis`.');
  }
  // The default script leaves the offline modules and the debug log out; its twin has them (build.mjs).
  const url = options.url ?? (options.offline === undefined && options.debug !== true ? '/amplify-auth-worker.js' : '/amplify-auth-worker-offline.js');
  const headersFn = options.headers ?? amplifyHeaders;
  const fetchSession: FetchAuthSession = options.fetchAuthSession ?? amplifySession;
  const container = navigator.serviceWorker;
  const config: PageConfig = {
    apis,
    ...(options.bridgeTimeoutMs !== undefined && { bridgeTimeoutMs: options.bridgeTimeoutMs }),
    ...(options.onBridgeFailure !== undefined && { onBridgeFailure: options.onBridgeFailure }),
    ...(options.offline !== undefined && { offline: options.offline }),
    ...(options.debug === true && { debug: true }),
  };
  const configure: ConfigureMessage = { type: MESSAGE.configure, version: PROTOCOL_VERSION, build: BUILD_ID, ...config };

  const authErrors = listeners<AuthErrorDetail>();
  const sessionChanges = listeners<string>();
  const offlineEvents = listeners<OfflineEvent>();
  const requestLog = listeners<RequestLogEntry>();
  // One reset at a time, and every question waits for it: Amplify's credential state is shared.
  // A failed reset must not fail every later question: the credential fetch repairs a stale
  // identity itself (amplifySession), so the chain always settles to success.
  let reset: Promise<void> = Promise.resolve();
  const material = async (apiName: string, forceRefresh: boolean, sessionChanged: boolean) => {
    if (sessionChanged && options.fetchAuthSession === undefined) reset = reset.then(clearAmplifyCredentials).catch(() => undefined);
    await reset;
    // Amplify's own store says who is here when the session cannot be read (session-who.ts); a custom source has none.
    const stored = options.fetchAuthSession === undefined ? amplifyStoredIdentity : undefined;
    if (apis[apiName]?.kind !== 'graphql') return collectMaterial(apiName, headersFn, fetchSession, forceRefresh, stored);
    // Amplify's GraphQL client: API.GraphQL.headers, the access token, API.GraphQL.apiKey.
    return collectMaterial(apiName, amplifyGraphqlHeaders, fetchSession, forceRefresh, stored, { apiKey: apiName === GRAPHQL_API_NAME ? graphql?.apiKey : undefined });
  };
  // The bridge must answer before the first request can be authorized, so it starts first, in
  // the same task as the registration it will only listen to.
  const registering = register(url, options.scope);
  const stopBridge = startBridge({
    material,
    // APIs whose material fails are left out: the worker asks for them one by one and reports why.
    allMaterials: async (sessionChanged) => {
      const names = Object.keys(apis);
      const settled = await Promise.allSettled(names.map((apiName, i) => material(apiName, false, sessionChanged && i === 0)));
      return Object.fromEntries(names.flatMap((apiName, i) => (settled[i].status === 'fulfilled' ? [[apiName, settled[i].value]] : [])));
    },
    config,
    authError: authErrors.notify,
    sessionChanged: sessionChanges.notify,
    offlineEvent: offlineEvents.notify,
    requestLog: requestLog.notify,
  }, registering);
  const send = async (message: PageToWorkerMessage) => {
    const worker = container.controller;
    if (worker === null) throw new AuthWorkerError('not-controlled', 'this page is no longer controlled by the auth worker: call registerAuthWorker() again, or reload the page.');
    const reply = await postToWorker(worker, message, REPLY_TIMEOUT_MS);
    if (!reply.ok) throw new AuthWorkerError('config-rejected', reply.error.replace(/^amplify-sw-auth: /, ''));
    if (reply.build !== BUILD_ID) {
      console.warn(`amplify-sw-auth: this page runs build ${BUILD_ID} but the worker runs ${reply.build}. Copy the worker script again after upgrading (npx amplify-sw-auth init <publicDir>).`);
    }
    return reply;
  };
  const notify = (message: PageToWorkerMessage) => send(message).catch((error: unknown) => console.error(error));
  let registration: ServiceWorkerRegistration | undefined;
  let missed: SessionEvent | undefined;
  const sessionChanged = (reason: SessionEvent) => {
    if (registration === undefined || (container.controller === null && registration.active === null)) {
      missed = reason; // e.g. the signedIn Amplify fires on load after a hosted-UI redirect: told once configured
      return;
    }
    // Each change goes two ways, and the worker acts on whichever arrives first (by `id`):
    // - a beacon: Hub listeners run inside signIn()/signOut(), before they resolve, so it is on its
    //   way before the app's next request, on the same ordered path (see SESSION_BEACON_PATH). Not
    //   `keepalive`: Firefox 140 sends keepalive requests past the service worker;
    // - a message, which a navigation right after signOut() (hosted-UI sign-out does one) cannot
    //   cancel, and which also reaches the worker when this page lost control (a hard reload).
    const id = crypto.randomUUID();
    if (container.controller !== null) {
      const beacon = new URL(SESSION_BEACON_PATH, registration.scope);
      beacon.searchParams.set('reason', reason);
      beacon.searchParams.set('id', id);
      void fetch(beacon, { method: 'POST', mode: 'same-origin', cache: 'no-store' }).catch(() => undefined);
    }
    void postToWorker((registration.active ?? container.controller)!, { type: MESSAGE.sessionChanged, version: PROTOCOL_VERSION, reason, id }, REPLY_TIMEOUT_MS).catch(() => undefined);
  };
  const stopHub = onAmplifySessionChange((event) => {
    if (isSessionEvent(event)) sessionChanged(event);
  });
  // A new worker version that takes over starts with the stored config; hand it this page's anyway.
  const onControllerChange = () => void notify(configure);
  // The network is back: the worker drops material read while it was not, and replays its queue.
  const onOnline = () => void notify({ type: MESSAGE.online, version: PROTOCOL_VERSION });
  const stop = () => {
    stopBridge();
    stopHub();
    container.removeEventListener('controllerchange', onControllerChange);
    removeEventListener('online', onOnline);
  };

  try {
    registration = await registering;
    await takeControl(registration);
    await send(configure);
    if (missed !== undefined) sessionChanged(missed);
    container.addEventListener('controllerchange', onControllerChange);
    addEventListener('online', onOnline);
    const active = registration;
    current?.();
    current = stop;
    return {
      registration: active,
      onAuthError: authErrors.on,
      onSessionChange: sessionChanges.on,
      onOfflineEvent: offlineEvents.on,
      onRequestLog: requestLog.on,
      refresh: () => send({ type: MESSAGE.sessionChanged, version: PROTOCOL_VERSION, reason: 'refresh' }).then(() => undefined),
      pendingRequests: () => send({ type: MESSAGE.pending, version: PROTOCOL_VERSION }).then((reply) => (reply.ok && reply.pending) || []),
      replayNow: () => send({ type: MESSAGE.replay, version: PROTOCOL_VERSION }).then((reply) => (reply.ok && reply.replay) || { replayed: 0, failed: 0, held: 0 }),
      async unregister() {
        stop();
        if (current === stop) current = undefined;
        await send({ type: MESSAGE.teardown, version: PROTOCOL_VERSION }).catch(() => undefined);
        return active.unregister();
      },
    };
  } catch (error) {
    stop();
    throw error;
  }
}

/** `apis` (or Amplify's API.REST) over Gen2 `outputs.custom.API`: a name in both takes the explicit entry. */
function restApis(options: RegisterAuthWorkerOptions): ApiConfigMap | undefined {
  const configured = options.apis ?? amplifyApis();
  if (options.outputs === undefined) return configured;
  let fromOutputs: ApiConfigMap;
  try {
    fromOutputs = restApisFromOutputs(options.outputs);
  } catch (error) {
    throw new AuthWorkerError('bad-outputs', (error as Error).message);
  }
  return { ...fromOutputs, ...configured };
}

const isMap = (apis: ApiConfigMap | undefined): apis is ApiConfigMap | undefined => apis === undefined || (typeof apis === 'object' && apis !== null && !Array.isArray(apis));

/** Only what the worker uses goes over: Amplify's REST config may hold more, and not all of it clones. */
function onlyEndpoints(apis: ApiConfigMap): ApiConfigMap {
  return Object.fromEntries(
    Object.entries(apis).map(([name, api]) => {
      if (typeof api !== 'object' || api === null) return [name, api];
      const { endpoint, region, service, kind, defaultAuthMode, media } = api;
      return [name, { endpoint, ...(region !== undefined && { region }), ...(service !== undefined && { service }), ...(kind !== undefined && { kind }), ...(defaultAuthMode !== undefined && { defaultAuthMode }), ...(media !== undefined && { media }) }];
    }),
  );
}
