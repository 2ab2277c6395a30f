import { headerProblem, type CacheStrategy, type IdentityChangePolicy, type OfflineOptions } from '../../src/protocol';

export interface QueueSettings {
  /** Undefined: every API. */
  apis: ReadonlySet<string> | undefined;
  methods: ReadonlySet<string>;
  maxEntries: number;
  maxAgeMs: number;
  onIdentityChange: IdentityChangePolicy;
  idempotencyHeader: string | undefined;
}

export interface CacheSettings {
  apis: ReadonlySet<string> | undefined;
  strategy: CacheStrategy;
  maxEntries: number;
  maxAgeMs: number;
}

export interface OfflineSettings {
  queue?: QueueSettings;
  cache?: CacheSettings;
}

const DAY_MS = 86_400_000;
const POLICIES: readonly IdentityChangePolicy[] = ['hold', 'drop', 'replay-as-current'];
const STRATEGIES: readonly CacheStrategy[] = ['network-first', 'stale-while-revalidate'];
// A GET or HEAD is a read: replaying one later answers nobody.
const QUEUEABLE = ['POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * Validates `registerAuthWorker({ offline })` (or the worker's default) against the configured
 * API names, and fills in the defaults. Throws naming the first problem: a config the worker
 * refuses leaves the previous one in force.
 */
export function offlineSettings(options: OfflineOptions | undefined, apiNames: readonly string[] | undefined): OfflineSettings {
  if (options === undefined) return {};
  const fail = (what: string) => new Error(`amplify-sw-auth: \`offline${what}.`);
  if (typeof options !== 'object' || options === null) throw fail('` must be an object like { queue: true, cache: true }');
  for (const key of Object.keys(options)) if (key !== 'queue' && key !== 'cache') throw fail(`\` has an unknown option "${key}" (expected queue, cache)`);
  const settings: OfflineSettings = {};
  if (options.queue !== undefined) {
    const q = options.queue === true ? {} : object(options.queue, '.queue', fail);
    known(q, ['apis', 'methods', 'maxEntries', 'maxAgeMs', 'onIdentityChange', 'idempotencyHeader'], '.queue', fail);
    const methods = q.methods === undefined ? QUEUEABLE : stringList(q.methods, '.queue.methods', fail).map((m) => m.toUpperCase());
    for (const method of methods) if (!QUEUEABLE.includes(method)) throw fail(`.queue.methods\` lists "${method}"; only ${QUEUEABLE.join(', ')} can be queued`);
    const policy = q.onIdentityChange ?? 'hold';
    if (!POLICIES.includes(policy)) throw fail(`.queue.onIdentityChange\` must be one of ${POLICIES.map((p) => `'${p}'`).join(', ')}`);
    const header = q.idempotencyHeader;
    if (header !== undefined && (typeof header !== 'string' || headerProblem(header, 'x') !== undefined)) throw fail('.queue.idempotencyHeader` must be a valid header name, e.g. "Idempotency-Key"');
    settings.queue = {
      apis: apiSet(q.apis, '.queue.apis', apiNames, fail),
      methods: new Set(methods),
      maxEntries: count(q.maxEntries, '.queue.maxEntries', fail) ?? 500,
      maxAgeMs: count(q.maxAgeMs, '.queue.maxAgeMs', fail) ?? 7 * DAY_MS,
      onIdentityChange: policy,
      idempotencyHeader: header?.toLowerCase(),
    };
  }
  if (options.cache !== undefined) {
    const c = options.cache === true ? {} : object(options.cache, '.cache', fail);
    known(c, ['apis', 'strategy', 'maxEntries', 'maxAgeMs'], '.cache', fail);
    const strategy = c.strategy ?? 'network-first';
    if (!STRATEGIES.includes(strategy)) throw fail(`.cache.strategy\` must be one of ${STRATEGIES.map((s) => `'${s}'`).join(', ')}`);
    settings.cache = {
      apis: apiSet(c.apis, '.cache.apis', apiNames, fail),
      strategy,
      maxEntries: count(c.maxEntries, '.cache.maxEntries', fail) ?? 200,
      maxAgeMs: count(c.maxAgeMs, '.cache.maxAgeMs', fail) ?? DAY_MS,
    };
  }
  return settings;
}

/** Whether `apiName` is covered by the queue or cache settings. */
export const covers = (settings: { apis: ReadonlySet<string> | undefined } | undefined, apiName: string): boolean => settings !== undefined && (settings.apis === undefined || settings.apis.has(apiName));

type Fail = (what: string) => Error;

function object<T>(value: T | true, where: string, fail: Fail): Partial<T> & Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail(`${where}\` must be true or an object`);
  return value as Partial<T> & Record<string, unknown>;
}

function known(value: object, keys: string[], where: string, fail: Fail): void {
  for (const key of Object.keys(value)) if (!keys.includes(key)) throw fail(`${where}\` has an unknown option "${key}" (expected ${keys.join(', ')})`);
}

function stringList(value: unknown, where: string, fail: Fail): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== 'string')) throw fail(`${where}\` must be a non-empty array of strings`);
  return value as string[];
}

function apiSet(value: unknown, where: string, apiNames: readonly string[] | undefined, fail: Fail): ReadonlySet<string> | undefined {
  if (value === undefined) return undefined;
  const names = stringList(value, where, fail);
  const unknown = apiNames === undefined ? undefined : names.find((name) => !apiNames.includes(name));
  if (unknown !== undefined) throw fail(`${where}\` names API "${unknown}", which is not configured (configured: ${apiNames!.join(', ')})`);
  return new Set(names);
}

function count(value: unknown, where: string, fail: Fail): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw fail(`${where}\` must be a positive number`);
  return value;
}
