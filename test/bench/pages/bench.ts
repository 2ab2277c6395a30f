// The page every benchmark context loads. `?mode=` says what controls it (a page is either
// controlled by a worker or not, so each mode runs in its own browser context):
//   direct       no worker
//   passthrough  test/bench/passthrough-sw.js
//   worker       our worker, guest IAM identity; two REST APIs and the AppSync emulator's GraphQL API (IAM)
//   token        our worker, alice signed in (id-token route)
//   trace        our worker built with the timing hook (see test/bench/trace-worker.mjs)
//   offline      our worker, guest IAM identity, with the offline read cache (stale-while-revalidate)
//                and the mutation queue on for the `iam` API only; `iamApikey` stays without offline
// The Node driver calls `window.bench.*` over CDP; nothing here talks to Node otherwise.
import { registerAuthWorker, type AuthWorker, type OfflineEvent } from 'amplify-sw-auth';
import { get, post } from 'aws-amplify/api';
import { fetchAuthSession, signIn } from 'aws-amplify/auth';
import { configureAmplify, demoApis, loadEmulatorConfig, type EmulatorConfig } from '../../../demo/app/amplify-setup';

type Mode = 'direct' | 'passthrough' | 'worker' | 'token' | 'trace' | 'offline';
interface Answer {
  status: number;
  text: string;
  /** The worker's `x-amplify-sw-auth-cache` header, for the scenarios that read it. */
  cache?: string | null;
}
interface Scenario {
  modes: Mode[];
  send: () => Promise<Answer>;
  /** What the emulator must have seen; checked once per block, outside the timing. */
  expect: (body: any) => boolean;
  /** Per-block setup outside the timing (the presigned floor signs here). */
  prepare?: () => Promise<void>;
  /** Whether one timed answer counts as a success (default: status 200). */
  ok?: (answer: Answer) => boolean;
  /** An extra check at probe time, outside the timing; throws when the path is not the one meant. */
  verify?: () => Promise<void>;
}

const ONE_MIB = 1024 * 1024;
// src/protocol.ts's names for the worker's offline headers.
const CACHE_HEADER = 'x-amplify-sw-auth-cache';
const QUEUED_HEADER = 'x-amplify-sw-auth-queued';
const mode = new URLSearchParams(location.search).get('mode') as Mode;
// /emulators.json also carries the AppSync emulator's config (demo/emulators/index.mjs).
const config = (await loadEmulatorConfig()) as EmulatorConfig & { appsync: { endpoint: string; region: string } };
configureAmplify(config);
const apis = demoApis(config);
const { appsync } = config;
/** The `worker` page's GraphQL API: IAM by default, as `API.GraphQL` with `defaultAuthMode: 'iam'`. */
const graphqlApi = { endpoint: appsync.endpoint, region: appsync.region, kind: 'graphql', defaultAuthMode: 'iam' } as const;
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
/** As viaFetch, also reading the worker's cache header (the cache-hit scenario checks it on every answer). */
const viaFetchNotingCache = async (url: string, init?: RequestInit): Promise<Answer> => {
  const response = await fetch(url, init);
  return { status: response.status, text: await response.text(), cache: response.headers.get(CACHE_HEADER) };
};
const JSON_TYPE = { 'content-type': 'application/json' };
// The smallest GraphQL query whose answer says how AppSync authorized it.
const WHOAMI = JSON.stringify({ query: '{ whoami { mode } }' });
const postWhoami = (headers: HeadersInit = JSON_TYPE) => viaFetch(appsync.endpoint, { method: 'POST', headers, body: WHOAMI });
const postBig = (headers: HeadersInit = JSON_TYPE) => viaFetch(`${apis.iam.endpoint}/items`, { method: 'POST', headers, body: JSON.stringify(bigDocument) });

