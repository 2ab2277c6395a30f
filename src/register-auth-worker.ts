import { amplifyApis, amplifyFetchAuthSession, amplifyHeaders, amplifySkipsCredentials, clearAmplifyCredentials, onAmplifySessionChange } from './amplify';
import { AuthWorkerError } from './auth-worker-error';
import { startBridge } from './bridge';
import { collectMaterial } from './collect-material';
import { postToWorker } from './post-to-worker';
import { register, REPLY_TIMEOUT_MS, takeControl } from './register-worker';
import { BUILD_ID, isSessionEvent, MESSAGE, PROTOCOL_VERSION, SESSION_BEACON_PATH, type AuthErrorDetail, type ConfigureMessage, type PageConfig, type PageToWorkerMessage, type SessionEvent } from './protocol';
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
    throw new AuthWorkerError('unsupported', 'service workers are not available here. They need a secure context (https, or http://localhost) and are off in some private modes.');
  }
  const apis = onlyEndpoints(options.apis ?? amplifyApis());
  if (apis === undefined || Object.keys(apis).length === 0) {
    throw new AuthWorkerError('no-apis', 'no REST APIs to authorize. Call Amplify.configure({ API: { REST: { ... } } }) before registerAuthWorker(), or pass `apis`.');
  }
  const url = options.url ?? '/amplify-auth-worker.js';
  const headersFn = options.headers ?? amplifyHeaders;
  const fetchSession: FetchAuthSession = options.fetchAuthSession ?? amplifySession;
  const container = navigator.serviceWorker;
  const config: PageConfig = {
    apis,
    ...(options.bridgeTimeoutMs !== undefined && { bridgeTimeoutMs: options.bridgeTimeoutMs }),
    ...(options.onBridgeFailure !== undefined && { onBridgeFailure: options.onBridgeFailure }),
  };
  const configure: ConfigureMessage = { type: MESSAGE.configure, version: PROTOCOL_VERSION, build: BUILD_ID, ...config };

  const errorListeners = new Set<(error: AuthErrorDetail) => void>();
  const sessionListeners = new Set<(reason: string) => void>();
  // One reset at a time, and every question waits for it: Amplify's credential state is shared.
  // A failed reset must not fail every later question: the credential fetch repairs a stale
  // identity itself (amplifySession), so the chain always settles to success.
  let reset: Promise<void> = Promise.resolve();
  const material = async (apiName: string, forceRefresh: boolean, sessionChanged: boolean) => {
    if (sessionChanged && options.fetchAuthSession === undefined) reset = reset.then(clearAmplifyCredentials).catch(() => undefined);
    await reset;
    return collectMaterial(apiName, headersFn, fetchSession, forceRefresh);
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
    authError: (error) => notifyAll(errorListeners, error),
    sessionChanged: (reason) => notifyAll(sessionListeners, reason),
  }, registering);
  const send = async (message: PageToWorkerMessage) => {
    const worker = container.controller;
    if (worker === null) throw new AuthWorkerError('not-controlled', 'this page is no longer controlled by the auth worker.');
    const reply = await postToWorker(worker, message, REPLY_TIMEOUT_MS);
    if (!reply.ok) throw new AuthWorkerError('config-rejected', reply.error.replace(/^amplify-sw-auth: /, ''));
    if (reply.build !== BUILD_ID) {
      console.warn(`amplify-sw-auth: this page runs build ${BUILD_ID} but the worker runs ${reply.build}. Copy the worker script again after upgrading (npx amplify-sw-auth init <publicDir>).`);
    }
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
  const stop = () => {
    stopBridge();
    stopHub();
    container.removeEventListener('controllerchange', onControllerChange);
  };

  try {
    registration = await registering;
    await takeControl(registration);
    await send(configure);
    if (missed !== undefined) sessionChanged(missed);
    container.addEventListener('controllerchange', onControllerChange);
    const active = registration;
    current?.();
    current = stop;
    return {
      registration: active,
      onAuthError(listener) {
        errorListeners.add(listener);
        return () => void errorListeners.delete(listener);
      },
      onSessionChange(listener) {
        sessionListeners.add(listener);
        return () => void sessionListeners.delete(listener);
      },
      refresh: () => send({ type: MESSAGE.sessionChanged, version: PROTOCOL_VERSION, reason: 'refresh' }),
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

/**
 * Amplify's session, as its REST client would fetch it. Amplify keeps the identity id and
 * credentials in memory per tab, tokens in shared storage: after another tab signed out (or in as
 * someone else), this tab asks Cognito for credentials on the old identity, and Cognito refuses.
 * Then drop this tab's copy and ask once more.
 */
async function amplifySession(options?: { forceRefresh?: boolean }) {
  if (amplifySkipsCredentials()) return {};
  try {
    return await amplifyFetchAuthSession(options);
  } catch (error) {
    if (!STALE_IDENTITY_ERRORS.has((error as Error)?.name)) throw error;
    await clearAmplifyCredentials();
    return amplifyFetchAuthSession(options);
  }
}

// What Cognito Identity answers for credentials asked on an identity this tab no longer owns.
const STALE_IDENTITY_ERRORS = new Set(['NotAuthorizedException', 'ResourceNotFoundException']);

/** Only what the worker uses goes over: Amplify's REST config may hold more, and not all of it clones. */
function onlyEndpoints(apis: ApiConfigMap | undefined): ApiConfigMap | undefined {
  if (apis === undefined || apis === null || typeof apis !== 'object') return apis;
  return Object.fromEntries(
    Object.entries(apis).map(([name, api]) => {
      if (typeof api !== 'object' || api === null) return [name, api];
      const { endpoint, region, service } = api;
      return [name, { endpoint, ...(region !== undefined && { region }), ...(service !== undefined && { service }) }];
    }),
  );
}

/** Calls each listener; one that throws is reported as an uncaught error (as an event listener's would be), not as our rejection, and the others still run. */
function notifyAll<T>(listeners: ReadonlySet<(value: T) => void>, value: T): void {
  for (const listener of listeners) {
    try {
      listener(value);
    } catch (error) {
      reportError(error);
    }
  }
}
