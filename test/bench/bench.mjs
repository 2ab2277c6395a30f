// The benchmark run: Node-side numbers first (signers, sizes) on a quiet machine, then the
// emulators, the Vite server (cross-origin isolated) and one browser (Chromium over a raw CDP pipe
// with no Network domain, or Firefox over raw WebDriver BiDi) with a page per browser context. Scenario blocks are interleaved
// (A B C … A B C …) so drift on a shared machine spreads over all of them.
import { execFileSync } from 'node:child_process';
import { cpus, release } from 'node:os';
import { join } from 'node:path';
import { startDevServer } from '../../demo/dev-server.mjs';
import { startEmulators } from '../../demo/emulators/index.mjs';
import { launchBenchBrowser } from './engines.mjs';
import { signerBenchmark } from './signer.mjs';
import { sizes } from './sizes.mjs';
import { breakdownFromTrace, coldBreakdown, median, percentile, ratio, round } from './stats.mjs';
import { buildTraceWorker } from './trace-worker.mjs';

const root = join(import.meta.dirname, '../..');

/** Every scenario, the page mode it runs in (see pages/bench.ts), and whether it moves 1 MiB. */
export const SCENARIOS = [
  { name: 'direct', page: 'direct' },
  { name: 'passthrough-worker', page: 'passthrough' },
  { name: 'passthrough-presigned-iam', page: 'passthrough' },
  { name: 'amplify-in-page', page: 'direct' },
  { name: 'worker-iam', page: 'worker' },
  { name: 'worker-iam-cache-hit', page: 'offline' },
  { name: 'worker-apikey-iam', page: 'worker' },
  { name: 'worker-apikey-iam-offline-other', page: 'offline' },
  { name: 'worker-token', page: 'token' },
  { name: 'passthrough-presigned-graphql', page: 'passthrough' },
  { name: 'worker-graphql-iam', page: 'worker' },
  { name: 'worker-iam-1mib', page: 'worker', big: true },
  { name: 'amplify-in-page-1mib', page: 'direct', big: true },
  { name: 'passthrough-presigned-1mib', page: 'passthrough', big: true },
  { name: 'non-api-controlled', page: 'worker' },
  { name: 'non-api-direct', page: 'direct' },
  { name: 'non-api-static-floor', page: 'passthrough' },
];

/** Request counts per scenario over the whole run (split evenly over `rounds` blocks). */
export const FULL = {
  rounds: 10,
  sequential: 500,
  concurrent: 1000,
  concurrency: 32,
  warmup: 50,
  bigSequential: 500,
  bigConcurrent: 1000,
  bigWarmup: 10,
  coldRepeats: 15,
  traceRequests: 300,
  signerMsPerCase: 1000,
  queueRequests: 100,
  queueRepeats: 5,
};

/** Same code, tiny counts: for the smoke test in `npm test`. */
export const SMOKE = {
  rounds: 2,
  sequential: 4,
  concurrent: 8,
  concurrency: 4,
  warmup: 2,
  bigSequential: 2,
  bigConcurrent: 4,
  bigWarmup: 1,
  coldRepeats: 1,
  traceRequests: 4,
  signerMsPerCase: 20,
  queueRequests: 10,
  queueRepeats: 1,
};

// Cross-origin isolation gives performance.now() 5 µs steps; Service-Worker-Allowed lets the
// traced worker (served from /.tmp/bench/) take the scope '/'.
const HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Service-Worker-Allowed': '/',
};

const TARGETS = {
  latency_vs_floor: { max: 1.1 },
  throughput_vs_floor: { min: 0.9 },
  // Issue 14: the GraphQL API (AppSync, IAM) holds REST's targets against its own floor.
  graphql_latency_vs_floor: { max: 1.1 },
  graphql_throughput_vs_floor: { min: 0.9 },
  latency_1mib_vs_amplify: { max: 0.8 },
  latency_1mib_vs_floor: { max: 1.1 },
  non_api_latency_vs_direct: { max: 1.05 },
  cold_start_vs_passthrough: { max: 1.5 },
  cache_hit_latency_vs_worker_iam: { max: 0.8 },
  bridge_round_trips_per_1000: { max: 0 },
  worker_gzip: { max: 12000 },
};

