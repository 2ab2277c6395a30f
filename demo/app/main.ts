// The demo app: an Amplify app that calls its APIs with plain fetch and XHR. The only
// amplify-sw-auth code is the registerAuthWorker() call.
import { registerAuthWorker } from 'amplify-sw-auth';
import { fetchAuthSession, getCurrentUser, signIn, signOut } from 'aws-amplify/auth';
import { configureAmplify, demoApis, loadEmulatorConfig, type DemoApi } from './amplify-setup';
import { showRequest } from './request-log';

const MODES: Record<DemoApi, string> = {
  iam: 'IAM, guest or signed in',
  iamAuth: 'IAM, signed in only',
  apikey: 'API key',
  iamApikey: 'API key + IAM',
  idtoken: 'User pool id token',
  accesstoken: 'User pool access token',
  custom: 'Custom token',
  open: 'No auth',
};

interface Call {
  api: DemoApi;
  label: string;
  run: (url: string) => Promise<{ status: number; body: any }>;
}

const viaFetch = (init?: RequestInit) => async (url: string) => {
  const response = await fetch(url, init);
  return { status: response.status, body: await response.json().catch(() => null) };
};

const viaXhr = (method: string, body?: string) => (url: string) =>
  new Promise<{ status: number; body: any }>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    if (body !== undefined) xhr.setRequestHeader('Content-Type', 'application/json');
    xhr.onload = () => resolve({ status: xhr.status, body: safeJson(xhr.responseText) });
    xhr.onerror = () => reject(new Error('XHR network error'));
    xhr.send(body);
  });

function safeJson(text: string) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function upload() {
  const form = new FormData();
  form.append('note', 'hello from the demo');
  form.append('file', new Blob([new Uint8Array([0, 1, 2, 3, 255])], { type: 'application/octet-stream' }), 'bytes.bin');
  return form;
}

const CALLS: Call[] = (Object.keys(MODES) as DemoApi[]).flatMap((api) => [
  { api, label: 'fetch GET', run: viaFetch() },
  { api, label: 'XHR POST JSON', run: viaXhr('POST', JSON.stringify({ hello: api })) },
]);
CALLS.push({ api: 'iam', label: 'fetch POST FormData', run: viaFetch({ method: 'POST', body: upload() }) });

function describeAuth(body: any): string {
  const auth = body?.auth;
  if (!auth) return body?.message ?? '(nobody)';
  switch (auth.type) {
    case 'iam':
      return `IAM ${auth.role}${auth.username ? ` (${auth.username})` : ''}, identity ${auth.identityId}${body.apiKey ? ' + API key' : ''}`;
    case 'apikey':
      return 'API key';
    case 'idtoken':
    case 'accesstoken':
      return `${auth.type === 'idtoken' ? 'id' : 'access'} token of ${auth.username}`;
    case 'custom':
      return `custom token of ${auth.principal}`;
    default:
      return JSON.stringify(auth);
  }
}

const $ = (id: string) => document.getElementById(id)!;

async function main() {
  const config = await loadEmulatorConfig();
  configureAmplify(config);
  const apis = demoApis(config);
  const tbody = document.querySelector('#calls tbody')!;
  const rows = CALLS.map((call) => {
    const row = document.createElement('tr');
    row.innerHTML = `<td>${call.api} <small>(${MODES[call.api]})</small></td><td>${call.label}</td><td class="status">–</td><td class="who"></td>`;
    tbody.append(row);
    return { call, row };
  });

  const refreshWho = async () => {
    const user = await getCurrentUser().catch(() => undefined);
    $('who').textContent = user ? user.username : 'nobody (guest)';
    const buttons = $('auth-buttons');
    buttons.replaceChildren();
    if (user) {
      const out = document.createElement('button');
      out.textContent = 'Sign out';
      out.onclick = async () => {
        await signOut();
        await refreshWho();
      };
      buttons.append(out);
    } else {
      for (const { username, password } of config.cognito.users) {
        const b = document.createElement('button');
        b.textContent = `Sign in as ${username}`;
        b.onclick = async () => {
          await signIn({ username, password, options: { authFlowType: 'USER_PASSWORD_AUTH' } });
          await refreshWho();
        };
        buttons.append(b);
      }
    }
  };

  const runAll = async () => {
    for (const { row } of rows) {
      row.className = 'pending';
      row.querySelector('.status')!.textContent = '…';
      row.querySelector('.who')!.textContent = '';
    }
    await Promise.all(
      rows.map(async ({ call, row }) => {
        try {
          const { status, body } = await call.run(`${apis[call.api].endpoint}/items/demo`);
          row.className = status >= 200 && status < 300 ? 'ok' : 'fail';
          row.querySelector('.status')!.textContent = String(status);
          row.querySelector('.who')!.textContent = describeAuth(body);
        } catch (error) {
          row.className = 'fail';
          row.querySelector('.status')!.textContent = 'error';
          row.querySelector('.who')!.textContent = String(error);
        }
      }),
    );
    document.body.dataset.lastRun = String(Date.now());
  };

  await refreshWho();
  // Warm Amplify's session so the first worker request does not wait on Cognito.
  await fetchAuthSession().catch(() => undefined);
  try {
    // debug: the worker logs what it did to each request, and tells this page (the table below the calls).
    const worker = await registerAuthWorker({ debug: true });
    worker.onAuthError((error) => ($('errors').textContent += `${error.code}: ${error.message}\n`));
    const log = document.querySelector<HTMLTableSectionElement>('#request-log tbody')!;
    worker.onRequestLog((entry) => showRequest(log, entry));
    $('worker-state').textContent = 'active, controlling this page';
  } catch (error) {
    $('worker-state').textContent = 'failed';
    $('errors').textContent = String(error);
    return;
  }
  const button = $('run-all') as HTMLButtonElement;
  button.disabled = false;
  button.onclick = () => void runAll();
  await runAll();
  document.body.dataset.ready = 'true';
}

void main();
