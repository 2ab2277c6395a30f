import type { AuthErrorDetail } from '../src/protocol';
import type { CompiledApi } from './compile-apis';
import { errorResponse } from './error-response';
import type { AuthRefusal } from './plan-auth';
import { reportedUrl } from './report-auth-error';

/** Answers a request the worker will not send as asked, and tells the page's onAuthError why. */
export function refuseRequest(
  report: (clientId: string | undefined, detail: AuthErrorDetail) => void,
  request: { method: string; url: string; clientId?: string },
  api: CompiledApi,
  refusal: AuthRefusal,
): Response {
  report(request.clientId, { code: refusal.code, message: refusal.message, apiName: api.apiName, url: reportedUrl(request.url), method: request.method, outcome: 'error-response' });
  return errorResponse(refusal.status, refusal.message, api.kind === 'graphql' ? refusal.errorType : undefined);
}
