// Issue 12, the read cache: GETs of the APIs that opted in are cached per identity (network-first
// or stale-while-revalidate), never served across users, purged at sign-out, and never stored
// against `Cache-Control: no-store`. The network is cut on the server side (setNetwork).
import { describe, expect, it } from 'vitest';
import type { TestPage } from './driver';
import { logged, setNetwork } from './emulator-control';
import { harnessUrl, signIn, useBrowser } from './harness';
import { authTerms, offlineEvents, registerOffline, scanAtRest, until } from './offline-at-rest';

const stamp = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

interface Read {
  status: number;
  cache: string | null;
  username?: string;
  error?: string;
}

/** GETs under the `iam` API from `page`: status, the cache header, and whose data it is. */
function read(page: TestPage, paths: string[]): Promise<Read[]> {
  return page.evaluate(async (paths) => {
    const h = (window as any).harness;
    const out: { status: number; cache: string | null; username?: string; error?: string }[] = [];
    for (const path of paths) {
      try {
        const r = await fetch(h.apis.iam.endpoint + path);
        const body = await r.json().catch(() => null);
        out.push({ status: r.status, cache: r.headers.get('x-amplify-sw-auth-cache'), username: body?.auth?.username });
      } catch (e) {
        out.push({ status: 0, cache: null, error: (e as Error).name });
      }
    }
    return out;
  }, paths);
}

/** The read caches of the origin (Cache Storage, read from the page): name → pathnames. */
function cachedReads(page: TestPage): Promise<Record<string, string[]>> {
  return page.evaluate(async () => {
    const out: Record<string, string[]> = {};
    for (const name of await caches.keys()) {
      if (!name.startsWith('amplify-sw-auth-reads')) continue;
      out[name] = (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname);
    }
    return out;
  });
}

/** A tab with its own signed-in user (Amplify's per-tab sessionStorage token storage) and the read cache on. */
async function reader(from: TestPage | undefined, open: (url?: string) => Promise<TestPage>, username: string, options: Record<string, unknown> = { offline: { cache: true } }): Promise<TestPage> {
  const url = `${harnessUrl()}?storage=session`;
  const tab = from ? await from.openTab(url) : await open(url);
  await registerOffline(tab, options);
  await signIn(tab, username);
  return tab;
}

