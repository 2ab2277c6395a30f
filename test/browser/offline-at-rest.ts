// Shared by the offline browser tests: what the offline queue and read cache keep at rest, read
// from the page as any script of the origin could (every IndexedDB database and every Cache
// Storage cache), searched for auth material. Also the page-side event log of onOfflineEvent().
import type { TestPage } from './driver';

/** A piece of auth material found at rest: where, and which kind (never the value itself). */
export interface AtRest {
  where: string;
  term: string;
}

/** Strings that must never be stored, by kind, for the session each of `tabs` holds now. */
export async function authTerms(...tabs: TestPage[]): Promise<Record<string, string>> {
  const terms: Record<string, string> = { 'SigV4 scheme': 'AWS4-HMAC-SHA256', 'signature': 'Signature=', 'authorization header': 'authorization' };
  for (const [i, tab] of tabs.entries()) {
    const session = await tab.evaluate(async () => {
      const s = await (window as any).harness.fetchAuthSession();
      return {
        accessKeyId: s.credentials?.accessKeyId,
        secretAccessKey: s.credentials?.secretAccessKey,
        sessionToken: s.credentials?.sessionToken,
        idToken: s.tokens?.idToken?.toString(),
        accessToken: s.tokens?.accessToken?.toString(),
      };
    });
    for (const [kind, value] of Object.entries(session)) if (typeof value === 'string' && value.length > 0) terms[`tab ${i} ${kind}`] = value;
  }
  return terms;
}

/**
 * Reads every IndexedDB database (`indexedDB.databases()`, every object store, every key and
 * value, ArrayBuffers and typed arrays decoded as UTF-8, Blobs read) and every Cache Storage cache
 * (each request's URL and headers, each response's headers and body) of `page`'s origin, and
 * searches them case-insensitively for `terms`. Also says how much it read, so a scan that read
 * nothing cannot pass for a clean one.
 */
export function scanAtRest(page: TestPage, terms: Record<string, string>): Promise<{ hits: AtRest[]; databases: string[]; records: number; cached: number }> {
  return page.evaluate(async (terms: Record<string, string>) => {
    const decoder = new TextDecoder();
    const chunks: { where: string; text: string }[] = [];
    // Every string inside a stored value, whatever the nesting.
    const strings = async (value: unknown, out: string[], depth = 0): Promise<void> => {
      if (depth > 20 || value === null || value === undefined) return;
      if (typeof value === 'string') out.push(value);
      else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') out.push(String(value));
      else if (value instanceof ArrayBuffer) out.push(decoder.decode(value));
      else if (ArrayBuffer.isView(value)) out.push(decoder.decode(value));
      else if (value instanceof Blob) out.push(await value.text());
      else if (value instanceof Date) out.push(value.toISOString());
      else if (value instanceof Map) for (const [k, v] of value) (await strings(k, out, depth + 1), await strings(v, out, depth + 1));
      else if (value instanceof Set || Array.isArray(value)) for (const v of value) await strings(v, out, depth + 1);
      else if (typeof value === 'object') for (const [k, v] of Object.entries(value)) (out.push(k), await strings(v, out, depth + 1));
    };
    const request = <T>(r: IDBRequest<T>) => new Promise<T>((resolve, reject) => ((r.onsuccess = () => resolve(r.result)), (r.onerror = () => reject(r.error))));
    const databases = (await indexedDB.databases()).map((d) => d.name!).filter(Boolean);
    let records = 0;
    for (const name of databases) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      try {
        for (const storeName of Array.from(db.objectStoreNames)) {
          const store = db.transaction(storeName, 'readonly').objectStore(storeName);
          const [keys, values] = await Promise.all([request(store.getAllKeys()), request(store.getAll())]);
          for (let i = 0; i < values.length; i++) {
            const out: string[] = [];
            await strings(keys[i], out);
            await strings(values[i], out);
            chunks.push({ where: `IndexedDB ${name}/${storeName} #${i}`, text: out.join('\n') });
            records++;
          }
        }
      } finally {
        db.close();
      }
    }
    let cached = 0;
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const req of await cache.keys()) {
        cached++;
        chunks.push({ where: `Cache ${name} request ${req.url}`, text: [req.url, ...Array.from(req.headers).map(([k, v]) => `${k}: ${v}`)].join('\n') });
        const res = await cache.match(req);
        if (res === undefined) continue;
        chunks.push({ where: `Cache ${name} response headers ${req.url}`, text: Array.from(res.headers).map(([k, v]) => `${k}: ${v}`).join('\n') });
        chunks.push({ where: `Cache ${name} response body ${req.url}`, text: await res.text() });
      }
    }
    const hits: { where: string; term: string }[] = [];
    for (const chunk of chunks) {
      const text = chunk.text.toLowerCase();
      for (const [term, value] of Object.entries(terms)) if (text.includes(value.toLowerCase())) hits.push({ where: chunk.where, term });
    }
    return { hits, databases, records, cached };
  }, terms);
}

export interface OfflineEventSeen {
  type: string;
  id?: string;
  method?: string;
  url?: string;
  status?: number;
  count?: number;
}

/** Registers the harness's worker with `options` and records its offline events in `window.offlineEvents`. */
export async function registerOffline(page: TestPage, options: Record<string, unknown>): Promise<void> {
  await page.evaluate(async (options) => {
    const h = (window as any).harness;
    await h.register(options);
    (window as any).offlineEvents = [];
    h.worker().onOfflineEvent((e: unknown) => (window as any).offlineEvents.push(e));
  }, options);
}

/** The offline events `page` heard so far, once `check` holds or `timeoutMs` passed. */
export async function offlineEvents(page: TestPage, check: (events: OfflineEventSeen[]) => boolean = () => true, timeoutMs = 3000): Promise<OfflineEventSeen[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const events: OfflineEventSeen[] = await page.evaluate(() => (window as any).offlineEvents);
    if (check(events) || Date.now() > deadline) return events;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Polls `read` until `check` holds or `timeoutMs` passes; returns the last value. */
export async function until<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A mutation from the page: its status and queued id, or the error's name. */
export interface Made {
  status: number;
  queued: string | null;
  error?: string;
}

/** `paths.length` POSTs under the API `api` from `page`, one after the other, each with a JSON body naming its path. */
export function mutate(page: TestPage, api: string, paths: string[], init: { headers?: Record<string, string> } = {}): Promise<Made[]> {
  return page.evaluate(
    async ({ api, paths, headers }) => {
      const h = (window as any).harness;
      const made: { status: number; queued: string | null; error?: string }[] = [];
      for (const path of paths) {
        try {
          const r = await fetch(h.apis[api].endpoint + path, { method: 'POST', body: JSON.stringify({ path }), headers: { 'content-type': 'application/json', ...headers } });
          await r.text();
          made.push({ status: r.status, queued: r.headers.get('x-amplify-sw-auth-queued') });
        } catch (e) {
          made.push({ status: 0, queued: null, error: (e as Error).name });
        }
      }
      return made;
    },
    { api, paths, headers: init.headers ?? {} },
  );
}
