/// <reference lib="webworker" />
import type { RouteHandlerCallbackOptions } from 'workbox-core/types';
import type { AuthErrorDetail, BridgeFailurePolicy } from '../src/protocol';
import { askPage, BridgeError, pickClient } from './ask-page';
import type { CompiledApi } from './compile-apis';
import { decideAuth, isPresigned, mergeHeaders } from './decide-auth';
import type { MaterialCache, MaterialEntry } from './material-cache';
import { pageHeaders } from './page-headers';
import { signRequest, type UnsignedRequest } from './sign-request';

export interface AuthorizeContext {
  cache: MaterialCache;
  /** Client ids of pages whose bridge has spoken to this worker. */
  bridged: ReadonlySet<string>;
  bridgeTimeoutMs: () => number;
  onBridgeFailure: () => BridgeFailurePolicy;
  reportAuthError: (event: FetchEvent, detail: AuthErrorDetail) => void;
}

/**
 * The data path for one request to a configured API:
 * page headers → auth material (cached, else asked of a page) → Amplify's decision → sign → send.
 */
export async function authorizeRequest(ctx: AuthorizeContext, { request, event, params, url }: RouteHandlerCallbackOptions): Promise<Response> {
  const api = params as unknown as CompiledApi;
  const fetchEvent = event as FetchEvent;
  const fromPage = pageHeaders(request.headers);
  if (isPresigned(fromPage, url)) return fetch(request);

  // Read the body while the material is fetched; the signature covers these exact bytes,
  // which is how FormData and Blob uploads sign correctly (amplify-js #12638).
  const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : request.arrayBuffer();

  let entry: MaterialEntry | undefined;
  try {
    entry = await ctx.cache.get(api.apiName, () => loadMaterial(ctx, fetchEvent, api.apiName));
  } catch (error) {
    const policy = ctx.onBridgeFailure();
    const code = error instanceof BridgeError ? error.code : 'bridge-error';
    const message = error instanceof Error ? error.message : String(error);
    ctx.reportAuthError(fetchEvent, { code, message, apiName: api.apiName, url: request.url, method: request.method, outcome: policy === 'error-response' ? 'error-response' : 'sent-unauthenticated' });
    if (policy === 'error-response') return errorResponse(503, message);
  }

  const merged = mergeHeaders(entry?.material.headers ?? {}, fromPage);
  const credentials = entry?.material.credentials;
  const unsigned: UnsignedRequest = { method: request.method, url: request.url, headers: merged, body: await readBody(body) };
  let headers: HeadersInit = merged;
  if (decideAuth(merged, credentials !== undefined) === 'sigv4') {
    try {
      headers = await signRequest(unsigned, { credentials: credentials!, signing: api.signing, signingKeys: entry!.signingKeys });
    } catch (error) {
      const message = `amplify-sw-auth: could not SigV4-sign the request to API "${api.apiName}": ${error instanceof Error ? error.message : String(error)}`;
      ctx.reportAuthError(fetchEvent, { code: 'signing-failed', message, apiName: api.apiName, url: request.url, method: request.method, outcome: 'error-response' });
      return errorResponse(500, message);
    }
  }
  const addedAuth = entry !== undefined && (credentials !== undefined || Object.keys(entry.material.headers).length > 0);
  return fetch(upstreamRequest(request, unsigned, headers, addedAuth));
}

async function loadMaterial(ctx: AuthorizeContext, event: FetchEvent, apiName: string) {
  const client = await pickClient(event, ctx.bridged);
  if (client === undefined) {
    throw new BridgeError('no-bridge', `amplify-sw-auth: no open page can supply auth material for API "${apiName}" (call registerAuthWorker() in the page).`);
  }
  return askPage(client, apiName, ctx.bridgeTimeoutMs());
}

async function readBody(body: Promise<ArrayBuffer> | undefined): Promise<ArrayBuffer | undefined> {
  const bytes = await body;
  return bytes === undefined || bytes.byteLength === 0 ? undefined : bytes;
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