/**
 * @param {typeof FULL} counts
 * @param {{ log?: (line: string) => void, engine?: 'chromium' | 'firefox' }} [options]
 */
export async function runBench(counts, { log = () => {}, engine = 'chromium' } = {}) {
  const started = performance.now();
  const date = new Date().toISOString();

  log('signers (Node)…');
  const signer = await signerBenchmark({ msPerCase: counts.signerMsPerCase });
  log('sizes…');
  const size = await sizes();
  const trace = await buildTraceWorker().catch((/** @type {Error} */ e) => ({ built: false, reason: `traced worker build failed: ${e.message}` }));

  log(`emulators, dev server, ${engine}…`);
  const { stop: stopEmulators, ...config } = await startEmulators({ quiet: true });
  // The worker script as a production app installs it: with its API endpoints baked in as an
  // allowlist (`init --allow`), which also lets the browser route every other request around it.
  const endpoints = [...['iam', 'iam-apikey', 'idtoken'].map((route) => `${config.api.endpoint}/${route}`), config.appsync.endpoint];
  const allow = endpoints.flatMap((endpoint) => ['--allow', endpoint]);
  execFileSync(process.execPath, [join(root, 'dist/cli.js'), 'init', join(root, 'demo/public/bench'), ...allow], { stdio: 'ignore' });
  /** @type {Awaited<ReturnType<typeof startDevServer>> | undefined} */
  let server;
  /** @type {import('./engines.mjs').BenchBrowser | undefined} */
  let browser;
  try {
    server = await startDevServer({ config, headers: HEADERS });
    browser = await launchBenchBrowser(engine);
    const b = browser;
    const modes = ['direct', 'passthrough', 'worker', 'token', 'offline', ...(trace.built ? ['trace'] : [])];
    /** @type {Record<string, unknown>} */
    const pages = {};
    /** @type {Record<string, any>} */
    const info = {};
    for (const mode of modes) {
      const page = await b.open(`${server.url}/test/bench/pages/bench.html?mode=${mode}`);
      await ready(b, page, mode);
      pages[mode] = page;
      info[mode] = await b.evaluate(page, 'bench.info()');
      if (!info[mode].crossOriginIsolated) throw new Error(`the ${mode} page is not cross-origin isolated`);
      const wantsWorker = mode !== 'direct';
      if (wantsWorker !== (info[mode].controller !== null)) throw new Error(`the ${mode} page is controlled by ${info[mode].controller}`);
    }
    const call = (/** @type {string} */ mode, /** @type {string} */ fn, /** @type {unknown[]} */ ...args) =>
      b.evaluate(pages[mode], `bench.${fn}(${args.map((a) => JSON.stringify(a)).join(', ')})`);

    log('probes and warm-up…');
    /** @type {Record<string, unknown>} */
    const probes = {};
    for (const s of SCENARIOS) probes[s.name] = await call(s.page, 'probe', s.name);
    for (const s of SCENARIOS) {
      const n = s.big ? counts.bigWarmup : counts.warmup;
      await call(s.page, 'sequential', s.name, n);
      await call(s.page, 'concurrent', s.name, n, counts.concurrency);
    }

    const bridgeModes = ['worker', 'token', 'offline'];
    const bridgeBefore = await Promise.all(bridgeModes.map((m) => call(m, 'bridgeRequests')));
    /** @type {Record<string, { samples: number[], concurrentN: number, concurrentMs: number, errors: number }>} */
    const acc = Object.fromEntries(SCENARIOS.map((s) => [s.name, { samples: [], concurrentN: 0, concurrentMs: 0, errors: 0 }]));
    const perBlock = (/** @type {number} */ total) => Math.ceil(total / counts.rounds);
    for (let round = 0; round < counts.rounds; round++) {
      log(`round ${round + 1}/${counts.rounds}`);
      for (const s of SCENARIOS) {
        const r = await call(s.page, 'sequential', s.name, perBlock(s.big ? counts.bigSequential : counts.sequential));
        acc[s.name].samples.push(...r.samples);
        acc[s.name].errors += r.errors;
      }
      for (const s of SCENARIOS) {
        const n = perBlock(s.big ? counts.bigConcurrent : counts.concurrent);
        const r = await call(s.page, 'concurrent', s.name, n, counts.concurrency);
        acc[s.name].concurrentN += n;
        acc[s.name].concurrentMs += r.ms;
        acc[s.name].errors += r.errors;
      }
    }
    const bridgeAfter = await Promise.all(bridgeModes.map((m) => call(m, 'bridgeRequests')));
    const bridgeRoundTrips = bridgeAfter.reduce((sum, n, i) => sum + n - bridgeBefore[i], 0);
    const warmRequests = SCENARIOS.filter((s) => bridgeModes.includes(s.page)).reduce((sum, s) => sum + acc[s.name].samples.length + acc[s.name].concurrentN, 0);

    log(`queue replay (${counts.queueRepeats} × ${counts.queueRequests})…`);
    const queueReplay = await measureQueueReplay(config.api.controlUrl, (fn, ...args) => call('offline', fn, ...args), counts);
    log('cache hits with the API cut…');
    const cutHits = await measureCutHits(config.api.controlUrl, (fn, ...args) => call('offline', fn, ...args), Math.ceil(counts.sequential / 2));

    log(b.stopWorkers ? 'cold starts…' : `no cold starts: ${b.noStop}`);
    const cold = { worker: /** @type {number[]} */ ([]), passthrough: /** @type {number[]} */ ([]) };
    const passthroughBoot = [];
    for (let i = 0; b.stopWorkers && i < counts.coldRepeats; i++) {
      for (const [mode, name] of /** @type {const} */ ([['worker', 'worker-iam'], ['passthrough', 'passthrough-presigned-iam']])) {
        await b.stopWorkers(pages[mode]);
        cold[mode].push(await call(mode, 'cold', name));
      }
      const boot = (await call('passthrough', 'trace', true))?.cold?.boot;
      if (typeof boot === 'number') passthroughBoot.push(boot);
    }

    /** @type {Record<string, unknown> | null} */
    let breakdown = null;
    /** @type {Record<string, unknown> | null} */
    let breakdown1mib = null;
    /** @type {Record<string, unknown> | null} */
    let breakdownCold = null;
    let breakdownNote = trace.built ? null : trace.reason;
    if (trace.built) {
      log('breakdown (traced worker)…');
      const traced = async (/** @type {string} */ name, /** @type {number} */ n) => {
        await call('trace', 'sequential', name, Math.max(2, Math.ceil(n / 10)));
        await call('trace', 'trace', true);
        const page = await call('trace', 'sequential', name, n);
        const b = breakdownFromTrace(await call('trace', 'trace', true));
        // What the page saw for the same requests: the rest is the page ↔ worker hop.
        return b && { ...b, page_ms: round(/** @type {number} */ (median(page.samples)), 4) };
      };
      breakdown = await traced('worker-iam', counts.traceRequests);
      breakdown1mib = await traced('worker-iam-1mib', Math.max(2, Math.ceil(counts.traceRequests / 10)));
      if (!breakdown) breakdownNote = 'the traced worker did not answer the amplify-sw-auth/trace message';
      // The same cold start as above, in the traced worker: where its extra milliseconds go.
      const runs = [];
      const page = [];
      for (let i = 0; b.stopWorkers && i < counts.coldRepeats; i++) {
        await b.stopWorkers(pages.trace);
        page.push(await call('trace', 'cold', 'worker-iam'));
        const dump = await call('trace', 'trace', true);
        if (dump?.cold) runs.push(dump.cold);
      }
      breakdownCold = coldBreakdown(runs, page);
    }

    // Hygiene: the driver never enabled anything that watches requests (it throws if it did).
    const { methods, networkEvents } = b.hygiene();

    /** @type {Record<string, any>} */
    const scenarios = {};
    for (const s of SCENARIOS) {
      const a = acc[s.name];
      scenarios[s.name] = {
        median_ms: round(/** @type {number} */ (median(a.samples)), 4),
        p99_ms: round(/** @type {number} */ (percentile(a.samples, 99)), 4),
        throughput_rps: round((a.concurrentN * 1000) / a.concurrentMs, 1),
        sequential_n: a.samples.length,
        concurrent_n: a.concurrentN,
        errors: a.errors,
      };
    }
    const sc = (/** @type {string} */ n) => scenarios[n];
    const ratios = {
      latency_vs_floor: ratio(sc('worker-iam').median_ms, sc('passthrough-presigned-iam').median_ms),
      throughput_vs_floor: ratio(sc('worker-iam').throughput_rps, sc('passthrough-presigned-iam').throughput_rps),
      graphql_latency_vs_floor: ratio(sc('worker-graphql-iam').median_ms, sc('passthrough-presigned-graphql').median_ms),
      graphql_throughput_vs_floor: ratio(sc('worker-graphql-iam').throughput_rps, sc('passthrough-presigned-graphql').throughput_rps),
      latency_vs_amplify: ratio(sc('worker-iam').median_ms, sc('amplify-in-page').median_ms),
      throughput_vs_amplify: ratio(sc('worker-iam').throughput_rps, sc('amplify-in-page').throughput_rps),
      latency_1mib_vs_amplify: ratio(sc('worker-iam-1mib').median_ms, sc('amplify-in-page-1mib').median_ms),
      latency_1mib_vs_floor: ratio(sc('worker-iam-1mib').median_ms, sc('passthrough-presigned-1mib').median_ms),
      non_api_latency_vs_direct: ratio(sc('non-api-controlled').median_ms, sc('non-api-direct').median_ms),
      non_api_latency_vs_static_floor: ratio(sc('non-api-controlled').median_ms, sc('non-api-static-floor').median_ms),
      static_floor_latency_vs_direct: ratio(sc('non-api-static-floor').median_ms, sc('non-api-direct').median_ms),
      cache_hit_latency_vs_worker_iam: ratio(sc('worker-iam-cache-hit').median_ms, sc('worker-iam').median_ms),
      cache_hit_throughput_vs_worker_iam: ratio(sc('worker-iam-cache-hit').throughput_rps, sc('worker-iam').throughput_rps),
      // The same API on a worker with offline on for another API only, against offline off.
      offline_other_latency_vs_off: ratio(sc('worker-apikey-iam-offline-other').median_ms, sc('worker-apikey-iam').median_ms),
      offline_other_throughput_vs_off: ratio(sc('worker-apikey-iam-offline-other').throughput_rps, sc('worker-apikey-iam').throughput_rps),
      // Without the background revalidation's work (it fails at once): what reading Cache Storage costs.
      cache_hit_api_cut_vs_worker_iam: ratio(cutHits.median_ms, sc('worker-iam').median_ms),
      queue_replay_vs_online: queueReplay.replay_vs_online,
    };
    const coldStart = {
      worker: cold.worker.length ? round(/** @type {number} */ (median(cold.worker)), 3) : null,
      passthrough: cold.passthrough.length ? round(/** @type {number} */ (median(cold.passthrough)), 3) : null,
      not_measured: b.stopWorkers ? undefined : b.noStop,
      worker_samples: cold.worker.map((x) => round(x, 3)),
      passthrough_samples: cold.passthrough.map((x) => round(x, 3)),
      // The passthrough worker's time origin to its first fetch event: compare with breakdown_cold.boot_ms.
      passthrough_boot: passthroughBoot.length > 0 ? round(/** @type {number} */ (median(passthroughBoot)), 3) : null,
    };
    const bridgePer1000 = round((bridgeRoundTrips * 1000) / warmRequests, 3);
    const measured = {
      ...ratios,
      cold_start_vs_passthrough: coldStart.worker === null || coldStart.passthrough === null ? null : ratio(coldStart.worker, coldStart.passthrough),
      bridge_round_trips_per_1000: bridgePer1000,
      worker_gzip: size.worker_gzip,
    };
    const targets = Object.fromEntries(
      Object.entries(TARGETS).map(([k, t]) => {
        const v = measured[/** @type {keyof typeof measured} */ (k)];
        const met = v == null ? null : 'max' in t ? v <= t.max : v >= t.min;
        return [k, { ...t, value: v, met }];
      }),
    );

    return {
      date,
      machine: {
        cpu: cpus()[0]?.model ?? 'unknown',
        cores: cpus().length,
        engine,
        browser: b.version,
        node: process.version,
        os: `${process.platform} ${release()}`,
      },
      counts: { ...counts, rounds_interleaved: SCENARIOS.map((s) => s.name) },
      scenarios,
      ratios,
      targets,
      cold_start_ms: coldStart,
      bridge_round_trips_per_1000: bridgePer1000,
      bridge: { round_trips: bridgeRoundTrips, warm_requests: warmRequests },
      queue_replay: queueReplay,
      cache_hit_api_cut: cutHits,
      sizes: size,
      signer,
      breakdown,
      breakdown_1mib: breakdown1mib,
      breakdown_cold: breakdownCold,
      breakdown_note: breakdownNote,
      hygiene: {
        cross_origin_isolated: Object.values(info).every((i) => i.crossOriginIsolated),
        timer_resolution_us: Object.fromEntries(Object.entries(info).map(([m, i]) => [m, i.timerResolutionUs])),
        driver_methods: methods,
        network_events: networkEvents,
        controllers: Object.fromEntries(Object.entries(info).map(([m, i]) => [m, i.controller])),
        probes,
      },
      wall_time_s: round((performance.now() - started) / 1000, 1),
    };
  } finally {
    log('closing…');
    await browser?.close();
    log(`${engine} closed`);
    await server?.close();
    log('server closed');
    await stopEmulators();
    log('emulators stopped');
  }
}

