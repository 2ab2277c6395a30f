/// <reference types="vite/client" />
// The PWA demo app: the demo's Amplify app, installable and offline-capable. Its API calls are
// plain fetch() with no auth code; the app's own worker (sw.ts) authorizes, queues and caches them.
// Its parts are on `window.pwa` for the browser tests (test/browser/pwa.test.ts).
import { registerAuthWorker, type AuthWorker, type OfflineEvent } from 'amplify-sw-auth';
import { fetchAuthSession, getCurrentUser, signIn, signOut } from 'aws-amplify/auth';
import { Hub } from 'aws-amplify/utils';
import '../app/demo.css';
import { configureAmplify, demoApis, loadEmulatorConfig, type DemoApi } from '../app/amplify-setup';
import { renderActions, renderEvent, renderPending, renderSession, showAnswer, showError, showNetwork, showWorkerState } from './ui';

/** What a call returned, with the headers the offline features add. */
interface CallResult {
  status: number;
  queued: string | null;
  cache: string | null;
  body: any;
}

const config = await loadEmulatorConfig();
configureAmplify(config);
const apis = demoApis(config);
const events: OfflineEvent[] = [];
let worker: AuthWorker | undefined;

async function call(api: DemoApi, path: string, init?: RequestInit): Promise<CallResult> {
  const response = await fetch(`${apis[api].endpoint}${path}`, init);
  const text = await response.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  const result = { status: response.status, queued: response.headers.get('x-amplify-sw-auth-queued'), cache: response.headers.get('x-amplify-sw-auth-cache'), body };
  showAnswer(`${init?.method ?? 'GET'} ${api}${path}`, result);
  void refreshPending();
  return result;
}

/** The app's own worker route (sw.ts answers it, network or not). */
async function appRoute(): Promise<{ status: number; body: any }> {
  const response = await fetch(`${import.meta.env.BASE_URL}app-route`);
  const result = { status: response.status, body: await response.json().catch(() => null) };
  showAnswer('GET app-route', result);
  return result;
}

async function refreshPending() {
  const pending = (await worker?.pendingRequests().catch(() => undefined)) ?? [];
  renderPending(pending);
  return pending;
}

async function refreshSession() {
  const user = await getCurrentUser().catch(() => undefined);
  renderSession(user?.username, config.cognito.users, { signIn: (username) => pwa.signIn(username), signOut: () => pwa.signOut() });
}

const pwa = {
  config,
  apis,
  /** 'registering', then 'ready' once registerAuthWorker() resolved, or 'failed'. */
  state: 'registering' as 'registering' | 'ready' | 'failed',
  error: undefined as string | undefined,
  worker: () => worker,
  /** Every offline event this page heard, in order. */
  events,
  call,
  appRoute,
  pending: refreshPending,
  replayNow: async () => {
    const counts = await worker!.replayNow();
    await refreshPending();
    return counts;
  },
  signIn: async (username: string) => {
    const { password } = config.cognito.users.find((u) => u.username === username)!;
    await signIn({ username, password, options: { authFlowType: 'USER_PASSWORD_AUTH' } });
  },
  signOut: () => signOut(),
};
Object.assign(window, { pwa });

showNetwork(navigator.onLine);
addEventListener('online', () => showNetwork(true));
addEventListener('offline', () => showNetwork(false));
renderActions([
  { label: 'GET iam', run: () => call('iam', '/items/pwa') },
  { label: 'GET idtoken', run: () => call('idtoken', '/items/pwa') },
  { label: 'POST iam (a mutation)', run: () => call('iam', '/items', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ at: Date.now() }) }) },
  { label: 'App route', run: appRoute },
  { label: 'Replay now', run: () => pwa.replayNow() },
]);
// Whoever signs in or out (a button, a test through window.pwa), the page shows it.
Hub.listen('auth', () => void refreshSession());
await refreshSession();

try {
  // Warm Amplify's session so the first worker request does not wait on Cognito; offline it fails,
  // which registration does not need.
  await fetchAuthSession().catch(() => undefined);
  worker = await registerAuthWorker({ url: `${import.meta.env.BASE_URL}sw.js`, scope: import.meta.env.BASE_URL, offline: { queue: true, cache: true } });
  worker.onAuthError((error) => showError(`${error.code}: ${error.message}`));
  worker.onOfflineEvent((event) => {
    events.push(event);
    renderEvent(event);
    void refreshPending();
  });
  pwa.state = 'ready';
  showWorkerState('active, controlling this page');
  await refreshPending();
} catch (error) {
  pwa.state = 'failed';
  pwa.error = String(error);
  showWorkerState('failed');
  showError(String(error));
}
document.body.dataset.ready = pwa.state;
