/// <reference lib="webworker" />
import type { RouteHandlerCallbackOptions } from 'workbox-core/types';
import type { AuthErrorDetail, BridgeFailurePolicy } from '../src/protocol';
import { BridgeError } from './ask-page';
import { clockSkewOffset } from './clock-skew';
import type { CompiledApi } from './compile-apis';
import { decideAuth, isPresigned, mergeHeaders } from './decide-auth';
import { loadMaterial, type PageRoster } from './load-material';
import type { MaterialCache, MaterialEntry } from './material-cache';
import { pageHeaders } from './page-headers';
import { sendUpstream } from './send-upstream';
import { signRequest, type UnsignedRequest } from './sign-request';
import { lap, TRACE, traceEnd } from './trace';

export interface AuthorizeContext {
  cache: MaterialCache;
  /** The pages that can be asked for material. */
  roster: PageRoster;
  /** Server clock − local clock per API, learnt from clock-skew refusals. */
  clockOffsets: Map<string, number>;
  /** When each identity last forced a session refresh after a 401 from an API, by `${identity}\n${apiName}`. */
  forcedRefreshes: Map<string, number>;
  onBridgeFailure: () => BridgeFailurePolicy;
  reportAuthError: (event: FetchEvent, detail: AuthErrorDetail) => void;
}

type Prepared = { ok: true; request: Request; signed: boolean; appAuthorization: boolean; entry: MaterialEntry | undefined } | { ok: false; response: Response };

const BODY_FAILED: unique symbol = Symbol('body read failed');

/** A 401 forces at most one session refresh per identity and API in this window: an API that answers 401 for its own reasons must not cost a Cognito refresh per request. */
const FORCED_REFRESH_INTERVAL_MS = 30_000;

/**
 * The data path for one request to a configured API:
 * page headers → auth material (cached, else asked of a page) → Amplify's decision → sign → send,
 * then at most one retry: with the server's clock after a clock-skew refusal, or with a refreshed
 * session after a 401 to a token the app's headers() supplied.
 */
export async function authorizeRequest(ctx: AuthorizeContext, { request, event, params, url }: RouteHandlerCallbackOptions): Promise<Response> {
  const api = params as unknown as CompiledApi;
  const fetchEvent = event as FetchEvent;
  if (TRACE) lap(event, 'match');
  const fromPage = pageHeaders(request.headers);
  if (isPresigned(fromPage, url)) return sendUpstream(request);

  // The signature covers these exact bytes, which is how FormData and Blob uploads sign correctly
  // (amplify-js #12638), and having them makes every request replayable for the retries below.
  // A failed read (an erroring stream, an aborted upload) is the page's network error.
  const body = readBody(request).catch((): typeof BODY_FAILED => BODY_FAILED);
  const prepare = async (forceRefresh: boolean): Promise<Prepared> => {
    let entry: MaterialEntry | undefined;
    if (TRACE) lap(event, 'decide');
    try {
      entry = await ctx.cache.get(fetchEvent.clientId, api.apiName, () => loadMaterial(ctx.roster, fetchEvent, api.apiName, forceRefresh), forceRefresh);
      if (TRACE) lap(event, 'material');
    } catch (error) {
      const response = bridgeFailure(ctx, fetchEvent, request, api, error);
      if (response) return { ok: false, response };
    }
    const appHeaders = entry?.material.headers ?? {};
    const merged = mergeHeaders(appHeaders, fromPage);
    if (TRACE) lap(event, 'decide');
    const bytes = await body;
    if (bytes === BODY_FAILED) return { ok: false, response: Response.error() };
    const unsigned: UnsignedRequest = { method: request.method, url: request.url, headers: merged, body: bytes };
    if (TRACE) lap(event, 'body');
    const credentials = entry?.material.credentials;
    let headers: HeadersInit = merged;
    const signed = decideAuth(merged, credentials !== undefined) === 'sigv4';
    if (signed) {
      // An empty Authorization does not stop signing (Amplify tests `!headers.authorization`); the signature replaces it.
      if ('authorization' in merged) delete merged.authorization;
      try {
        headers = await signRequest(unsigned, { credentials: credentials!, signing: api.signing, signingKeys: entry!.signingKeys, clockOffsetMs: ctx.clockOffsets.get(api.apiName) });
        if (TRACE) lap(event, 'sign');
      } catch (error) {
        // The signer's own message may quote a credential: only its kind is passed on.
        const message = `amplify-sw-auth: could not SigV4-sign the request to API "${api.apiName}" (${error instanceof Error ? error.name : 'error'}); check the session's credentials.`;
        ctx.reportAuthError(fetchEvent, { code: 'signing-failed', message, apiName: api.apiName, url: reportedUrl(url), method: request.method, outcome: 'error-response' });
        return { ok: false, response: errorResponse(500, message) };
      }
    }
    const addedAuth = signed || Object.keys(appHeaders).length > 0;
    const appAuthorization = fromPage.authorization === undefined && Boolean(appHeaders.authorization);
    return { ok: true, request: upstreamRequest(request, unsigned, headers, addedAuth), signed, appAuthorization, entry };
  };

  const first = await prepare(false);
  if (!first.ok) return first.response;
  const response = await sendUpstream(first.request);
  if (TRACE) {
    lap(event, 'upstream');
    traceEnd(event);
  }

  // A retry replays the page's bytes: only ever under the identity that sent them first, never as
  // whoever signed in or out in the meantime.
  const sameIdentity = (next: Prepared) => next.ok && next.entry?.material.identity === first.entry?.material.identity;
  if (first.signed) {
    const offset = clockSkewOffset(response, ctx.clockOffsets.get(api.apiName) ?? 0);
    if (offset !== undefined) {
      ctx.clockOffsets.set(api.apiName, offset);
      return retry(prepare(false), response, sameIdentity);
    }
  } else if (first.appAuthorization && refusedByAuthorizer(response)) {
    // An expired user-pool token. Another request may have refreshed the session already: then
    // replay with the current material. Otherwise refresh once (Amplify would have on its next
    // fetchAuthSession) and replay.
    const again = await prepare(false);
    if (again.ok && !sameIdentity(again)) return response;
    if (again.ok && again.entry !== first.entry) return retry(Promise.resolve(again), response, sameIdentity);
    const now = Date.now();
    const who = `${first.entry?.material.identity}\n${api.apiName}`;
    if (now - (ctx.forcedRefreshes.get(who) ?? -Infinity) < FORCED_REFRESH_INTERVAL_MS) return response;
    ctx.forcedRefreshes.set(who, now);
    return retry(prepare(true), response, sameIdentity);
  }
  return response;
}

