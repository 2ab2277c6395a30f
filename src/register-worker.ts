// Registering the worker and waiting until it controls this page, with errors that name the fix.
import { AuthWorkerError } from './auth-worker-error';
import { postToWorker } from './post-to-worker';
import { MESSAGE, PROTOCOL_VERSION } from './protocol';

/** How long registration may take: install, activation and taking control of this page. */
const SETUP_TIMEOUT_MS = 15_000;
/** How long one page → worker message may wait for its reply. */
export const REPLY_TIMEOUT_MS = 5_000;

/** Registers the worker script, with errors that say what to fix. */
export async function register(url: string, scope: string | undefined): Promise<ServiceWorkerRegistration> {
  let registration: ServiceWorkerRegistration;
  try {
    // updateViaCache 'none': a stale HTTP-cached worker script must never outlive an upgrade.
    registration = await navigator.serviceWorker.register(url, { scope, updateViaCache: 'none' });
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new AuthWorkerError(
      'register-failed',
      `could not register the worker script "${url}"${scope ? ` with scope "${scope}"` : ''}: ${reason} Check that the script is served at that URL as JavaScript (npx amplify-sw-auth init <publicDir>) and that the scope is within the script's directory (or the script sends Service-Worker-Allowed).`,
      { cause },
    );
  }
  if (!location.href.startsWith(registration.scope)) {
    throw new AuthWorkerError('out-of-scope', `this page (${location.href}) is outside the worker's scope (${registration.scope}), so the worker can never see its requests. Register with a scope that contains the page.`);
  }
  return registration;
}

/** Waits until this page is controlled by the registration's active worker; asks it to claim the page when needed. */
export async function takeControl(registration: ServiceWorkerRegistration): Promise<void> {
  const container = navigator.serviceWorker;
  const deadline = Date.now() + SETUP_TIMEOUT_MS;
  const active = await activated(registration, deadline);
  if (container.controller !== null && container.controller === registration.active) return;
  // Not controlled: a hard reload (Shift+Reload) bypasses workers, or the worker activated before this page.
  let check = () => {};
  const controlled = new Promise<void>((resolve) => {
    check = () => {
      if (container.controller !== null && container.controller === registration.active) resolve();
    };
    container.addEventListener('controllerchange', check);
    check();
  });
  try {
    await postToWorker(active, { type: MESSAGE.claim, version: PROTOCOL_VERSION }, REPLY_TIMEOUT_MS);
    await withDeadline(controlled, deadline, () => new AuthWorkerError('not-controlled', `the worker at ${active.scriptURL} is active but did not take control of this page. If you built your own worker, keep installAuthInterceptor's clientsClaim on.`));
  } finally {
    container.removeEventListener('controllerchange', check);
  }
}

/** The newest worker of the registration, once activated; rejects when its install fails. */
async function activated(registration: ServiceWorkerRegistration, deadline: number): Promise<ServiceWorker> {
  const worker = registration.installing ?? registration.waiting ?? registration.active;
  if (worker === null) throw new AuthWorkerError('install-failed', `the registration for ${registration.scope} has no worker; call registerAuthWorker() again.`);
  if (worker.state === 'activated') return worker;
  let onState = (): void => undefined;
  const done = new Promise<ServiceWorker>((resolve, reject) => {
    onState = () => {
      if (worker.state === 'activated') resolve(worker);
      else if (worker.state === 'redundant') reject(new AuthWorkerError('install-failed', `the worker script ${worker.scriptURL} failed to install (it threw during evaluation or install); see the worker's console.`));
    };
    worker.addEventListener('statechange', onState);
  });
  try {
    return await withDeadline(done, deadline, () => new AuthWorkerError('install-failed', `the worker script ${worker.scriptURL} did not activate within ${SETUP_TIMEOUT_MS} ms (stuck in "${worker.state}"; does it call skipWaiting?).`));
  } finally {
    // Also on the deadline: a worker that activates later must not call into a settled promise.
    worker.removeEventListener('statechange', onState);
  }
}

function withDeadline<T>(promise: Promise<T>, deadline: number, error: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(error()), Math.max(0, deadline - Date.now()))));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
