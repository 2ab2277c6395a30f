import type { AuthMaterial } from '../src/protocol';
import { FailedMaterial, type FailureBackoff } from './failed-material';

/** Material plus per-session state derived from it once, not once per request. */
export interface MaterialEntry {
  material: AuthMaterial;
  /** aws4fetch's signing-key cache: one HMAC chain per credentials, date, region and service. */
  signingKeys: Map<string, ArrayBuffer>;
}

export interface MaterialCacheOptions {
  /** Stop using material this long before its tokens or credentials expire. */
  marginMs: number;
  /**
   * Upper bound on how long material is reused, for headers whose lifetime is unknown (custom
   * tokens, API keys), and on how long a page is taken to hold the identity it last answered with.
   */
  maxAgeMs: number;
  /** How long material of a failed session fetch is reused (see failed-material.ts). Default 1 s doubling to 30 s. */
  failureBackoff?: FailureBackoff;
  now?: () => number;
}

const DEFAULT_FAILURE_BACKOFF: FailureBackoff = { initialMs: 1_000, maxMs: 30_000 };

interface Held<T> {
  value: T;
  validUntil: number;
}

/**
 * In-memory auth material, never written to storage, kept per identity: a request gets the
 * material of the page (client) that made it, as Amplify's REST client evaluates
 * `fetchAuthSession()` and `headers()` in the calling page (api-rest publicApis.ts).
 *
 * Two maps, so the warm path is two lookups: which identity each client last answered with, per
 * API, and the material of each identity, per API. Pages that share a session share an identity,
 * hence one entry, and one round trip when it expires. Concurrent requests of one client share
 * one question. `invalidate()` (session changed) makes every later request ask again, and a
 * question already in flight is not allowed to fill the cache.
 *
 * Material of a failed session fetch (`sessionFailed`) is not a session: it is kept apart, per
 * client, for a short backoff window only (failed-material.ts), and `online()` drops it at once.
 */
export class MaterialCache {
  /** `${identity}\n${apiName}` → material. */
  #entries = new Map<string, Held<MaterialEntry>>();
  /** `${clientId}\n${apiName}` → the identity that client last answered with. */
  #clients = new Map<string, Held<string>>();
  /** Questions in flight, by `${clientId}\n${apiName}` and by `${identity}\n${apiName}`. */
  #inFlight = new Map<string, Promise<MaterialEntry>>();
  /** Clients whose answer to a restarted worker's warm-up question is on its way. */
  #warming = new Map<string, Promise<unknown>>();
  /** Answers of pages that could not read their session, per client and API. */
  #failed: FailedMaterial;
  #epoch = 0;
  /** Counts online() calls: a failed answer asked for before the last one must not be held after it. */
  #onlineCount = 0;
  #now: () => number;

  constructor(private readonly options: MaterialCacheOptions) {
    this.#now = options.now ?? Date.now;
    this.#failed = new FailedMaterial(options.failureBackoff ?? DEFAULT_FAILURE_BACKOFF);
  }

  /**
   * The material for requests of `clientId` to `apiName`: cached, else the client's own question in
   * flight (or that of a page of the same identity), else `load()`'s. `refresh` skips the cache
   * (the API refused it), though a question already in flight is still shared.
   */
  get(clientId: string, apiName: string, load: () => Promise<AuthMaterial>, refresh = false): MaterialEntry | Promise<MaterialEntry> {
    const now = this.#now();
    const slot = `${clientId}\n${apiName}`;
    const mapped = this.#clients.get(slot);
    const identity = mapped !== undefined && mapped.validUntil > now ? mapped.value : undefined;
    const key = identity === undefined ? undefined : `${identity}\n${apiName}`;
    if (key !== undefined) {
      if (refresh) this.#entries.delete(key);
      const held = this.#entries.get(key);
      if (held !== undefined && held.validUntil > now) return held.value;
    }
    // Inside the backoff window after a failed session fetch: reuse that answer rather than ask again.
    const failed = refresh ? undefined : this.#failed.get(slot, now);
    if (failed !== undefined) return failed;
    const own = this.#inFlight.get(slot);
    if (own) return own;
    const warming = this.#warming.get(clientId);
    if (warming) return warming.then(() => this.get(clientId, apiName, load, refresh));
    const shared = key === undefined ? undefined : this.#inFlight.get(key);
    // Another page of this identity is asking already: its answer serves, if it is still this
    // identity and a session. If not, or if that page failed, this client asks its own page.
    if (shared) {
      const own = () => this.get(clientId, apiName, load, refresh);
      return shared.then((entry) => (entry.material.identity === identity && !entry.material.sessionFailed ? entry : own()), own);
    }
    return this.#fill(clientId, apiName, key, load);
  }

