/// <reference lib="webworker" />
import type { RouteHandlerCallbackOptions } from 'workbox-core/types';
import { AUTH_MODE_HEADER, type AuthErrorDetail, type BridgeFailurePolicy } from '../src/protocol';
import { BridgeError } from './ask-page';
import { clockSkewOffset } from './clock-skew';
import type { CompiledApi } from './compile-apis';
import { DEBUG } from './debug-enabled';
import { RequestLog } from './debug-log';
import { isPresigned } from './decide-auth';
import { errorResponse } from './error-response';
import { loadMaterial, type PageRoster } from './load-material';
import type { MaterialCache, MaterialEntry } from './material-cache';
import { OFFLINE } from './offline/offline-enabled';
import type { Network, OfflineHooks } from './offline/offline-hooks';
import { mediaHeaders, pageHeaders } from './page-headers';
import { modeRefusal } from './plan-auth';
import { refuseRequest } from './refuse-request';
import { reportedUrl } from './report-auth-error';
import { sendUpstream } from './send-upstream';
import { signOutgoing, type Outgoing, type SignContext, type Signed } from './sign-outgoing';
import { lap, TRACE, traceEnd } from './trace';

export interface AuthorizeContext extends SignContext {
  cache: MaterialCache;
  /** The pages that can be asked for material. */
  roster: PageRoster;
  /** When each identity last forced a session refresh after a 401 from an API, by `${identity}\n${apiName}`. */
  forcedRefreshes: Map<string, number>;
  onBridgeFailure: () => BridgeFailurePolicy;
  /** The offline queue and read cache, for the APIs that turned them on. */
  offline: OfflineHooks;
  /** `debug` is on: log each request (debug-log.ts). */
  debug: () => boolean;
}

type Material = { ok: true; entry: MaterialEntry | undefined } | { ok: false; response: Response };

const BODY_FAILED: unique symbol = Symbol('body read failed');

/** A 401 forces at most one session refresh per identity and API in this window: an API that answers 401 for its own reasons must not cost a Cognito refresh per request. */
const FORCED_REFRESH_INTERVAL_MS = 30_000;

/**
 * The data path for one request to a configured API:
 * page headers → auth material (cached, else asked of a page) → Amplify's decision → sign → send,
 * then at most one retry: with the server's clock after a clock-skew refusal, or with a refreshed
 * session after a 401 to a token the app's headers() supplied. APIs that opted in to offline
 * support serve GETs through the read cache, and queue mutations that find no network.
 */
export function authorizeRequest(ctx: AuthorizeContext, options: RouteHandlerCallbackOptions): Promise<Response> {
  if (!DEBUG || !ctx.debug()) return authorize(ctx, options);
  const log = new RequestLog(options.request, (options.params as unknown as CompiledApi).apiName, (options.event as FetchEvent).clientId, ctx.roster.bridged);
  return log.finish(authorize(ctx, options, log));
}

async function authorize(ctx: AuthorizeContext, { request, event, params, url }: RouteHandlerCallbackOptions, log?: RequestLog): Promise<Response> {
  const api = params as unknown as CompiledApi;
  const fetchEvent = event as FetchEvent;
  if (TRACE) lap(event, 'match');
  // Only media loads of `media` APIs get here with a destination (install-auth-interceptor.ts).
  const fromPage = request.destination === '' ? pageHeaders(request.headers) : mediaHeaders(request.headers);
  const refusal = modeRefusal(api, fromPage);
  if (refusal) return refuseRequest(ctx.reportAuthError, { method: request.method, url: request.url, clientId: fetchEvent.clientId }, api, refusal);
  if (isPresigned(fromPage, url)) {
    log?.decided(api, fromPage, undefined, true);
    // Forwarded byte for byte, less our own header, which no API may see.
    return sendUpstream(AUTH_MODE_HEADER in fromPage ? withoutModeHeader(request) : request);
  }

  // The signature covers these exact bytes, which is how FormData and Blob uploads sign correctly
  // (amplify-js #12638), and having them makes every request replayable for the retries below.
  // A failed read (an erroring stream, an aborted upload) is the page's network error.
  const bodyRead = readBody(request);
  const material = async (forceRefresh: boolean): Promise<Material> => {
    const asked = log ? performance.now() : 0;
    try {
      const got = ctx.cache.get(fetchEvent.clientId, api.apiName, () => loadMaterial(ctx.roster, fetchEvent, api.apiName, forceRefresh), forceRefresh);
      const entry = await got;
      if (TRACE) lap(event, 'material');
      log?.material(got === entry, asked); // the cache answered at once, or a page was asked
      return { ok: true, entry };
    } catch (error) {
      log?.material(false, asked, error);
      const response = bridgeFailure(ctx, fetchEvent, request, api, error);
      return response ? { ok: false, response } : { ok: true, entry: undefined };
    }
  };
  const first = await material(false);
  if (!first.ok) return first.response;
  const body = await bodyRead;
  if (body === BODY_FAILED) return Response.error();
  const out: Outgoing = { method: request.method, url: request.url, fromPage, body, page: request, clientId: fetchEvent.clientId };
  const identity = first.entry?.material.identity;
  const sign = async (entry: MaterialEntry | undefined) => {
    if (TRACE) lap(event, 'decide');
    const signed = await signOutgoing(ctx, api, out, entry);
    if (TRACE) lap(event, 'sign');
    log?.decided(api, fromPage, entry?.material);
    return signed;
  };

  const network: Network = {
    sign: () => sign(first.entry),
    settle: (signed, response) => retryOnce(ctx, api, signed, response, identity, first.entry, material, sign, log),
  };
  const send = async (): Promise<Response> => {
    const signed = await network.sign();
    if (signed instanceof Response) return signed;
    const response = await fetch(signed.request);
    if (TRACE) {
      lap(event, 'upstream');
      traceEnd(event);
    }
    if (OFFLINE) ctx.offline.reached();
    return network.settle(signed, response);
  };

  if (OFFLINE) {
    const offline = ctx.offline.read(api, out, identity, fetchEvent, network) ?? ctx.offline.queueFirst(api, out, identity);
    if (offline) return offline;
  }
  try {
    return await send();
  } catch (error) {
    // fetch() rejects on no network (and on a refused redirect, which looks the same to a worker).
    if (OFFLINE && error instanceof TypeError) return (await ctx.offline.queue(api, out, identity)) ?? Response.error();
    return Response.error();
  }
}

