import type { AuthMaterial } from '../src/protocol';

/** Material plus per-session state derived from it once, not once per request. */
export interface MaterialEntry {
  material: AuthMaterial;
  /** aws4fetch's signing-key cache: one HMAC chain per credentials, date, region and service. */
  signingKeys: Map<string, ArrayBuffer>;
}

export interface MaterialCacheOptions {
  /** Stop using material this long before its tokens or credentials expire. */
  marginMs: number;
  /** Upper bound on how long material is reused, for headers whose lifetime is unknown (custom tokens, API keys). */
  maxAgeMs: number;
  now?: () => number;
}

/**
 * In-memory auth material per API: never written to storage. Concurrent requests on a cold
 * entry share one bridge round trip; `invalidate()` (session changed) makes every later request
 * ask again, and a round trip already in flight is not allowed to refill the cache.
 */
export class MaterialCache {
  #entries = new Map<string, { entry: MaterialEntry; validUntil: number }>();
  #inFlight = new Map<string, Promise<MaterialEntry>>();
  #priming: Promise<void> | undefined;
  #epoch = 0;
  #now: () => number;

  constructor(private readonly options: MaterialCacheOptions) {
    this.#now = options.now ?? Date.now;
  }

  /**
   * Cached material for `apiName`, else the one in flight, else `load()`'s. `refresh` skips the
   * cache (the API refused it), though a load already in flight is still shared.
   */
  get(apiName: string, load: () => Promise<AuthMaterial>, refresh = false): MaterialEntry | Promise<MaterialEntry> {
    const cached = this.#entries.get(apiName);
    if (!refresh && cached !== undefined && cached.validUntil > this.#now()) return cached.entry;
    if (refresh) this.#entries.delete(apiName);
    const inFlight = this.#inFlight.get(apiName);
    if (inFlight) return inFlight;
    if (this.#priming) return this.#priming.then(() => this.get(apiName, load, refresh));
    return this.#fill(apiName, load);
  }

  /**
   * Material for several APIs on its way (a restarted worker warming up while its config loads):
   * until it settles, `get` waits for it instead of asking again. A failure just ends the wait.
   */
  prime(pending: Promise<Record<string, AuthMaterial>>): void {
    const epoch = this.#epoch;
    const priming: Promise<void> = pending
      .then((all) => {
        if (epoch !== this.#epoch) return;
        for (const [apiName, material] of Object.entries(all)) {
          if (!this.#entries.has(apiName)) this.#entries.set(apiName, { entry: { material, signingKeys: new Map() }, validUntil: this.#validUntil(material) });
        }
      })
      .catch(() => undefined)
      .finally(() => {
        if (this.#priming === priming) this.#priming = undefined;
      });
    this.#priming = priming;
  }

  invalidate(): void {
    this.#epoch++;
    this.#entries.clear();
    this.#inFlight.clear();
    this.#priming = undefined;
  }

  #fill(apiName: string, load: () => Promise<AuthMaterial>): Promise<MaterialEntry> {
    const epoch = this.#epoch;
    const pending = load().then(
      (material) => {
        const entry: MaterialEntry = { material, signingKeys: new Map() };
        if (epoch === this.#epoch) {
          this.#inFlight.delete(apiName);
          this.#entries.set(apiName, { entry, validUntil: this.#validUntil(material) });
        }
        return entry;
      },
      (error: unknown) => {
        if (epoch === this.#epoch) this.#inFlight.delete(apiName);
        throw error;
      },
    );
    this.#inFlight.set(apiName, pending);
    return pending;
  }

  #validUntil({ expiresAt }: AuthMaterial): number {
    const now = this.#now();
    const cap = now + this.options.maxAgeMs;
    if (expiresAt === undefined) return cap;
    // Short-lived material (e.g. 90 s emulator credentials) keeps half its life rather than none.
    const margin = Math.min(this.options.marginMs, (expiresAt - now) / 2);
    return Math.min(cap, expiresAt - margin);
  }
}