  /** Material a client supplied unasked (a restarted worker's warm-up answer). */
  learn(clientId: string, apiName: string, material: AuthMaterial): MaterialEntry {
    const now = this.#now();
    const slot = `${clientId}\n${apiName}`;
    const key = `${material.identity}\n${apiName}`;
    const entry: MaterialEntry = { material, signingKeys: new Map() };
    this.#sweep(now);
    if (material.sessionFailed) {
      // A page of the same identity read the session: its material serves this client too, as
      // it would had this page answered with the session (pages that share a session share an entry).
      const shared = this.#entries.get(key);
      if (shared !== undefined && shared.validUntil > now) {
        this.#clients.set(slot, { value: material.identity, validUntil: now + this.options.maxAgeMs });
        return shared.value;
      }
      return this.#failed.hold(slot, entry, now, this.#validUntil(material, now));
    }
    this.#failed.succeeded(slot);
    this.#entries.set(key, { value: entry, validUntil: this.#validUntil(material, now) });
    this.#clients.set(slot, { value: material.identity, validUntil: now + this.options.maxAgeMs });
    return entry;
  }

  /**
   * A client's answer to the warm-up question is on its way: until it settles, that client's
   * requests wait for it instead of asking again. A failure just ends the wait.
   */
  expect(clientId: string, pending: Promise<Record<string, AuthMaterial>>): void {
    const epoch = this.#epoch;
    const onlineCount = this.#onlineCount;
    const waiting: Promise<unknown> = pending
      .then((all) => {
        if (epoch !== this.#epoch) return;
        for (const [apiName, material] of Object.entries(all)) if (this.#holds(material, onlineCount)) this.learn(clientId, apiName, material);
      })
      .catch(() => undefined)
      .finally(() => {
        if (this.#warming.get(clientId) === waiting) this.#warming.delete(clientId);
      });
    this.#warming.set(clientId, waiting);
  }

  invalidate(): void {
    this.#epoch++;
    this.#entries.clear();
    this.#clients.clear();
    this.#inFlight.clear();
    this.#warming.clear();
    this.#failed.clear();
  }

  /**
   * The network is back (a page heard `online`): every answer of a failed session fetch goes, and
   * every backoff starts over, so the next request of each client asks its page at once. Sessions
   * and questions in flight are kept; a failed answer to a question asked before now serves only
   * its own request.
   */
  online(): void {
    this.#onlineCount++;
    this.#failed.clear();
  }

  /** Whether an answer may be kept: a failed one only if no online() came since it was asked for. */
  #holds(material: AuthMaterial, onlineCount: number): boolean {
    return !material.sessionFailed || onlineCount === this.#onlineCount;
  }

  #fill(clientId: string, apiName: string, expected: string | undefined, load: () => Promise<AuthMaterial>): Promise<MaterialEntry> {
    const epoch = this.#epoch;
    const onlineCount = this.#onlineCount;
    const slot = `${clientId}\n${apiName}`;
    const done = () => {
      if (epoch !== this.#epoch) return;
      this.#inFlight.delete(slot);
      if (expected !== undefined && this.#inFlight.get(expected) === pending) this.#inFlight.delete(expected);
    };
    const pending: Promise<MaterialEntry> = load().then(
      (material) => {
        done();
        // After a session change it answers this request only: the cache is for what came after.
        return epoch === this.#epoch && this.#holds(material, onlineCount) ? this.learn(clientId, apiName, material) : { material, signingKeys: new Map() };
      },
      (error: unknown) => {
        done();
        throw error;
      },
    );
    this.#inFlight.set(slot, pending);
    if (expected !== undefined) this.#inFlight.set(expected, pending);
    return pending;
  }

  #validUntil({ expiresAt }: AuthMaterial, now: number): number {
    const cap = now + this.options.maxAgeMs;
    if (expiresAt === undefined) return cap;
    // Short-lived material (e.g. 90 s emulator credentials) keeps half its life rather than none.
    const margin = Math.min(this.options.marginMs, (expiresAt - now) / 2);
    return Math.min(cap, expiresAt - margin);
  }

  /** Drops what expired: closed tabs and past identities must not pile up in a long-lived worker. */
  #sweep(now: number): void {
    for (const map of [this.#entries, this.#clients] as Map<string, Held<unknown>>[]) {
      for (const [key, held] of map) if (held.validUntil <= now) map.delete(key);
    }
    this.#failed.sweep(now);
  }
}
