// Summaries the results file is made of.

/** Nearest-rank percentile of unsorted samples; null when there are none. */
export function percentile(/** @type {number[]} */ samples, /** @type {number} */ p) {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const median = (/** @type {number[]} */ samples) => percentile(samples, 50);

/** a / b rounded, or null when either side is missing. */
export function ratio(/** @type {number | null | undefined} */ a, /** @type {number | null | undefined} */ b) {
  return a == null || b == null || b === 0 ? null : round(a / b, 3);
}

export function round(/** @type {number} */ x, digits = 3) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** The per-request phases the worker's timing hook reports (see README of test/bench). */
export const PHASES = ['match', 'material', 'decide', 'body', 'sign', 'upstream', 'total'];

/**
 * Median per phase over cold starts of the traced worker, each `{ <phase>: ms }` (with `boot`, the
 * worker's time origin to its first fetch event, and `<moment>_at` start-up moments since that
 * origin), plus the page's own median; null without samples.
 * @param {Array<Record<string, number>>} runs
 * @param {number[]} pageSamples
 */
export function coldBreakdown(runs, pageSamples) {
  if (runs.length === 0) return null;
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r)))].sort((a, b) => order(a) - order(b));
  /** @type {Record<string, number | null>} */
  const out = {};
  for (const key of keys) out[`${key}_ms`] = round(/** @type {number} */ (median(runs.map((r) => r[key] ?? 0))), 4);
  out.page_ms = round(/** @type {number} */ (median(pageSamples)), 4);
  out.requests = runs.length;
  return out;
}

/** Start-up moments first, in the order they happen, then the per-request phases. */
const order = (/** @type {string} */ key) => {
  const at = ['evaluated_at', 'installed_at', 'asked_at', 'answered_at', 'boot'].indexOf(key);
  return at >= 0 ? at : 10 + PHASES.indexOf(key);
};

/**
 * `{ <phase>_ms }` medians from the hook's reply `{ phases: { <phase>: number[] } }`, or null.
 * @param {any} trace
 */
export function breakdownFromTrace(trace) {
  if (!trace || typeof trace !== 'object' || !trace.phases) return null;
  /** @type {Record<string, number | null>} */
  const out = {};
  for (const phase of PHASES) {
    const samples = trace.phases[phase];
    out[`${phase}_ms`] = Array.isArray(samples) && samples.length > 0 ? round(/** @type {number} */ (median(samples)), 4) : null;
  }
  out.requests = Array.isArray(trace.phases.total) ? trace.phases.total.length : null;
  return out;
}
