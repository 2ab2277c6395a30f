/// <reference lib="webworker" />
// Per-request timing for the benchmark's cost breakdown (test/bench). __AMPLIFY_SW_AUTH_TRACE__ is
// false in every shipped build, so the minifier drops each `if (TRACE)` line from dist/.
export const TRACE: boolean = __AMPLIFY_SW_AUTH_TRACE__;

// A worker instance's first fetch event is its cold start: its phases are kept apart, as `cold`,
// along with `boot` (the worker's time origin to that event) and the start-up moments below.
const PHASES = ['boot', 'match', 'decide', 'material', 'body', 'sign', 'upstream', 'total'] as const;
type Phase = (typeof PHASES)[number];
const MAX = 10_000;

const open = new WeakMap<object, { start: number; last: number; cold: boolean; marks: Partial<Record<Phase, number>> }>();
// Created on first use, so a build with TRACE off keeps none of this module.
let phases: Record<Phase, number[]> | undefined;
let coldMarks: Partial<Record<Phase, number>> | undefined;
let sawEvent = false;

/** Start-up moments, in ms since the worker's time origin. */
type Moment = 'evaluated' | 'installed' | 'asked' | 'answered';
const moments: Partial<Record<`${Moment}_at`, number>> = {};
export function traceMoment(moment: Moment): void {
  moments[`${moment}_at`] ??= performance.now();
}
if (TRACE) traceMoment('evaluated');

function empty(): Record<Phase, number[]> {
  return Object.fromEntries(PHASES.map((p) => [p, []])) as unknown as Record<Phase, number[]>;
}

/** The fetch event arrived. */
export function traceStart(event: object): void {
  const now = performance.now();
  open.set(event, { start: now, last: now, cold: !sawEvent, marks: sawEvent ? {} : { boot: now } });
  sawEvent = true;
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
  if (t.cold) {
    coldMarks = t.marks;
    return;
  }
  phases ??= empty();
  for (const phase of PHASES) if (phases[phase].length < MAX) phases[phase].push(t.marks[phase] ?? 0);
}

/** Everything recorded so far, for the `amplify-sw-auth/trace` message. */
export function traceDump(reset: boolean): { phases: Record<Phase, number[]>; cold?: Record<string, number> } {
  const out = { phases: phases ?? empty(), cold: coldMarks && { ...moments, ...coldMarks } };
  if (reset) phases = undefined;
  return out;
}
