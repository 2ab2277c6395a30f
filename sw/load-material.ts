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
 * A request whose client runs no bridge (a dedicated or shared worker, a frame that never called
 * `registerAuthWorker()`) cannot name the page it acts for: the Clients API links a worker to no
 * owner. It gets the identity that every bridged window holds for the API when they all agree,
 * which is always so with Amplify's default shared token storage, and otherwise none
 * (`ambiguous-identity`): picking one tab would send the request as a user who may not own it.
 * A top-level page without a bridge gets none: it has not called `registerAuthWorker()` yet.
 */
export async function loadMaterial(roster: PageRoster, event: FetchEvent, apiName: string, forceRefresh: boolean): Promise<AuthMaterial> {
  const ask = (client: Client) =>
    askPage(client, apiName, roster.sessionEpoch(), roster.timeoutMs(), forceRefresh).then((material) => {
      roster.bridged.add(client.id); // it answered, so it runs a bridge (worth knowing after a restart)
      return material;
    });
  const client = event.clientId ? await self.clients.get(event.clientId) : undefined;
  if (client?.type === 'window') {
    // Right after a restart no bridge is known yet: the requesting window is asked as is.
    if (roster.bridged.size === 0 || roster.bridged.has(client.id)) return ask(client);
    // A tab of its own whose registerAuthWorker() has not run: what it will sign in as is unknown.
    if ((client as WindowClient).frameType !== 'nested') {
      // The path only: a page URL's query can hold an OAuth code or a token.
      throw new BridgeError('no-bridge', `amplify-sw-auth: the page ${new URL(client.url).pathname} made a request to API "${apiName}" before its registerAuthWorker() resolved, so whose it is is unknown.`);
    }
  }

  await roster.warmedUp;
  const windows = (await self.clients.matchAll({ type: 'window' })).filter((w) => roster.bridged.has(w.id));
  if (windows.length === 0) {
    throw new BridgeError('no-bridge', `amplify-sw-auth: no open page can supply auth material for API "${apiName}" (call registerAuthWorker() in the page).`);
  }
  const answers = await Promise.all(windows.map(ask));
  if (answers.some((material) => material.identity !== answers[0].identity)) {
    throw new BridgeError(
      'ambiguous-identity',
      `amplify-sw-auth: a request to API "${apiName}" came from a worker or frame without a bridge, and the open pages are signed in as different identities, so it cannot be told whose it is. Make the request from the page, or set its Authorization header yourself.`,
    );
  }
  return answers[0];
}