const iam = (b: any) => b.auth?.type === 'iam';
const appsyncIam = (b: any) => b.data?.whoami?.mode === 'AWS_IAM';
const open = (b: any) => b.route === 'open' && b.auth === null && !b.seen.authorization;
let presigned: Headers | undefined;
let presignedBig: Headers | undefined;
let presignedGraphql: Headers | undefined;
// aws4fetch by URL, not by name: a bare import would make Vite optimise a new dependency mid-run.
const AWS4FETCH = '/node_modules/aws4fetch/dist/aws4fetch.esm.mjs';
const loadSigner = async (): Promise<typeof import('aws4fetch')> => import(/* @vite-ignore */ AWS4FETCH);
/** SigV4 headers for one request with the guest credentials, made in the page (aws4fetch), to replay. */
async function presign(url: string, init: { method: string; headers?: Record<string, string>; body?: string }, service = 'execute-api', region = apis.iam.region): Promise<Headers> {
  const { credentials } = await fetchAuthSession();
  if (!credentials) throw new Error('no guest credentials');
  const { AwsV4Signer } = await loadSigner();
  const signer = new AwsV4Signer({ url, ...init, ...credentials, service, region, allHeaders: true });
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
      presignedBig = await presign(`${apis.iam.endpoint}/items`, { method: 'POST', headers: JSON_TYPE, body: JSON.stringify(bigDocument) });
    },
    send: () => postBig(presignedBig),
    expect: (b) => iam(b) && b.body.length === ONE_MIB,
  },
  // The GraphQL floor: the same query, signed for AppSync once per block in the page and replayed
  // through the do-nothing worker (as passthrough-presigned-iam is for REST).
  'passthrough-presigned-graphql': {
    modes: ['passthrough'],
    prepare: async () => {
      presignedGraphql = await presign(appsync.endpoint, { method: 'POST', headers: JSON_TYPE, body: WHOAMI }, 'appsync', appsync.region);
    },
    send: () => postWhoami(presignedGraphql),
    expect: appsyncIam,
  },
  'amplify-in-page': { modes: ['direct'], send: () => viaAmplify(get({ apiName: 'iam', path: '/items/1' })), expect: iam },
  'worker-iam': { modes: ['worker', 'trace'], send: () => viaFetch(item('iam')), expect: iam },
  'worker-apikey-iam': { modes: ['worker'], send: () => viaFetch(item('iamApikey')), expect: (b) => iam(b) && b.apiKey === true },
  'worker-graphql-iam': { modes: ['worker'], send: () => postWhoami(), expect: appsyncIam },
  'worker-token': { modes: ['token'], send: () => viaFetch(item('idtoken')), expect: (b) => b.auth?.type === 'idtoken' && b.auth.username === 'alice' },
  'worker-iam-1mib': { modes: ['worker', 'trace'], send: () => postBig(), expect: (b) => iam(b) && b.body.length === ONE_MIB },
  'amplify-in-page-1mib': {
    modes: ['direct'],
    send: () => viaAmplify(post({ apiName: 'iam', path: '/items', options: { body: bigDocument } })),
    expect: (b) => iam(b) && b.body.length === ONE_MIB,
  },
  // A stale-while-revalidate hit from the read cache (the `offline` page's `iam` API): answered from
  // Cache Storage, while the worker revalidates the entry in the background (signed, upstream).
  'worker-iam-cache-hit': {
    modes: ['offline'],
    // Reads until one is a hit: a miss answers from the network, and the worker stores its answer
    // in the background (after the response), so the next read may still miss.
    prepare: async () => {
      for (const deadline = performance.now() + 5000; (await viaFetchNotingCache(item('iam'))).cache !== 'hit'; ) {
        if (performance.now() > deadline) throw new Error('worker-iam-cache-hit: no read became a cache hit within 5 s');
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    send: () => viaFetchNotingCache(item('iam')),
    ok: (a) => a.status === 200 && a.cache === 'hit',
    expect: iam,
  },
  // The same GET as worker-apikey-iam, on a worker whose offline queue and cache are on for another API only.
  'worker-apikey-iam-offline-other': {
    modes: ['offline'],
    send: () => viaFetch(item('iamApikey')),
    expect: (b) => iam(b) && b.apiKey === true,
    verify: async () => {
      const { cache } = await viaFetchNotingCache(item('iamApikey'));
      if (cache !== null) throw new Error(`worker-apikey-iam-offline-other: answered with ${CACHE_HEADER}: ${cache}; iamApikey must have no read cache`);
    },
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

/**
 * The ready worker with offline support: a separate script when the build makes one
 * (`amplify-auth-worker-offline.js`, copied by `init` beside the default one), else the one script.
 */
async function offlineWorkerUrl(): Promise<string> {
  const separate = '/bench/amplify-auth-worker-offline.js';
  const response = await fetch(separate, { method: 'HEAD' }).catch(() => undefined);
  return response?.ok && /javascript/.test(response.headers.get('content-type') ?? '') ? separate : '/bench/amplify-auth-worker.js';
}

// The offline page's handle on its worker, and every offline event it heard (with the page's time).
let authWorker: AuthWorker | undefined;
const offlineEvents: { at: number; event: OfflineEvent }[] = [];
/** Where the replay measure starts reading offlineEvents. */
let armedAt = 0;
/** The replay measure's waiter, called after each offline event. */
let onOfflineEvent: (() => void) | undefined;
const QUEUE_URL = () => `${apis.iam.endpoint}/items`;
const queuePost = (i: number) => fetch(QUEUE_URL(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ i }) });
const needWorker = (): AuthWorker => {
  if (mode !== 'offline' || !authWorker) throw new Error('the queue measures run on the offline page');
  return authWorker;
};

async function setUp(): Promise<void> {
  switch (mode) {
    case 'direct':
      return;
    case 'passthrough':
      return controlledBy('/test/bench/passthrough-sw.js', '/test/bench/');
    case 'worker':
      await registerAuthWorker({ url: '/bench/amplify-auth-worker.js', scope: '/', apis: { ...pick('iam', 'iamApikey'), graphql: graphqlApi } });
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
    case 'offline':
      authWorker = await registerAuthWorker({
        url: await offlineWorkerUrl(),
        scope: '/',
        apis: pick('iam', 'iamApikey'),
        offline: { cache: { strategy: 'stale-while-revalidate', apis: ['iam'] }, queue: { apis: ['iam'] } },
      });
      authWorker.onOfflineEvent((event) => {
        offlineEvents.push({ at: performance.now(), event });
        onOfflineEvent?.();
      });
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
    const answer = await s.send();
    const ms = performance.now() - t0;
    return [ms, s.ok ? s.ok(answer) : answer.status === 200];
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
    const answer = await s.send();
    const { status, text } = answer;
    const body = JSON.parse(text);
    if (!(s.ok ? s.ok(answer) : status === 200) || !s.expect(body)) throw new Error(`${name}: unexpected answer ${status} (cache ${answer.cache}) ${text.slice(0, 300)}`);
    await s.verify?.();
    const graphqlMode = body.data?.whoami?.mode;
    return { status, route: body.route, auth: body.auth?.type ?? null, ...(graphqlMode && { graphqlMode }), ...(answer.cache !== undefined && { cache: answer.cache }) };
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

  // queue-replay: the Node driver cuts and restores the API around these (see bench.mjs).
  /**
   * `n` small POSTs one after the other through the queue's API: the total ms. Online (`queued`
   * false) each must be answered 200; with the API cut, 202 with the queued header.
   */
  async postSequential(n: number, queued = false) {
    needWorker();
    let errors = 0;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const response = await queuePost(i).catch(() => undefined);
      await response?.text();
      if (response?.status !== (queued ? 202 : 200) || response.headers.has(QUEUED_HEADER) !== queued) errors++;
    }
    return { ms: performance.now() - t0, errors };
  },
  /** The queue's length as the worker lists it (no headers or bodies). */
  pending: async () => (await needWorker().pendingRequests()).length,
  /** One replay pass while the API is still cut: it must fail at the first request and replay none. */
  settleReplay: () => needWorker().replayNow(),
  /** From now on, offline events count for the next replay measure (so one that came early shows). */
  arm() {
    needWorker();
    armedAt = offlineEvents.length;
  },
  /**
   * `replayNow()`, timed until `n` requests are replayed (`replayed` events), after the driver
   * restored the API. `early`: events of this kind heard between arm() and the start, which would
   * mean a replay began before it was timed.
   */
  async replay(n: number, timeoutMs: number) {
    const worker = needWorker();
    const seen = () => offlineEvents.slice(armedAt);
    const early = seen().filter((e) => e.event.type === 'replayed').length;
    const t0 = performance.now();
    const counts = worker.replayNow().then((c) => ({ c, at: performance.now() }));
    const replayed = () => seen().filter((e) => e.event.type === 'replayed' && e.at >= t0);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      onOfflineEvent = () => {
        if (replayed().length < n) return;
        clearTimeout(timer);
        resolve();
      };
    });
    onOfflineEvent = undefined;
    const done = replayed();
    const pass = await counts;
    const last = done.length >= n ? done[n - 1].at : NaN;
    return {
      ms: last - t0,
      replay_now_ms: pass.at - t0,
      replay_now_counts: pass.c,
      replayed: done.length,
      failed: seen().filter((e) => e.event.type === 'replay-failed').length,
      early,
      pending_after: (await worker.pendingRequests()).length,
    };
  },
};

Object.assign(window, { bench });
setUp().then(
  () => (document.body.dataset.ready = 'true'),
  (error: unknown) => (document.body.dataset.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error)),
);