/**
 * A 401 the backend never saw: API Gateway's authorizer refused the token, and its gateway
 * response says so in `x-amzn-ErrorType` (readable when the API exposes it, as for the clock-skew
 * `Date`). A 401 without it may come from a backend that already acted on the body: never replayed.
 */
function refusedByAuthorizer(response: Response): boolean {
  return response.status === 401 && response.headers.get('x-amzn-errortype')?.split(':')[0] === 'UnauthorizedException';
}

async function retry(prepared: Promise<Prepared>, previous: Response, allowed: (next: Prepared) => boolean): Promise<Response> {
  const next = await prepared;
  if (!next.ok || !allowed(next)) return previous;
  void previous.body?.cancel();
  return sendUpstream(next.request);
}

/** The URL as auth events carry it: a query may hold a token, so it is left out. */
export const reportedUrl = (url: URL): string => url.origin + url.pathname;

function readBody(request: Request): Promise<ArrayBuffer | undefined> {
  if (request.method === 'GET' || request.method === 'HEAD') return Promise.resolve(undefined);
  return request.arrayBuffer().then((bytes) => (bytes.byteLength === 0 ? undefined : bytes));
}

/** Reports the failure; returns the error response to answer with, or undefined to send unauthenticated. */
function bridgeFailure(ctx: AuthorizeContext, event: FetchEvent, request: Request, api: CompiledApi, error: unknown): Response | undefined {
  const policy = ctx.onBridgeFailure();
  const code = error instanceof BridgeError ? error.code : 'bridge-error';
  const message = error instanceof Error ? error.message : String(error);
  const outcome = policy === 'error-response' ? 'error-response' : 'sent-unauthenticated';
  ctx.reportAuthError(event, { code, message, apiName: api.apiName, url: reportedUrl(new URL(request.url)), method: request.method, outcome });
  return policy === 'error-response' ? errorResponse(503, message) : undefined;
}

/**
 * The request the worker sends. It keeps the page's options, except that a request we put auth
 * on never follows a redirect: Chromium forwards custom and x-amz-* headers across origins, and a
 * worker cannot see where an opaque redirect points. The page gets a network error instead.
 */
function upstreamRequest(page: Request, unsigned: UnsignedRequest, headers: HeadersInit, addedAuth: boolean): Request {
  return new Request(unsigned.url, {
    method: unsigned.method,
    headers,
    body: unsigned.body,
    mode: page.mode === 'same-origin' ? 'same-origin' : 'cors',
    credentials: page.credentials,
    cache: page.cache,
    redirect: addedAuth && page.redirect === 'follow' ? 'error' : page.redirect,
    referrer: page.referrer,
    referrerPolicy: page.referrerPolicy,
    integrity: page.integrity,
    keepalive: page.keepalive,
    signal: page.signal,
  });
}

function errorResponse(status: number, message: string): Response {
  return new Response(JSON.stringify({ message }), {
    status,
    headers: { 'content-type': 'application/json', 'x-amplify-sw-auth-error': '1' },
  });
}
