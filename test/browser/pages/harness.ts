// The page the browser tests drive: the demo's Amplify app, without the UI, with its parts on
// `window.harness`. It does not register the worker itself; each test decides how.
import './record'; // first: the page's console, errors and responses for drivers without browser events (WebKit)
import { registerAuthWorker, type AuthErrorDetail, type AuthWorker, type RequestLogEntry } from 'amplify-sw-auth';
import { del, get, post } from 'aws-amplify/api';
import { fetchAuthSession, signIn, signOut } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { sessionStorage } from 'aws-amplify/utils';
import { Amplify } from 'aws-amplify';
import { configureAmplify, demoApis, demoHeaders, loadEmulatorConfig } from '../../../demo/app/amplify-setup';

const config = await loadEmulatorConfig();
configureAmplify(config);
// ?storage=session: this tab keeps its own signed-in user, as Amplify documents for per-tab sessions.
if (new URLSearchParams(location.search).get('storage') === 'session') cognitoUserPoolsTokenProvider.setKeyValueStorage(sessionStorage);

// Counts the worker's questions to this page: one per bridge round trip.
let bridgeRequests = 0;
// What each question asked for: an API name, or '*' for every API (a restarted worker warming up).
const bridgeLog: string[] = [];
navigator.serviceWorker.addEventListener('message', (event) => {
  if (event.data?.type !== 'amplify-sw-auth/material') return;
  bridgeRequests++;
  bridgeLog.push(event.data.apiName ?? '*');
});

const authErrors: AuthErrorDetail[] = [];
/** What onRequestLog heard (debug on). */
const requestLog: RequestLogEntry[] = [];
let worker: AuthWorker | undefined;

const harness = {
  config,
  apis: demoApis(config),
  /** The demo app's API.REST.headers, for tests that wrap it. */
  headers: demoHeaders(config),
  async register(options?: Parameters<typeof registerAuthWorker>[0]) {
    worker = await registerAuthWorker(options);
    worker.onAuthError((e) => authErrors.push(e));
    worker.onRequestLog((e) => requestLog.push(e));
    return worker.registration.scope;
  },
  worker: () => worker,
  authErrors,
  requestLog,
  /** Waits (at most `timeoutMs`) until `check()` holds: worker messages arrive a moment after the responses they concern. */
  async until(check: () => boolean, timeoutMs = 3000) {
    const deadline = performance.now() + timeoutMs;
    while (!check() && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  },
  /** The auth errors reported so far, once there is at least `n`. */
  async waitForAuthErrors(n = 1) {
    await harness.until(() => authErrors.length >= n);
    return authErrors;
  },
  bridgeRequests: () => bridgeRequests,
  bridgeLog,
  signIn: (username: string, password: string) => signIn({ username, password, options: { authFlowType: 'USER_PASSWORD_AUTH' } }),
  signOut: () => signOut(),
  /** Amplify.configure again with extra `API.REST` library options (e.g. defaultAuthMode). */
  restOptions: (extra: Record<string, unknown>) => Amplify.configure(Amplify.getConfig(), { API: { REST: { headers: demoHeaders(config), ...extra } } }),
  fetchAuthSession,
  amplify: { get, post, del },
  /** fetch() and the JSON the emulator answers. */
  async call(url: string, init?: RequestInit) {
    const response = await fetch(url, init);
    const text = await response.text();
    let body: any = null;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    return { status: response.status, body };
  },
};

Object.assign(window, { harness });
document.body.dataset.ready = 'true';
