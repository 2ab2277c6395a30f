// The table `npm run bench` prints, from the results object alone.

const pad = (/** @type {unknown} */ v, /** @type {number} */ w, left = false) => (left ? String(v ?? '—').padEnd(w) : String(v ?? '—').padStart(w));
const fixed = (/** @type {number | null | undefined} */ v, d = 3) => (v == null ? '—' : v.toFixed(d));

/** @param {any} r the object runBench() returns */
export function formatReport(r) {
  const lines = [];
  const m = r.machine;
  lines.push(`amplify-sw-auth benchmark  ${r.date}`);
  lines.push(`${m.cpu} × ${m.cores}, ${m.browser}, Node ${m.node}, ${m.os}`);
  lines.push('');
  lines.push(`${pad('scenario', 34, true)}${pad('median ms', 11)}${pad('p99 ms', 10)}${pad('req/s @' + r.counts.concurrency, 12)}${pad('seq n', 8)}${pad('conc n', 8)}${pad('errors', 8)}`);
  for (const [name, s] of Object.entries(r.scenarios)) {
    lines.push(`${pad(name, 34, true)}${pad(fixed(s.median_ms), 11)}${pad(fixed(s.p99_ms), 10)}${pad(fixed(s.throughput_rps, 0), 12)}${pad(s.sequential_n, 8)}${pad(s.concurrent_n, 8)}${pad(s.errors, 8)}`);
  }
  lines.push('');
  lines.push('ratios');
  for (const [k, v] of Object.entries(r.ratios)) lines.push(`  ${pad(k, 36, true)}${pad(fixed(v), 8)}`);
  lines.push('');
  lines.push('targets');
  for (const [k, t] of Object.entries(r.targets)) {
    const bound = 'max' in t ? `≤ ${t.max}` : `≥ ${t.min}`;
    lines.push(`  ${pad(k, 36, true)}${pad(t.value, 10)}  ${pad(bound, 8, true)}  ${t.met === null ? 'n/a' : t.met ? 'met' : 'MISSED'}`);
  }
  lines.push('');
  const c = r.cold_start_ms;
  lines.push(c.not_measured ? `cold start: not measured (${c.not_measured})` : `cold start ms (median of ${c.worker_samples.length}): worker ${fixed(c.worker)}, passthrough ${fixed(c.passthrough)} (its boot ${fixed(c.passthrough_boot)})`);
  lines.push(`bridge round trips per 1000 warm requests: ${r.bridge_round_trips_per_1000} (${r.bridge.round_trips} in ${r.bridge.warm_requests})`);
  const q = r.queue_replay;
  if (q) {
    lines.push(`queue-replay-${q.n} ms (median of ${q.repeats}): replay ${fixed(q.replay_ms)} vs ${q.n} sequential online POSTs ${fixed(q.online_ms)} = ${fixed(q.replay_vs_online)}; queueing them offline ${fixed(q.queue_ms)}`);
    lines.push(`  arrived ${q.arrived}/${q.expected} once, signed, after the restore; other POSTs ${q.extra_posts}, replayed before the timing ${q.replayed_early}, left queued ${q.left_in_queue}, errors ${q.errors}`);
  }
  const h2 = r.cache_hit_api_cut;
  if (h2) lines.push(`worker-iam-cache-hit with the API cut (no revalidation work): median ${fixed(h2.median_ms)} ms, p99 ${fixed(h2.p99_ms)} (n ${h2.n}, errors ${h2.errors})`);
  const z = r.sizes;
  const offline = z.worker_offline_raw ? `, offline worker ${z.worker_offline_raw}/${z.worker_offline_gzip}/${z.worker_offline_brotli}` : '';
  lines.push(`sizes bytes raw/gzip/brotli: worker ${z.worker_raw}/${z.worker_gzip}/${z.worker_brotli}${offline}, page ${z.page_raw}/${z.page_gzip}/${z.page_brotli}`);
  lines.push('');
  lines.push(`${pad('signer (Node) sig/s', 22, true)}${pad('GET', 10)}${pad('1 KiB', 10)}${pad('1 MiB', 10)}`);
  for (const [name, s] of Object.entries(r.signer)) lines.push(`${pad(name, 22, true)}${pad(fixed(s.get_per_s, 0), 10)}${pad(fixed(s['1kib_per_s'], 0), 10)}${pad(fixed(s['1mib_per_s'], 0), 10)}`);
  lines.push('');
  if (r.breakdown) {
    lines.push('breakdown in our worker, median ms   GET / 1 MiB POST / cold GET');
    const keys = [...new Set([...Object.keys(r.breakdown_cold ?? {}), ...Object.keys(r.breakdown)])];
    for (const k of keys) lines.push(`  ${pad(k, 14, true)}${pad(r.breakdown[k], 10)}${pad(r.breakdown_1mib?.[k], 10)}${pad(r.breakdown_cold?.[k], 10)}`);
  } else {
    lines.push(`breakdown: null (${r.breakdown_note})`);
  }
  const h = r.hygiene;
  lines.push(`hygiene: cross-origin isolated ${h.cross_origin_isolated}, timer step µs ${JSON.stringify(h.timer_resolution_us)}, Network/Fetch events ${h.network_events}`);
  lines.push(`  driver methods sent: ${h.driver_methods.join(' ')}`);
  lines.push(`wall time ${r.wall_time_s} s`);
  return lines.join('\n');
}