/**
 * queue-replay: per repeat, `queueRequests` sequential online POSTs through the queue's API (the
 * reference), then the API cut on the server side, as many POSTs queued (each answered 202), the
 * API restored and `replayNow()` timed until all are replayed. The order alternates per repeat.
 * The emulator's log must show each queued POST arriving once, signed (IAM), after the restore.
 * @param {string} controlUrl the API emulator's /__control
 * @param {(fn: string, ...args: unknown[]) => Promise<any>} call a `bench.*` function on the offline page
 * @param {typeof FULL} counts
 */
async function measureQueueReplay(controlUrl, call, counts) {
  const n = counts.queueRequests;
  const control = (/** @type {string} */ path, /** @type {unknown} */ body = undefined) => controlApi(controlUrl, path, body);
  /** Until the cut has refused nothing new for 300 ms: no replay pass is still trying (at most 10 s). */
  const quiet = async () => {
    let last = -1;
    let still = 0;
    for (const deadline = Date.now() + 10_000; Date.now() < deadline && still < 3;) {
      const { refused } = await control('/network');
      still = refused.api === last ? still + 1 : 0;
      last = refused.api;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const online = [];
  const queued = [];
  const replays = [];
  let errors = 0;
  let arrived = 0;
  let extraPosts = 0;
  let early = 0;
  let leftOver = 0;
  for (let i = 0; i < counts.queueRepeats; i++) {
    const onlineFirst = i % 2 === 0;
    const measureOnline = async () => {
      const r = await call('postSequential', n);
      online.push(r.ms);
      errors += r.errors;
    };
    if (onlineFirst) await measureOnline();
    let before;
    await control('/network', { api: 'down' });
    try {
      const q = await call('postSequential', n, true);
      queued.push(q.ms);
      errors += q.errors;
      // Each queued request asked for a replay, which met the cut: wait until none is running.
      await call('settleReplay');
      await quiet();
      const pending = await call('pending');
      if (pending !== n) throw new Error(`queue-replay: ${pending} requests queued, expected ${n}`);
      await call('arm');
      before = (await control('/log')).count;
    } finally {
      await control('/network', { api: 'up' });
    }
    const restoredAt = Date.now();
    const r = await call('replay', n, 60_000);
    replays.push(r);
    early += r.early;
    leftOver += r.pending_after;
    if (!(r.replayed >= n)) errors++;
    const { entries } = await control('/log');
    const posts = entries.filter((/** @type {any} */ e) => e.n > before && e.method === 'POST' && !e.preflight && /\/iam\/items$/.test(e.path));
    const good = posts.filter((/** @type {any} */ e) => e.status === 200 && e.auth?.type === 'iam' && Date.parse(e.time) >= restoredAt - 1000);
    arrived += good.length;
    extraPosts += posts.length - good.length;
    if (!onlineFirst) await measureOnline();
  }
  const replayMs = replays.map((r) => r.ms);
  const ok = replayMs.every(Number.isFinite);
  const m = (/** @type {number[]} */ xs) => round(/** @type {number} */ (median(xs)), 3);
  return {
    n,
    repeats: counts.queueRepeats,
    replay_ms: ok ? m(replayMs) : null,
    online_ms: m(online),
    queue_ms: m(queued),
    replay_vs_online: ok ? ratio(/** @type {number} */ (median(replayMs)), /** @type {number} */ (median(online))) : null,
    queue_vs_online: ratio(/** @type {number} */ (median(queued)), /** @type {number} */ (median(online))),
    replay_samples: replayMs.map((x) => round(x, 3)),
    replay_now_samples: replays.map((r) => round(r.replay_now_ms, 3)),
    online_samples: online.map((x) => round(x, 3)),
    queue_samples: queued.map((x) => round(x, 3)),
    // Checks: every queued POST arrived once, signed, after the restore; none replayed before the timing began.
    expected: n * counts.queueRepeats,
    arrived,
    extra_posts: extraPosts,
    replayed_early: early,
    left_in_queue: leftOver,
    errors,
  };
}

/** The API emulator's control hooks (demo/emulators/api-gateway.mjs): GET, or POST `body` as JSON. */
async function controlApi(/** @type {string} */ controlUrl, /** @type {string} */ path, /** @type {unknown} */ body) {
  const res = await fetch(`${controlUrl}${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/**
 * `worker-iam-cache-hit` with the API cut: each hit's background revalidation then fails at once,
 * so this is the read cache's own cost (Cache Storage, the strategy) without the revalidation's
 * signing, upstream fetch and cache write competing with the next request. Diagnostic, no target.
 * @param {string} controlUrl
 * @param {(fn: string, ...args: unknown[]) => Promise<any>} call a `bench.*` function on the offline page
 * @param {number} n
 */
async function measureCutHits(controlUrl, call, n) {
  await controlApi(controlUrl, '/network', { api: 'down' });
  try {
    await call('sequential', 'worker-iam-cache-hit', Math.min(10, n));
    const r = await call('sequential', 'worker-iam-cache-hit', n);
    return { median_ms: round(/** @type {number} */ (median(r.samples)), 4), p99_ms: round(/** @type {number} */ (percentile(r.samples, 99)), 4), n, errors: r.errors };
  } finally {
    await controlApi(controlUrl, '/network', { api: 'up' });
  }
}

/** Waits for the page's setup (`data-ready`), surfacing its error (`data-error`). */
async function ready(/** @type {import('./engines.mjs').BenchBrowser} */ browser, /** @type {unknown} */ page, /** @type {string} */ mode) {
  const deadline = Date.now() + 60_000;
  const probe = "document.body?.dataset.error ? 'error: ' + document.body.dataset.error : document.body?.dataset.ready ?? ''";
  let last = '';
  while (Date.now() < deadline) {
    // The context changes while the page navigates: that is not an answer yet.
    last = await browser.evaluate(page, probe).catch((/** @type {Error} */ e) => `(${e.message})`);
    if (last === 'true') return;
    if (last.startsWith('error: ')) throw new Error(`the ${mode} page failed to set up: ${last.slice(7)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the ${mode} page did not get ready in 60 s (${last})`);
}
