// The benchmark's own code with tiny counts: every scenario must produce numbers, the results
// must have the shape bench-results.json promises, and the measurement hygiene must hold.
// It says nothing about speed; `npm run bench` does.
import { describe, expect, it } from 'vitest';
import { runBench, SCENARIOS, SMOKE } from './bench.mjs';
import { formatReport } from './report.mjs';
import { breakdownFromTrace, PHASES } from './stats.mjs';

const positive = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v > 0;

describe('benchmark harness (smoke)', () => {
  it('runs every scenario and reports the promised shape', async () => {
    const r: any = await runBench(SMOKE);

    for (const { name } of SCENARIOS) {
      const s = r.scenarios[name];
      expect(s, name).toBeDefined();
      expect(s.errors, `${name} errors`).toBe(0);
      expect(positive(s.median_ms) && positive(s.p99_ms) && positive(s.throughput_rps), `${name}: ${JSON.stringify(s)}`).toBe(true);
      expect(s.p99_ms).toBeGreaterThanOrEqual(s.median_ms);
      expect(s.sequential_n).toBeGreaterThanOrEqual(SMOKE.bigSequential);
    }
    for (const key of ['latency_vs_floor', 'throughput_vs_floor', 'graphql_latency_vs_floor', 'graphql_throughput_vs_floor', 'latency_vs_amplify', 'throughput_vs_amplify', 'latency_1mib_vs_amplify', 'latency_1mib_vs_floor', 'non_api_latency_vs_direct', 'cache_hit_latency_vs_worker_iam', 'offline_other_latency_vs_off', 'queue_replay_vs_online']) {
      expect(positive(r.ratios[key]), key).toBe(true);
    }
    expect(positive(r.cold_start_ms.worker) && positive(r.cold_start_ms.passthrough)).toBe(true);
    // queue-replay: every queued POST answered 202, replayed once, signed, after the API came back.
    const q = r.queue_replay;
    expect(q.n).toBe(SMOKE.queueRequests);
    expect(q, JSON.stringify(q)).toMatchObject({ expected: SMOKE.queueRequests * SMOKE.queueRepeats, arrived: SMOKE.queueRequests * SMOKE.queueRepeats, extra_posts: 0, replayed_early: 0, left_in_queue: 0, errors: 0 });
    expect(positive(q.replay_ms) && positive(q.online_ms) && positive(q.queue_ms)).toBe(true);
    expect(r.targets.cache_hit_latency_vs_worker_iam.value).toBe(r.ratios.cache_hit_latency_vs_worker_iam);
    expect(r.hygiene.probes['worker-iam-cache-hit'].cache).toBe('hit');
    // AppSync authorized both GraphQL scenarios as IAM: ours signed it, the floor was presigned.
    for (const name of ['worker-graphql-iam', 'passthrough-presigned-graphql']) expect(r.hygiene.probes[name].graphqlMode, name).toBe('AWS_IAM');
    for (const key of ['graphql_latency_vs_floor', 'graphql_throughput_vs_floor']) expect(r.targets[key].value, key).toBe(r.ratios[key]);
    expect(r.cache_hit_api_cut.errors).toBe(0);
    expect(positive(r.cache_hit_api_cut.median_ms)).toBe(true);
    expect(r.bridge_round_trips_per_1000).toBeGreaterThanOrEqual(0);
    expect(r.bridge.warm_requests).toBeGreaterThan(0);
    for (const key of ['worker_raw', 'worker_gzip', 'worker_brotli', 'page_raw', 'page_gzip', 'page_brotli']) expect(positive(r.sizes[key]), key).toBe(true);
    for (const signer of ['aws4fetch', 'smithy', 'amplify-internal']) {
      for (const c of ['get_per_s', '1kib_per_s', '1mib_per_s']) expect(positive(r.signer[signer]?.[c]), `${signer} ${c}`).toBe(true);
    }
    // Null until sw/ has the timing hook; then every phase must be there.
    if (r.breakdown === null) expect(typeof r.breakdown_note).toBe('string');
    else for (const p of PHASES) expect(positive(r.breakdown[`${p}_ms`]) || r.breakdown[`${p}_ms`] === 0, p).toBe(true);

    expect(r.hygiene.cross_origin_isolated).toBe(true);
    for (const us of Object.values(r.hygiene.timer_resolution_us)) expect(us).toBeLessThanOrEqual(5);
    expect(r.hygiene.network_events).toBe(0);
    expect(r.hygiene.driver_methods.filter((m: string) => /^(Network|Fetch)\./.test(m))).toEqual([]);
    expect(r.machine.cores).toBeGreaterThan(0);
    expect(r.machine.browser).toMatch(/Chrome\//);
    expect(Number.isNaN(Date.parse(r.date))).toBe(false);

    const table = formatReport(r);
    for (const { name } of SCENARIOS) expect(table).toContain(name);
    expect(table).toContain(`queue-replay-${SMOKE.queueRequests}`);
  });

  it('turns the worker timing hook reply into per-phase medians', () => {
    const phases = Object.fromEntries(PHASES.map((p, i) => [p, [i + 3, i + 1, i + 2]]));
    const b = breakdownFromTrace({ phases }) as Record<string, number>;
    PHASES.forEach((p, i) => expect(b[`${p}_ms`]).toBe(i + 2));
    expect(b.requests).toBe(3);
    expect(breakdownFromTrace(null)).toBeNull();
  });
});
