import { MESSAGE, PROTOCOL_VERSION, type AuthErrorDetail, type AuthMaterial, type MaterialReply, type OfflineEvent, type PageConfig, type RequestLogEntry, type WorkerToPageMessage } from './protocol';

export interface BridgeHandlers {
  /** `sessionChanged`: the worker saw a sign-in or sign-out (in any tab) since this page last answered. */
  material: (apiName: string, forceRefresh: boolean, sessionChanged: boolean) => Promise<AuthMaterial>;
  /** Material for every configured API that has some (a restarted worker warming up). */
  allMaterials: (sessionChanged: boolean) => Promise<Record<string, AuthMaterial>>;
  /** This page's config, sent along with all materials. */
  config: PageConfig;
  authError: (error: AuthErrorDetail) => void;
  /** Another tab signed in or out. */
  sessionChanged: (reason: string) => void;
  /** The offline queue or read cache did something. */
  offlineEvent: (event: OfflineEvent) => void;
  /** The worker answered a request (debug on). */
  requestLog: (entry: RequestLogEntry) => void;
}

/**
 * Answers the worker's questions for auth material and relays its auth errors. Returns a stop
 * function. Only the workers of `registration` are heard: any service worker of this origin can
 * post to this page (`clients.matchAll({ includeUncontrolled: true })`), and the answer holds
 * every API's tokens and credentials.
 */
export function startBridge(handlers: BridgeHandlers, registration: Promise<ServiceWorkerRegistration>): () => void {
  const container = navigator.serviceWorker;
  // The worker's session epoch as this page last knew it; undefined until the first question.
  let knownEpoch: string | undefined;
  // Every worker the registration has had: an old version replaced by an update still finishes
  // the requests it holds, and must get its answers. A ServiceWorker object is unique per worker
  // in a page (HTML's service worker object map), so identity is the test.
  const ours = new WeakSet<ServiceWorker>();
  const remember = (own: ServiceWorkerRegistration) => {
    for (const worker of [own.installing, own.waiting, own.active]) if (worker) ours.add(worker);
  };
  let stopped = false;
  let forget = () => {};
  registration.then((own) => {
    if (stopped) return;
    const onUpdate = () => remember(own);
    own.addEventListener('updatefound', onUpdate);
    forget = () => own.removeEventListener('updatefound', onUpdate);
  }, () => undefined);
  // Waits for the registration (a restarted worker may ask before registerAuthWorker() resolved);
  // then every message is checked in arrival order, one microtask later.
  const onMessage = (event: MessageEvent<WorkerToPageMessage>) =>
    void registration.then(
      (own) => {
        remember(own);
        if (event.source instanceof ServiceWorker && ours.has(event.source)) handle(event);
      },
      () => undefined, // registration failed: registerAuthWorker() rejects and stops the bridge
    );
  const handle = (event: MessageEvent<WorkerToPageMessage>) => {
    const data = event.data;
    if (data?.version !== PROTOCOL_VERSION) {
      // A worker of another package version: answer at once rather than let its request time out.
      if (data?.type === MESSAGE.material) {
        const error = `amplify-sw-auth: the worker speaks protocol version ${String(data.version)}, this page ${PROTOCOL_VERSION}; copy the worker script again (npx amplify-sw-auth init <publicDir>).`;
        event.ports[0]?.postMessage({ ok: false, error } satisfies MaterialReply);
      }
      return;
    }
    if (data.type === MESSAGE.material) {
      const port = event.ports[0];
      if (port === undefined) return;
      const sessionChanged = changedSince(knownEpoch, data.sessionEpoch);
      knownEpoch = data.sessionEpoch;
      const answer: Promise<MaterialReply> =
        data.apiName === undefined
          ? handlers.allMaterials(sessionChanged).then((materials) => ({ ok: true, materials, config: handlers.config }))
          : handlers.material(data.apiName, data.forceRefresh === true, sessionChanged).then((material) => ({ ok: true, material }));
      answer.then(
        (reply): void => port.postMessage(reply),
        (error: unknown): void => port.postMessage({ ok: false, error: `amplify-sw-auth: ${error instanceof Error ? error.message : String(error)}` } satisfies MaterialReply),
      );
    } else if (data.type === MESSAGE.authError) {
      handlers.authError(data.error);
    } else if (data.type === MESSAGE.sessionChanged) {
      handlers.sessionChanged(data.reason);
    } else if (data.type === MESSAGE.offlineEvent) {
      handlers.offlineEvent(data.event);
    } else if (data.type === MESSAGE.requestLog) {
      handlers.requestLog(data.entry);
    }
  };
  container.addEventListener('message', onMessage);
  // Messages from the worker are held until the page opts in (or DOMContentLoaded); opt in now.
  container.startMessages();
  return () => {
    stopped = true;
    container.removeEventListener('message', onMessage);
    forget();
  };
}

/**
 * Whether the worker saw a session change since `known`. An epoch from another worker instance (the
 * browser restarted it) says nothing either way: the credential fetch repairs a missed change
 * itself (see register-auth-worker.ts), which costs less than resetting on every restart.
 */
function changedSince(known: string | undefined, epoch: string): boolean {
  if (known === undefined || known === epoch) return false;
  return known.split(':')[0] === epoch.split(':')[0];
}
