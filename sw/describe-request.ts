import type { AuthMaterial, AuthModeName, RequestLogEntry } from '../src/protocol';
import { decideAuth, mergeHeaders } from './decide-auth';

/**
 * Debug only: which row of the README's "How each request is authorized" table applied, from the
 * same inputs and the same decision (decide-auth.ts) as sign-outgoing.ts. Only fixed words come
 * out, never a header value. `forwarded`: the page signed the request itself (isPresigned).
 */
export function describeAuth(fromPage: Readonly<Record<string, string>>, material: AuthMaterial | undefined, forwarded = false): Pick<RequestLogEntry, 'mode' | 'why'> {
  const merged = mergeHeaders(material?.headers ?? {}, fromPage);
  const apiKey = merged['x-api-key'] !== undefined;
  const is = (mode: AuthModeName, why: string) => ({ mode, why });
  if (forwarded) return is('forwarded', merged.authorization?.startsWith('AWS4-HMAC-SHA256 ') ? 'SigV4 Authorization from the page' : 'presigned URL');
  if (decideAuth(merged, material?.credentials !== undefined) === 'sigv4') return is(apiKey ? 'iam+api-key' : 'iam', `identity-pool credentials (${material!.anonymous ? 'guest' : 'signed-in'})`);
  if (merged.authorization) return is('token', `Authorization ${fromPage.authorization ? 'set by the request' : 'from headers()'}`);
  return is(apiKey ? 'api-key' : 'unsigned', material === undefined ? 'no auth material' : material.sessionFailed ? 'fetchAuthSession() failed' : 'no identity-pool credentials');
}

/**
 * The worker's console line for one request, e.g.
 * `amplify-sw-auth: GET https://api.example.com/prod/items/1 → 200 in 41 ms | API items | iam: identity-pool credentials (guest) | material: round-trip 12 ms`
 */
export function formatRequestLog(e: RequestLogEntry): string {
  const parts = [`${e.method} ${e.url} → ${e.status || 'network error'} in ${e.ms} ms`, `API ${e.apiName}`, `${e.mode}: ${e.why}`, `material: ${e.material}${e.materialMs === undefined ? '' : ` ${e.materialMs} ms`}${e.materialError ? ` (${e.materialError})` : ''}`];
  for (const key of ['retry', 'offline'] as const) if (e[key]) parts.push(`${key}: ${e[key]}`);
  return `amplify-sw-auth: ${parts.join(' | ')}`;
}
