// The page every benchmark context loads. `?mode=` says what controls it (a page is either
// controlled by a worker or not, so each mode runs in its own browser context):
//   direct       no worker
//   passthrough  test/bench/passthrough-sw.js
//   worker       our worker, guest IAM identity
//   token        our worker, alice signed in (id-token route)
//   trace        our worker built with the timing hook (see test/bench/trace-worker.mjs)
// The Node driver calls `window.bench.*` over CDP; nothing here talks to Node otherwise.
import { registerAuthWorker } from 'amplify-sw-auth';
import { get, post } from 'aws-amplify/api';
import { fetchAuthSession, signIn } from 'aws-amplify/auth';
import { configureAmplify, demoApis, loadEmulatorConfig } from '../../../demo/app/amplify-setup';

type Mode = 'direct' | 'passthrough' | 'worker' | 'token' | 'trace';
interface Answer {
  status: number;
  text: string;
}
interface Scenario {
  modes: Mode[];
  send: () => Promise<Answer>;
  /** What the emulator must have seen; checked once per block, outside the timing. */
  expect: (body: any) => boolean;
  /** Per-block setup outside the timing (the presigned floor signs here). */
  prepare?: () => Promise<void>;
}

const ONE_MIB = 1024 * 1024;
const mode = new URLSearchParams(location.search).get('mode') as Mode;
const config = await loadEmulatorConfig();
configureAmplify(config);
const apis = demoApis(config);
const item = (api: keyof typeof apis) => `${apis[api].endpoint}/items/1`;
// A JSON document whose serialization is exactly 1 MiB, sent as is by both fetch and Amplify's post.
const bigDocument = { data: 'x'.repeat(ONE_MIB - '{"data":""}'.length) };

const viaFetch = async (url: string, init?: RequestInit): Promise<Answer> => {
  const response = await fetch(url, init);
  return { status: response.status, text: await response.text() };
};
const viaAmplify = async (operation: { response: Promise<{ statusCode: number; body: { text(): Promise<string> } }> }): Promise<Answer> => {
  const response = await operation.response;
  return { status: response.statusCode, text: await response.body.text() };
};
const postBig = (headers: HeadersInit = { 'content-type': 'application/json' }) => viaFetch(`${apis.iam.endpoint}/items`, { method: 'POST', headers, body: JSON.stringify(bigDocument) });

const iam = (b: any) => b.auth?.type === 'iam';
const open = (b: any) => b.route === 'open' && b.auth === null && !b.seen.authorization;
let presigned: Headers | undefined;
let presignedBig: Headers | undefined;
// aws4fetch by URL, not by name: a bare import would make Vite optimise a new dependency mid-run.
const AWS4FETCH = '/node_modules/aws4fetch/dist/aws4fetch.esm.mjs';
const loadSigner = async (): Promise<typeof import('aws4fetch')> => import(/* @vite-ignore */ AWS4FETCH);
/** SigV4 headers for one request with the guest credentials, made in the page (aws4fetch), to replay. */
async function presign(url: string, init: { method: string; headers?: Record<string, string>; body?: string }): Promise<Headers> {
  const { credentials } = await fetchAuthSession();
  if (!credentials) throw new Error('no guest credentials');
  const { AwsV4Signer } = await loadSigner();
  const signer = new AwsV4Signer({ url, ...init, ...credentials, service: 'execute-api', region: apis.iam.region, allHeaders: true });
  return (await signer.sign()).headers;
}

