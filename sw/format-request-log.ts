import type { RequestLogEntry } from '../src/protocol';

/**
 * The worker's console line for one request, e.g.
 * `amplify-sw-auth: GET https://api.example.com/prod/items/1 → 200 in 41 ms | API items | iam: identity-pool credentials (guest) | material: round-trip 12 ms`
 */
export function formatRequestLog(e: RequestLogEntry): string {
  const parts = [`${e.method} ${e.url} → ${e.status || 'network error'} in ${e.ms} ms`, `API ${e.apiName}`, `${e.mode}: ${e.why}`, `material: ${e.material}${e.materialMs === undefined ? '' : ` ${e.materialMs} ms`}${e.materialError ? ` (${e.materialError})` : ''}`];
  for (const key of ['retry', 'offline'] as const) if (e[key]) parts.push(`${key}: ${e[key]}`);
  return `amplify-sw-auth: ${parts.join(' | ')}`;
}