/**
 * At most one retry, and only ever under the identity that sent the page's bytes first, never as
 * whoever signed in or out in the meantime.
 */
async function retryOnce(ctx: AuthorizeContext, api: CompiledApi, first: Signed, response: Response, identity: string | undefined, firstEntry: MaterialEntry | undefined, material: (force: boolean) => Promise<Material>, sign: (entry: MaterialEntry | undefined) => Promise<Signed | Response>, log?: RequestLog): Promise<Response> {
  const again = async (force: boolean): Promise<Response> => {
    const next = await material(force);
    if (!next.ok || next.entry?.material.identity !== identity) return response;
    const signed = await sign(next.entry);
    if (signed instanceof Response) return response;
    log?.retry(first.signed ? 'clock-skew' : 'token-refresh');
    void response.body?.cancel();
    return sendUpstream(signed.request);
  };
  if (first.signed) {
    const offset = clockSkewOffset(response, ctx.clockOffsets.get(api.apiName) ?? 0);
    if (offset === undefined) return response;
    ctx.clockOffsets.set(api.apiName, offset);
    return again(false);
  }
  if (!first.appAuthorization || !refusedByAuthorizer(response)) return response;
  // An expired user-pool token. Another request may have refreshed the session already: then
  // replay with the current material. Otherwise refresh once (Amplify would have on its next
  // fetchAuthSession) and replay.
  const current = await material(false);
  if (current.ok && current.entry?.material.identity !== identity) return response;
  if (current.ok && current.entry !== firstEntry) return again(false);
  const now = Date.now();
  const who = `${identity}\n${api.apiName}`;
  if (now - (ctx.forcedRefreshes.get(who) ?? -Infinity) < FORCED_REFRESH_INTERVAL_MS) return response;
  ctx.forcedRefreshes.set(who, now);
  return again(true);
}

/**
 * A 401 the backend never saw: API Gateway's authorizer refused the token, and its gateway
 * response says so in `x-amzn-ErrorType` (readable when the API exposes it, as for the clock-skew
 * `Date`). A 401 without it may come from a backend that already acted on the body: never replayed.
 */
function refusedByAuthorizer(response: Response): boolean {
  return response.status === 401 && response.headers.get('x-amzn-errortype')?.split(':')[0] === 'UnauthorizedException';
}

function withoutModeHeader(request: Request): Request {
  const headers = new Headers(request.headers);
  headers.delete(AUTH_MODE_HEADER);
  return new Request(request, { headers });
}

function readBody(request: Request): ArrayBuffer | undefined | Promise<ArrayBuffer | undefined | typeof BODY_FAILED> {
  if (request.method === 'GET' || request.method === 'HEAD') return undefined;
  return request.arrayBuffer().then(
    (bytes) => (bytes.byteLength === 0 ? undefined : bytes),
    (): typeof BODY_FAILED => BODY_FAILED,
  );
}

/** Reports the failure; returns the error response to answer with, or undefined to send unauthenticated. */
function bridgeFailure(ctx: AuthorizeContext, event: FetchEvent, request: Request, api: CompiledApi, error: unknown): Response | undefined {
  const policy = ctx.onBridgeFailure();
  const code = error instanceof BridgeError ? error.code : 'bridge-error';
  const message = error instanceof Error ? error.message : String(error);
  const outcome = policy === 'error-response' ? 'error-response' : 'sent-unauthenticated';
  const detail: AuthErrorDetail = { code, message, apiName: api.apiName, url: reportedUrl(request.url), method: request.method, outcome };
  ctx.reportAuthError(event.clientId, detail);
  return policy === 'error-response' ? errorResponse(503, message) : undefined;
}
