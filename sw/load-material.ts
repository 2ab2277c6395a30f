/// <reference lib="webworker" />
import type { AuthMaterial } from '../src/protocol';
import { askPage, BridgeError } from './ask-page';

declare const self: ServiceWorkerGlobalScope;

export interface PageRoster {
  /** Client ids of windows whose bridge has spoken to this worker. */
  bridged: Set<string>;
  /** Settles once a restarted worker's warm-up question has been answered or given up, by every page. */
  warmedUp: Promise<unknown>;
  sessionEpoch: () => string;
  timeoutMs: () => number;
}

/**
 * Auth material for a request, from the page that made it: Amplify's REST client evaluates
 * `fetchAuthSession()` and `headers()` in the calling page, and so must we (pages may hold
 * different users, with per-tab token storage, or different `headers()`).
 *
 * A top-level page is always asked itself, whether or not its bridge has spoken yet: after a
 * restart the worker knows only the pages that answered its start-up question, and a page whose
 * `registerAuthWorker()` is still running answers once its bridge is up. A page with no bridge at
 * all lets the question time out.
 *
 * A request whose client is not a page of its own (a dedicated or shared worker, a frame without a
 * bridge) cannot name the page it acts for: the Clients API links it to no owner. It gets the
 * identity that every open top-level page holds for the API when they all answer and agree, which
 * is always so with Amplify's default shared token storage, and otherwise none
 * (`ambiguous-identity`): picking one tab would send the request as a user who may not own it.
 */
export async function loadMaterial(roster: PageRoster, event: FetchEvent, apiName: string, forceRefresh: boolean): Promise<AuthMaterial> {
  const ask = (client: Client) =>
    askPage(client, apiName, roster.sessionEpoch(), roster.timeoutMs(), forceRefresh).then((material) => {
      roster.bridged.add(client.id); // it answered, so it runs a bridge
      return material;
    });
  const client = event.clientId ? await self.clients.get(event.clientId) : undefined;
  if (client?.type === 'window' && ((client as WindowClient).frameType !== 'nested' || roster.bridged.has(client.id))) return ask(client);

  await roster.warmedUp;
  const pages = ((await self.clients.matchAll({ type: 'window' })) as WindowClient[]).filter((w) => w.frameType !== 'nested');
  if (pages.length === 0) {
    throw new BridgeError('no-bridge', `amplify-sw-auth: no open page can supply auth material for API "${apiName}" (call registerAuthWorker() in the page).`);
  }
  const answers = await Promise.all(pages.map(ask));
  if (answers.some((material) => material.identity !== answers[0].identity)) {
    throw new BridgeError(
      'ambiguous-identity',
      `amplify-sw-auth: a request to API "${apiName}" came from a worker or frame without a bridge, and the open pages hold different identities, so it cannot be told whose it is. Make the request from the page, or set its Authorization header yourself.`,
    );
  }
  return answers[0];
}
