/// <reference lib="webworker" />
import { headerProblem, MESSAGE, PROTOCOL_VERSION, type AuthMaterial, type MaterialReply, type MaterialRequest, type PageConfig } from '../src/protocol';
import { TRACE, traceMoment } from './trace';

declare const self: ServiceWorkerGlobalScope;

export type BridgeFailureCode = 'bridge-timeout' | 'bridge-error' | 'no-bridge' | 'ambiguous-identity';

/** What a reply from a page of another build (or no bridge at all) is most likely to need. */
const OTHER_VERSION = '(a page of another version? Copy the worker script again after upgrading: npx amplify-sw-auth init <publicDir>)';

export class BridgeError extends Error {
  constructor(
    readonly code: BridgeFailureCode,
    message: string,
  ) {
    super(message);
  }
}

/** Auth material for one API. */
export async function askPage(client: Client, apiName: string, sessionEpoch: string, timeoutMs: number, forceRefresh = false): Promise<AuthMaterial> {
  const reply = await ask(client, { type: MESSAGE.material, version: PROTOCOL_VERSION, apiName, sessionEpoch, ...(forceRefresh && { forceRefresh }) }, timeoutMs, `API "${apiName}"`);
  if ('material' in reply) return checked(reply.material, apiName);
  throw new BridgeError('bridge-error', `amplify-sw-auth: malformed bridge reply for API "${apiName}" ${OTHER_VERSION}.`);
}

export interface PageAnswer {
  materials: Record<string, AuthMaterial>;
  config: PageConfig;
}

/** The page's config, and auth material for every API in it, by API name. */
async function askPageForAll(client: Client, sessionEpoch: string, timeoutMs: number): Promise<PageAnswer> {
  const reply = await ask(client, { type: MESSAGE.material, version: PROTOCOL_VERSION, sessionEpoch }, timeoutMs, 'its APIs');
  if (!('materials' in reply)) throw new BridgeError('bridge-error', `amplify-sw-auth: malformed bridge reply for all APIs ${OTHER_VERSION}.`);
  for (const [apiName, material] of Object.entries(reply.materials)) checked(material, apiName);
  return reply;
}

// A page that answers at all answers in milliseconds; past this, requests ask the usual way.
const OPEN_PAGES_TIMEOUT_MS = 1000;

/**
 * A restarted worker's question to its open pages for their config and all materials. Visible
 * pages only when there are any: they are the likely requesters, and hidden tabs need not all run
 * `fetchAuthSession()` at once. `onAsked` hears of each question as it is posted; `asked` settles
 * once all are; `first` is the first page's answer, or undefined when none answers (a first install
 * controls no page; a worker woken by push or sync may have none open). Neither rejects.
 */
export function askOpenPages(sessionEpoch: string, onAsked: (client: Client, answer: Promise<PageAnswer>) => void): { asked: Promise<void>; first: Promise<PageAnswer | undefined> } {
  const asking = self.clients.matchAll({ type: 'window' }).then((all) => {
    const windows = all as WindowClient[];
    const visible = windows.filter((w) => w.visibilityState === 'visible');
    if (TRACE) traceMoment('asked');
    return (visible.length > 0 ? visible : windows).map((client) => {
      const answer = askPageForAll(client, sessionEpoch, OPEN_PAGES_TIMEOUT_MS);
      if (TRACE) void answer.then(() => traceMoment('answered'), () => undefined);
      onAsked(client, answer);
      return answer;
    });
  });
  return {
    asked: asking.then(() => undefined, () => undefined),
    first: asking.then((questions) => (questions.length === 0 ? undefined : Promise.any(questions)), () => undefined).catch(() => undefined),
  };
}

/** One MessageChannel per question, with a timeout, so a busy or closed page never hangs a request (msw #2323). */
function ask(client: Client, request: MaterialRequest, timeoutMs: number, what: string): Promise<Exclude<MaterialReply, { ok: false }>> {
  return new Promise((resolve, reject) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => {
      channel.port1.close();
      reject(new BridgeError('bridge-timeout', `amplify-sw-auth: the page did not answer with auth material for ${what} within ${timeoutMs} ms. Raise bridgeTimeoutMs if its fetchAuthSession() or headers() is slow; a page answers only once it has called registerAuthWorker().`));
    }, timeoutMs);
    channel.port1.onmessage = ({ data }: MessageEvent<MaterialReply>) => {
      clearTimeout(timer);
      channel.port1.close();
      if (data?.ok === true) resolve(data);
      else reject(new BridgeError('bridge-error', data?.error ?? `amplify-sw-auth: malformed bridge reply for ${what} ${OTHER_VERSION}.`));
    };
    client.postMessage(request, [channel.port2]);
  });
}

/**
 * The page checks its `headers()` result already; a page of another build might not. A header no
 * request can carry fails here, as a bridge error, so the configured `onBridgeFailure` applies
 * whether the request would have been signed or not.
 */
function checked(material: AuthMaterial, apiName: string): AuthMaterial {
  const fail = (why: string) => new BridgeError('bridge-error', `amplify-sw-auth: the page's auth material for API "${apiName}" ${why}.`);
  if (typeof material !== 'object' || material === null || typeof material.identity !== 'string' || material.identity === '') throw fail(`names no identity ${OTHER_VERSION}`);
  if (typeof material.headers !== 'object' || material.headers === null) throw fail('has no headers object');
  for (const [name, value] of Object.entries(material.headers)) {
    const problem = typeof value === 'string' ? headerProblem(name, value) : `header "${name}" is not a string`;
    if (problem !== undefined) throw fail(`is unusable: ${problem}`);
  }
  const c = material.credentials;
  const usable = (value: unknown, header: string) => typeof value === 'string' && value !== '' && headerProblem(header, value) === undefined;
  if (c !== undefined && (!usable(c?.accessKeyId, 'x') || typeof c.secretAccessKey !== 'string' || (c.sessionToken !== undefined && !usable(c.sessionToken, 'x-amz-security-token')))) {
    throw fail('has credentials no request can carry'); // never quoted: they are secrets
  }
  return material;
}
