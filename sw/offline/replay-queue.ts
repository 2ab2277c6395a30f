/// <reference lib="webworker" />
import type { OfflineEvent, ReplayCounts } from '../../src/protocol';
import type { CompiledApi } from '../compile-apis';
import type { MaterialEntry } from '../material-cache';
import { reportedUrl } from '../report-auth-error';
import { signOutgoing, type SignContext } from '../sign-outgoing';
import type { MutationQueue } from './mutation-queue';
import type { QueueSettings } from './offline-settings';

export interface ReplayDeps {
  queue: MutationQueue;
  settings: () => QueueSettings | undefined;
  apis: () => readonly CompiledApi[];
  sign: SignContext;
  /** Who holds which identity now, per API (page-materials.ts). */
  current: (apiName: string) => Promise<Map<string, MaterialEntry> | undefined>;
  /** Changes with every sign-in, sign-out or refresh any page reports (SessionChanges.epoch). */
  epoch: () => string;
  emit: (event: OfflineEvent) => void;
}

/**
 * Sends the queued requests, oldest first, each authorized now with fresh material from an open
 * page of the identity that made it. One pass at a time; a pass asked for during one runs after it.
 */
export class Replayer {
  #running: Promise<ReplayCounts> | undefined;
  #next: Promise<ReplayCounts> | undefined;
  #lastHeld = 0;
  /** Ids of requests whose identity no open page holds, as of the last pass. */
  held = new Set<string>();
  /**
   * The last pass left requests it could not try: it met no network, or no page could sign them.
   * A live request that reaches the API then triggers the next pass (install-offline.ts `reached`).
   */
  due = false;

  constructor(private readonly deps: ReplayDeps) {}

  run(): Promise<ReplayCounts> {
    if (this.#running === undefined) {
      const running: Promise<ReplayCounts> = this.#pass().finally(() => {
        if (this.#running === running) this.#running = undefined;
      });
      return (this.#running = running);
    }
    // A pass is under way with what it read when it started (the network, who is signed in): the
    // caller gets the next pass, which sees what happened since, and not the counts of this one.
    // Every caller during one pass shares that next pass.
    return (this.#next ??= this.#running.catch(() => undefined).then(() => {
      this.#next = undefined;
      return this.run();
    }));
  }

  async #pass(): Promise<ReplayCounts> {
    const { queue, emit } = this.deps;
    const counts: ReplayCounts = { replayed: 0, failed: 0, held: 0 };
    const settings = this.deps.settings();
    const epoch = this.deps.epoch();
    await queue.load();
    if (settings === undefined || queue.size === 0) return counts;
    const now = Date.now();
    const expired = queue.list().filter((m) => now - m.time > settings.maxAgeMs);
    for (const m of expired) await queue.remove(m.seq);
    if (expired.length > 0) emit({ type: 'limit', count: expired.length });

    const stored = new Map((await queue.stored()).map((r) => [r.seq, r]));
    const current = new Map<string, Map<string, MaterialEntry> | undefined>();
    const blocked = new Set<string>();
    const held = new Set<string>();
    let dropped = 0;
    let stale = false;
    this.due = false;
    for (const m of [...queue.list()]) {
      // Who is signed in changed since this pass asked: what it holds may be a signed-out user's
      // material, or "current" may be the previous user (seen: alice's requests sent as the guest
      // of the moment between her sign-out and bob's sign-in, under 'replay-as-current'). Stop;
      // the session change asked for the next pass, which asks the pages again.
      if (this.deps.epoch() !== epoch) {
        stale = true;
        break;
      }
      const request = stored.get(m.seq);
      const api = this.deps.apis().find((a) => a.apiName === m.apiName);
      if (request === undefined || api === undefined) {
        held.add(m.id); // its API is not configured now: it waits for a config that has it
        continue;
      }
      if (!current.has(api.apiName)) current.set(api.apiName, await this.deps.current(api.apiName));
      const pages = current.get(api.apiName);
      if (this.deps.epoch() !== epoch) {
        stale = true; // the pages may have answered that question after a session change
        break;
      }
      if (pages === undefined) {
        this.due = true; // no page to sign with, or none that can read its session: wait for one
        continue;
      }
      let identity = m.identity;
      let entry = pages.get(identity);
      if (entry === undefined) {
        const policy = settings.onIdentityChange;
        if (policy === 'drop') {
          await queue.remove(m.seq);
          dropped++;
          continue;
        }
        // 'replay-as-current' only when the open pages agree on who that is, and it is a user: a
        // guest between one user's sign-out and the next one's sign-in is nobody's consent.
        const [only] = pages.size === 1 ? pages : [];
        if (policy === 'hold' || only === undefined || only[1].material.anonymous) {
          held.add(m.id);
          continue;
        }
        [identity, entry] = only;
      }
      if (blocked.has(identity)) continue; // keep this identity's order: its earlier request is still waiting
      const signed = await signOutgoing(this.deps.sign, api, { method: m.method, url: m.url, fromPage: request.headers, body: request.body }, entry);
      let response: Response;
      try {
        if (signed instanceof Response) throw signed;
        response = await fetch(signed.request);
      } catch {
        counts.failed++;
        blocked.add(identity);
        this.due ||= !(signed instanceof Response);
        continue;
      }
      void response.body?.cancel();
      // "Try later" (RFC 9110 §15.6.4, RFC 6585 §4): the request stays, and so does its user's order.
      if (response.status === 503 || response.status === 429) {
        counts.failed++;
        blocked.add(identity);
        continue;
      }
      await queue.remove(m.seq);
      const event = { id: m.id, method: m.method, url: reportedUrl(m.url), status: response.status };
      if (response.ok) counts.replayed++;
      else counts.failed++;
      emit({ type: response.ok ? 'replayed' : 'replay-failed', ...event });
    }
    if (dropped > 0) emit({ type: 'dropped', count: dropped });
    if (stale) return counts; // the next pass says what is held
    counts.held = held.size;
    this.held = held;
    if (held.size > 0 && held.size !== this.#lastHeld) emit({ type: 'held', count: held.size });
    this.#lastHeld = held.size;
    return counts;
  }
}
