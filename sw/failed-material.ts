import type { MaterialEntry } from './material-cache';

/** How long material of a failed session fetch is reused: `initialMs` after a first failure, doubling up to `maxMs`. */
export interface FailureBackoff {
  initialMs: number;
  maxMs: number;
}

interface Held {
  entry: MaterialEntry;
  validUntil: number;
  /** The window this slot's last failure got: the next consecutive failure gets twice that. */
  delayMs: number;
}

/**
 * Material a page answered while it could not read its session (`AuthMaterial.sessionFailed`:
 * `fetchAuthSession()` threw, Cognito unreachable). It is not a session: "no credentials" must not
 * be cached like one, or a network blip that reaches Cognito leaves IAM requests unsigned for the
 * whole material lifetime (issue 12, capability 5). So it is held per client and API (not per
 * identity: it must never stand in for another page's session) only for a short backoff window,
 * so a burst of requests on a dead network asks once per window instead of once per request. The
 * window doubles with each consecutive failure of that client and API, and a session read resets it.
 */
export class FailedMaterial {
  /** `${clientId}\n${apiName}` → the last failed answer and its window. */
  #slots = new Map<string, Held>();

  constructor(private readonly backoff: FailureBackoff) {}

  /** The slot's failed material while its window lasts. */
  get(slot: string, now: number): MaterialEntry | undefined {
    const held = this.#slots.get(slot);
    return held !== undefined && held.validUntil > now ? held.entry : undefined;
  }

  /** Holds a failed answer for the slot's next window (never past `notAfter`, the material's own expiry). */
  hold(slot: string, entry: MaterialEntry, now: number, notAfter: number): MaterialEntry {
    const previous = this.#slots.get(slot);
    const delayMs = previous === undefined ? this.backoff.initialMs : Math.min(previous.delayMs * 2, this.backoff.maxMs);
    this.#slots.set(slot, { entry, validUntil: Math.min(now + delayMs, notAfter), delayMs });
    return entry;
  }

  /** The slot's page read its session: its next failure starts from the initial window again. */
  succeeded(slot: string): void {
    this.#slots.delete(slot);
  }

  /** Back online, or the session changed: every failed answer goes, and every backoff starts over. */
  clear(): void {
    this.#slots.clear();
  }

  /**
   * Forgets slots idle for longer than the longest window (closed tabs must not pile up); a client
   * that comes back after that starts from the initial window, which is still one question per window.
   */
  sweep(now: number): void {
    for (const [slot, held] of this.#slots) if (held.validUntil + this.backoff.maxMs <= now) this.#slots.delete(slot);
  }
}
