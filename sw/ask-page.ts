/// <reference lib="webworker" />
import { MESSAGE, PROTOCOL_VERSION, type AuthMaterial, type MaterialReply, type MaterialRequest, type PageConfig } from '../src/protocol';
import { TRACE, traceMoment } from './trace';

declare const self: ServiceWorkerGlobalScope;

export type BridgeFailureCode = 'bridge-timeout' | 'bridge-error' | 'no-bridge';

export class BridgeError extends Error {
  constructor(
    readonly code: BridgeFailureCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The window to ask for auth material. The requesting page first (msw does the same), but only
 * if it runs the bridge: a page in scope that never called registerAuthWorker(), or a dedicated
 * worker's client, would never answer. `bridged` is empty right after the browser restarted this
 * worker, so then the requesting window is tried as is.
 */
export async function pickClient(event: FetchEvent, bridged: ReadonlySet<string>): Promise<Client | undefined> {
  for (const id of [event.clientId, event.resultingClientId]) {
    if (id && (bridged.size === 0 || bridged.has(id))) {
      const client = await self.clients.get(id);
      if (client !== undefined && client.type === 'window') return client;
    }
  }
  const windows = (await self.clients.matchAll({ type: 'window' })) as WindowClient[];
  const candidates = bridged.size === 0 ? windows : windows.filter((w) => bridged.has(w.id));
  return candidates.find((w) => w.visibilityState === 'visible') ?? candidates[0];
}

/** Auth material for one API. */
export async function askPage(client: Client, apiName: string, sessionEpoch: string, timeoutMs: number, forceRefresh = false): Promise<AuthMaterial> {
  const reply = await ask(client, { type: MESSAGE.material, version: PROTOCOL_VERSION, apiName, sessionEpoch, ...(forceRefresh && { forceRefresh }) }, timeoutMs, `API "${apiName}"`);
  if ('material' in reply) return reply.material;
  throw new BridgeError('bridge-error', `amplify-sw-auth: malformed bridge reply for API "${apiName}".`);
}

/** The page's config, and auth material for every API in it, by API name. */
async function askPageForAll(client: Client, sessionEpoch: string, timeoutMs: number): Promise<{ materials: Record<string, AuthMaterial>; config: PageConfig }> {
  const reply = await ask(client, { type: MESSAGE.material, version: PROTOCOL_VERSION, sessionEpoch }, timeoutMs, 'its APIs');
  if ('materials' in reply) return reply;
  throw new BridgeError('bridge-error', 'amplify-sw-auth: malformed bridge reply for all APIs.');
}

// A page that answers at all answers in milliseconds; past this, requests ask the usual way.
const OPEN_PAGES_TIMEOUT_MS = 1000;

/**
 * A restarted worker's question to its open pages for the config and all materials; `answer` is
 * the first page's. Visible pages only when there are any: they are the likely requesters, and
 * hidden tabs need not all run `fetchAuthSession()` at once. `asked` settles once the questions
 * are posted. Pages that answer join `bridged`.
 */
export function askOpenPages(sessionEpoch: string, bridged: Set<string>): { asked: Promise<unknown>; answer: Promise<{ materials: Record<string, AuthMaterial>; config: PageConfig }> } {
  const asking = self.clients.matchAll({ type: 'window' }).then((all) => {
    const windows = all as WindowClient[];
    const visible = windows.filter((w) => w.visibilityState === 'visible');
    if (TRACE) traceMoment('asked');
    return (visible.length > 0 ? visible : windows).map((client) =>
      askPageForAll(client, sessionEpoch, OPEN_PAGES_TIMEOUT_MS).then((answer) => {
        if (TRACE) traceMoment('answered');
        bridged.add(client.id);
        return answer;
      }),
    );
  });
  return { asked: asking, answer: asking.then((questions) => Promise.any(questions)) };
}

/** One MessageChannel per question, with a timeout, so a busy or closed page never hangs a request (msw #2323). */
function ask(client: Client, request: MaterialRequest, timeoutMs: number, what: string): Promise<Exclude<MaterialReply, { ok: false }>> {
  return new Promise((resolve, reject) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => {
      channel.port1.close();
      reject(new BridgeError('bridge-timeout', `amplify-sw-auth: the page did not answer with auth material for ${what} within ${timeoutMs} ms.`));
    }, timeoutMs);
    channel.port1.onmessage = ({ data }: MessageEvent<MaterialReply>) => {
      clearTimeout(timer);
      channel.port1.close();
      if (data?.ok === true) resolve(data);
      else reject(new BridgeError('bridge-error', data?.error ?? `amplify-sw-auth: malformed bridge reply for ${what}.`));
    };
    client.postMessage(request, [channel.port2]);
  });
}
