/// <reference lib="webworker" />
// Per-request timing for the benchmark's cost breakdown (test/bench). __AMPLIFY_SW_AUTH_TRACE__ is
// false in every shipped build, so the minifier drops each `if (TRACE)` line from dist/.
export const TRACE: boolean = __AMPLIFY_SW_AUTH_TRACE__;

const PHASES = ['match', 'decide', 'material', 'body', 'sign', 'upstream', 'total'] as const;
type Phase = (typeof PHASES)[number];
const MAX = 10_000;

const open = new WeakMap<object, { start: number; last: number; marks: Partial<Record<Phase, number>> }>();
// Created on first use, so a build with TRACE off keeps none of this module.
let phases: Record<Phase, number[]> | undefined;

function empty(): Record<Phase, number[]> {
  return Object.fromEntries(PHASES.map((p) => [p, []])) as unknown as Record<Phase, number[]>;
}

/** The fetch event arrived. */
export function traceStart(event: object): void {
  const now = performance.now();
  open.set(event, { start: now, last: now, marks: {} });
}

/** Time since the previous lap of this event goes to `phase`. */
export function lap(event: object, phase: Exclude<Phase, 'total'>): void {
  const t = open.get(event);
  if (t === undefined) return;
  const now = performance.now();
  t.marks[phase] = (t.marks[phase] ?? 0) + now - t.last;
  t.last = now;
}

/** The response headers arrived: record this event's phases (first attempt only). */
export function traceEnd(event: object): void {
  const t = open.get(event);
  if (t === undefined) return;
  open.delete(event);
  t.marks.total = performance.now() - t.start;
  phases ??= empty();
  for (const phase of PHASES) if (phases[phase].length < MAX) phases[phase].push(t.marks[phase] ?? 0);
}

/** Everything recorded so far, for the `amplify-sw-auth/trace` message. */
export function traceDump(reset: boolean): { phases: Record<Phase, number[]> } {
  const out = { phases: phases ?? empty() };
  if (reset) phases = undefined;
  return out;
}
