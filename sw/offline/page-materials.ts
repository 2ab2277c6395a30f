/// <reference lib="webworker" />
import { askPage } from '../ask-page';
import type { PageRoster } from '../load-material';
import type { MaterialCache, MaterialEntry } from '../material-cache';

declare const self: ServiceWorkerGlobalScope;

/**
 * The material each open page holds now for `apiName`, by identity: who is signed in where.
 * Undefined when that cannot be known: no page with a bridge is open, or a page could not read its
 * session (offline), which would make its user look like someone else.
 */
export async function pageMaterials(cache: MaterialCache, roster: PageRoster, apiName: string): Promise<Map<string, MaterialEntry> | undefined> {
  const windows = (await self.clients.matchAll({ type: 'window' })) as WindowClient[];
  const pages = windows.filter((w) => w.frameType !== 'nested' && roster.bridged.has(w.id));
  if (pages.length === 0) return undefined;
  const asked = await Promise.allSettled(pages.map((page) => cache.get(page.id, apiName, () => askPage(page, apiName, roster.sessionEpoch(), roster.timeoutMs()))));
  const entries = asked.flatMap((a) => (a.status === 'fulfilled' ? [a.value] : []));
  if (entries.length === 0 || entries.some((e) => e.material.sessionFailed)) return undefined;
  return new Map(entries.map((e) => [e.material.identity, e]));
}