const scenarios: Record<string, Scenario> = {
  direct: { modes: ['direct'], send: () => viaFetch(item('open')), expect: open },
  'passthrough-worker': { modes: ['passthrough'], send: () => viaFetch(item('open')), expect: open },
  'passthrough-presigned-iam': {
    modes: ['passthrough'],
    // One signature per block, replayed: the floor for any worker on the IAM route.
    prepare: async () => {
      presigned = await presign(item('iam'), { method: 'GET' });
    },
    send: () => viaFetch(item('iam'), { headers: presigned }),
    expect: iam,
  },
  'passthrough-presigned-1mib': {
    modes: ['passthrough'],
    // The large-body floor: the same 1 MiB POST, its signature made once per block and replayed,
    // through a worker that does nothing. What is left is moving the body page → worker → network.
    prepare: async () => {
      presignedBig = await presign(`${apis.iam.endpoint}/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(bigDocument) });
    },
    send: () => postBig(presignedBig),
    expect: (b) => iam(b) && b.body.length === ONE_MIB,
  },
  'amplify-in-page': { modes: ['direct'], send: () => viaAmplify(get({ apiName: 'iam', path: '/items/1' })), expect: iam },
  'worker-iam': { modes: ['worker', 'trace'], send: () => viaFetch(item('iam')), expect: iam },
  'worker-apikey-iam': { modes: ['worker'], send: () => viaFetch(item('iamApikey')), expect: (b) => iam(b) && b.apiKey === true },
  'worker-token': { modes: ['token'], send: () => viaFetch(item('idtoken')), expect: (b) => b.auth?.type === 'idtoken' && b.auth.username === 'alice' },
  'worker-iam-1mib': { modes: ['worker', 'trace'], send: () => postBig(), expect: (b) => iam(b) && b.body.length === ONE_MIB },
  'amplify-in-page-1mib': {
    modes: ['direct'],
    send: () => viaAmplify(post({ apiName: 'iam', path: '/items', options: { body: bigDocument } })),
    expect: (b) => iam(b) && b.body.length === ONE_MIB,
  },
  // `open` is not among the APIs the worker pages configure: for our worker it is any other URL.
  'non-api-controlled': { modes: ['worker'], send: () => viaFetch(item('open')), expect: open },
  'non-api-direct': { modes: ['direct'], send: () => viaFetch(item('open')), expect: open },
  // The platform's floor for a controlled page's request that the Static Routing API sends past the worker.
  'non-api-static-floor': { modes: ['passthrough'], send: () => viaFetch(`${apis.open.endpoint}/bypass/1`), expect: open },
};

function scenario(name: string): Scenario {
  const s = scenarios[name];
  if (!s || !s.modes.includes(mode)) throw new Error(`scenario ${name} does not run on a ${mode} page`);
  return s;
}

// Counts the worker's questions to this page: one per bridge round trip.
let bridgeRequests = 0;
navigator.serviceWorker?.addEventListener('message', (event) => {
  if (event.data?.type === 'amplify-sw-auth/material') bridgeRequests++;
});

async function controlledBy(script: string, scope: string): Promise<void> {
  const registration = await navigator.serviceWorker.register(script, { scope, updateViaCache: 'none' });
  await navigator.serviceWorker.ready;
  if (navigator.serviceWorker.controller?.scriptURL !== registration.active?.scriptURL) {
    await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
  }
}

const pick = (...names: (keyof typeof apis)[]) => Object.fromEntries(names.map((n) => [n, apis[n]]));

async function setUp(): Promise<void> {
  switch (mode) {
    case 'direct':
      return;
    case 'passthrough':
      return controlledBy('/test/bench/passthrough-sw.js', '/test/bench/');
    case 'worker':
      await registerAuthWorker({ url: '/bench/amplify-auth-worker.js', scope: '/', apis: pick('iam', 'iamApikey') });
      return;
    case 'token': {
      const alice = config.cognito.users.find((u) => u.username === 'alice');
      if (!alice) throw new Error('the emulator has no user alice');
      await signIn({ username: alice.username, password: alice.password, options: { authFlowType: 'USER_PASSWORD_AUTH' } });
      await registerAuthWorker({ url: '/bench/amplify-auth-worker.js', scope: '/', apis: pick('idtoken') });
      return;
    }
    case 'trace':
      await registerAuthWorker({ url: '/.tmp/bench/amplify-auth-worker.trace.js', scope: '/', apis: pick('iam') });
      return;
    default:
      throw new Error(`unknown mode ${String(mode)}`);
  }
}

/** Smallest step of performance.now(): 5 µs when cross-origin isolated, 100 µs otherwise. */
function timerResolutionUs(): number {
  let min = Infinity;
  let last = performance.now();
  const end = last + 20;
  while (last < end) {
    const t = performance.now();
    if (t > last) min = Math.min(min, t - last);
    last = t;
  }
  return Math.round(min * 1000 * 100) / 100;
}

async function timed(s: Scenario): Promise<[number, boolean]> {
  const t0 = performance.now();
  try {
    const { status } = await s.send();
    return [performance.now() - t0, status === 200];
  } catch {
    return [performance.now() - t0, false];
  }
}

/**
 * Asks the worker for its per-request phase timings (the instrumentation hook this benchmark
 * proposes; null until sw/ has it). Protocol version: taken from the worker's own reply.
 */
async function askTrace(reset: boolean): Promise<unknown> {
  const worker = navigator.serviceWorker?.controller;
  if (!worker) return null;
  const ask = (version: number) =>
    new Promise<any>((resolve) => {
      const channel = new MessageChannel();
      const timer = setTimeout(() => resolve(null), 2000);
      channel.port1.onmessage = (e) => {
        clearTimeout(timer);
        resolve(e.data);
      };
      worker.postMessage({ type: 'amplify-sw-auth/trace', version, reset }, [channel.port2]);
    });
  let reply = await ask(1);
  if (reply && !reply.ok && typeof reply.version === 'number' && reply.version !== 1) reply = await ask(reply.version);
  return reply?.ok && reply.trace ? reply.trace : null;
}

const bench = {
  info: () => ({
    mode,
    crossOriginIsolated: self.crossOriginIsolated,
    timerResolutionUs: timerResolutionUs(),
    controller: navigator.serviceWorker?.controller?.scriptURL ?? null,
    visibility: document.visibilityState,
    userAgent: navigator.userAgent,
  }),
  /** One request, its answer checked; throws when the emulator did not see what it should. */
  async probe(name: string) {
    const s = scenario(name);
    await s.prepare?.();
    const { status, text } = await s.send();
    const body = JSON.parse(text);
    if (status !== 200 || !s.expect(body)) throw new Error(`${name}: unexpected answer ${status} ${text.slice(0, 300)}`);
    return { status, route: body.route, auth: body.auth?.type ?? null };
  },
  /** `n` requests one after the other: each latency in ms. */
  async sequential(name: string, n: number) {
    const s = scenario(name);
    await s.prepare?.();
    const samples: number[] = [];
    let errors = 0;
    for (let i = 0; i < n; i++) {
      const [ms, ok] = await timed(s);
      samples.push(ms);
      if (!ok) errors++;
    }
    return { samples, errors };
  },
  /** `n` requests, `concurrency` in flight: the elapsed ms. */
  async concurrent(name: string, n: number, concurrency: number) {
    const s = scenario(name);
    await s.prepare?.();
    let next = 0;
    let errors = 0;
    const lane = async () => {
      while (next < n) {
        next++;
        if (!(await timed(s))[1]) errors++;
      }
    };
    const t0 = performance.now();
    await Promise.all(Array.from({ length: Math.min(concurrency, n) }, lane));
    return { ms: performance.now() - t0, errors };
  },
  /** One timed request, for cold starts: prepare first so only the request is timed. */
  async cold(name: string) {
    const s = scenario(name);
    await s.prepare?.();
    const [ms, ok] = await timed(s);
    if (!ok) throw new Error(`${name}: cold request failed`);
    return ms;
  },
  bridgeRequests: () => bridgeRequests,
  trace: askTrace,
};

Object.assign(window, { bench });
setUp().then(
  () => (document.body.dataset.ready = 'true'),
  (error: unknown) => (document.body.dataset.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error)),
);
