/// <reference lib="webworker" />
import type { AuthErrorDetail } from '../src/protocol';
import type { CompiledApi } from './compile-apis';
import { errorResponse } from './error-response';
import type { MaterialEntry } from './material-cache';
import { planAuth } from './plan-auth';
import { refuseRequest } from './refuse-request';
import { reportedUrl } from './report-auth-error';
import { signRequest, type UnsignedRequest } from './sign-request';

/** A request before any auth: a live one from a page, or one the offline queue stored. */
export interface Outgoing {
  method: string;
  url: string;
  /** The headers the page set (lower-case names): they win over the app's `headers()`. */
  fromPage: Record<string, string>;
  body: ArrayBuffer | undefined;
  /** The page's request, whose options (mode, credentials, cache, signal…) a live request keeps. */
  page?: Request;
  /** Who auth errors go to. */
  clientId?: string;
}

export interface SignContext {
  /** Server clock − local clock per API, learnt from clock-skew refusals. */
  clockOffsets: Map<string, number>;
  reportAuthError: (clientId: string | undefined, detail: AuthErrorDetail) => void;
}

export interface Signed {
  request: Request;
  signed: boolean;
  /** The app's `headers()` supplied the Authorization (a token a session refresh can renew). */
  appAuthorization: boolean;
}

/**
 * From material onwards, the one way a request is authorized, live or replayed: the plan
 * (plan-auth.ts: the mode, the app's headers under the page's, Amplify's REST or GraphQL rules),
 * then SigV4 with the material's credentials. Returns the request to send, or the error response to answer with.
 */
export async function signOutgoing(ctx: SignContext, api: CompiledApi, out: Outgoing, entry: MaterialEntry | undefined): Promise<Signed | Response> {
  const plan = planAuth(api, out.fromPage, entry?.material);
  if ('status' in plan) return refuseRequest(ctx.reportAuthError, out, api, plan);
  const merged = plan.headers;
  const unsigned: UnsignedRequest = { method: out.method, url: out.url, headers: merged, body: out.body };
  let headers: HeadersInit = merged;
  if (plan.sign) {
    // An empty Authorization does not stop signing (Amplify tests `!headers.authorization`); the signature replaces it.
    if ('authorization' in merged) delete merged.authorization;
    try {
      headers = await signRequest(unsigned, { credentials: entry!.material.credentials!, signing: api.signing, signingKeys: entry!.signingKeys, clockOffsetMs: ctx.clockOffsets.get(api.apiName) });
    } catch (error) {
      // The signer's own message may quote a credential: only its kind is passed on.
      const message = `amplify-sw-auth: could not SigV4-sign the request to API "${api.apiName}" (${error instanceof Error ? error.name : 'error'}); check the session's credentials.`;
      ctx.reportAuthError(out.clientId, { code: 'signing-failed', message, apiName: api.apiName, url: reportedUrl(out.url), method: out.method, outcome: 'error-response' });
      return errorResponse(500, message);
    }
  }
  return { request: upstreamRequest(out, unsigned, headers, plan.added), signed: plan.sign, appAuthorization: plan.materialAuthorization };
}

/**
 * The request the worker sends. It keeps the page's options, except that a request we put auth
 * on never follows a redirect: Chromium forwards custom and x-amz-* headers across origins, and a
 * worker cannot see where an opaque redirect points. The page gets a network error instead.
 */
function upstreamRequest(out: Outgoing, unsigned: UnsignedRequest, headers: HeadersInit, addedAuth: boolean): Request {
  const page = out.page;
  const redirect = page?.redirect ?? 'follow';
  return new Request(unsigned.url, {
    method: unsigned.method,
    headers,
    body: unsigned.body,
    mode: page?.mode === 'same-origin' ? 'same-origin' : 'cors',
    // A media load is no-cors with credentials 'include' (an <img> without `crossorigin`); sent in
    // CORS mode, cookies would need the API's Access-Control-Allow-Credentials, so it sends none.
    credentials: page?.mode === 'no-cors' ? 'same-origin' : (page?.credentials ?? 'same-origin'),
    cache: page?.cache ?? 'no-store',
    redirect: addedAuth && redirect === 'follow' ? 'error' : redirect,
    ...(page && { referrer: page.referrer, referrerPolicy: page.referrerPolicy, integrity: page.integrity, keepalive: page.keepalive, signal: page.signal }),
  });
}