describe('offline read cache', () => {
  const { open } = useBrowser();

  it("alice's reads are cached for alice only: bob, offline, gets none of them; alice signs out and her entries are gone", async () => {
    const alice = await reader(undefined, open, 'alice');
    const bob = await reader(alice, open, 'bob');
    const tag = `/reads-${stamp()}`;
    const paths = [1, 2, 3].map((i) => `${tag}/${i}`);
    expect(await read(alice, paths)).toEqual(paths.map(() => ({ status: 200, cache: null, username: 'alice' })));
    const aliceCaches = await until(() => cachedReads(alice), (c) => Object.values(c).flat().length >= 3);
    expect(Object.values(aliceCaches)).toEqual([paths.map((p) => `/prod/iam${p}`)]);
    const [aliceCache] = Object.keys(aliceCaches);

    await setNetwork({ api: 'down' });
    // The cache works: alice, offline, gets her own data from it...
    expect(await read(alice, [paths[0]])).toEqual([{ status: 200, cache: 'hit', username: 'alice' }]);
    // ...and bob, in the same browser while alice's entries are there, gets none of it.
    const bobOffline = await read(bob, paths);
    await setNetwork({ api: 'up' });
    const bobOnline = await read(bob, paths);
    const crossIdentity = [...bobOffline, ...bobOnline].filter((r) => r.cache !== null || (r.username !== undefined && r.username !== 'bob')).length;
    console.log(`read cache: cross-identity cache hits ${crossIdentity} (bob read alice's 3 cached URLs offline and online)`);
    expect(crossIdentity).toBe(0);
    expect(bobOffline).toEqual(paths.map(() => ({ status: 0, cache: null, error: 'TypeError' })));
    expect(bobOnline).toEqual(paths.map(() => ({ status: 200, cache: null, username: 'bob' })));
    expect((await cachedReads(bob))[aliceCache]).toHaveLength(3);

    // Nothing cached holds a credential, token or signature of either user. The emulator's JSON
    // answer echoes the key id it verified and names the headers it saw ("authorization"), so
    // response bodies are searched for everything but those two.
    const terms = await authTerms(alice, bob);
    const rest = await scanAtRest(alice, terms);
    expect(rest.cached).toBe(6);
    const echoed = (h: { where: string; term: string }) => h.where.includes('response body') && (h.term.endsWith('accessKeyId') || h.term === 'authorization header');
    expect(rest.hits.filter((h) => !echoed(h))).toEqual([]);
    expect(rest.hits.filter(echoed).length, 'the scan reads the bodies').toBeGreaterThan(0);

    await alice.evaluate(() => (window as any).harness.signOut());
    const after = await until(() => cachedReads(bob), (c) => !(aliceCache in c), 5000);
    expect(Object.keys(after)).not.toContain(aliceCache);
    expect(Object.values(after)).toEqual([paths.map((p) => `/prod/iam${p}`)]); // bob's, still there
    await setNetwork({ api: 'down' });
    // Alice's tab, now the guest's: nothing of hers is served.
    expect(await read(alice, [paths[0]])).toEqual([{ status: 0, cache: null, error: 'TypeError' }]);
  });

  it('stale-while-revalidate: a hit carries x-amplify-sw-auth-cache: hit; it is revalidated once the entry is 2 s old, not on every read', async () => {
    const page = await reader(undefined, open, 'alice', { offline: { cache: { strategy: 'stale-while-revalidate' } } });
    const path = `/swr-${stamp()}`;
    expect(await read(page, [path])).toEqual([{ status: 200, cache: null, username: 'alice' }]);
    await until(() => cachedReads(page), (c) => Object.values(c).flat().length === 1);
    // A burst of reads right after the entry was stored: served from the cache, no upstream request.
    expect(await read(page, [path, path, path])).toEqual([0, 1, 2].map(() => ({ status: 200, cache: 'hit', username: 'alice' })));
    await new Promise((r) => setTimeout(r, 300));
    expect((await logged(`/prod/iam${path}`)).length).toBe(1);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await read(page, [path])).toEqual([{ status: 200, cache: 'hit', username: 'alice' }]);
    const log = await until(() => logged(`/prod/iam${path}`), (l) => l.length >= 2);
    expect(log.map((e) => [e.status, e.auth?.username])).toEqual([[200, 'alice'], [200, 'alice']]);
  });

  it('Cache-Control: no-store answers are never stored; private ones are (the cache is per user)', async () => {
    const page = await reader(undefined, open, 'alice');
    const tag = `/cc-${stamp()}`;
    const noStore = `${tag}/no-store?cacheControl=no-store`;
    const priv = `${tag}/private?cacheControl=${encodeURIComponent('private, max-age=0')}`;
    expect(await read(page, [noStore, priv])).toEqual([0, 1].map(() => ({ status: 200, cache: null, username: 'alice' })));
    const cached = await until(() => cachedReads(page), (c) => Object.values(c).flat().length >= 1);
    await new Promise((r) => setTimeout(r, 300)); // a late put of the no-store answer would land by now
    expect(Object.values(await cachedReads(page)).flat()).toEqual([`/prod/iam${tag}/private`]);
    expect(Object.keys(cached)).toHaveLength(1);
    await setNetwork({ api: 'down' });
    expect(await read(page, [noStore, priv])).toEqual([{ status: 0, cache: null, error: 'TypeError' }, { status: 200, cache: 'hit', username: 'alice' }]);
  });

  it('cache limit: maxEntries 2, a third read evicts the oldest, with a limit event', async () => {
    const page = await reader(undefined, open, 'alice', { offline: { cache: { maxEntries: 2 } } });
    const tag = `/evict-${stamp()}`;
    const paths = [1, 2, 3].map((i) => `${tag}/${i}`);
    for (const path of paths) {
      expect(await read(page, [path])).toEqual([{ status: 200, cache: null, username: 'alice' }]);
      await until(() => cachedReads(page), (c) => Object.values(c).flat().includes(`/prod/iam${path}`));
    }
    const events = await offlineEvents(page, (ev) => ev.some((e) => e.type === 'limit'));
    expect(events.filter((e) => e.type === 'limit')).toEqual([{ type: 'limit', count: 1 }]);
    expect(Object.values(await cachedReads(page)).flat().sort()).toEqual(paths.slice(1).map((p) => `/prod/iam${p}`));
    await setNetwork({ api: 'down' });
    expect((await read(page, paths)).map((r) => r.cache ?? r.error)).toEqual(['TypeError', 'hit', 'hit']);
  });
});
