import { AUTH_MODE_HEADER, type AuthMaterial, type AuthModeName, type RequestLogEntry } from '../src/protocol';
import type { CompiledApi } from './compile-apis';
import { planAuth, requestChoseAuth } from './plan-auth';

/**
 * Debug only: which row of the README's "How each request is authorized" table applied, from the
 * same inputs and the same plan (plan-auth.ts) as sign-outgoing.ts. Only fixed words come out,
 * never a header value. `forwarded`: the page signed the request itself (isPresigned).
 */
export function describeAuth(api: CompiledApi, fromPage: Readonly<Record<string, string>>, material: AuthMaterial | undefined, forwarded = false): Pick<RequestLogEntry, 'mode' | 'why'> {
  const is = (mode: AuthModeName, why: string) => ({ mode, why: fromPage[AUTH_MODE_HEADER] === undefined ? why : `${why}; ${AUTH_MODE_HEADER}` });
  if (forwarded) return is('forwarded', fromPage.authorization?.startsWith('AWS4-HMAC-SHA256 ') ? 'SigV4 Authorization from the page' : 'presigned URL');
  const plan = planAuth(api, fromPage, material);
  if ('status' in plan) return is('none', `refused: ${plan.code}`);
  const { headers } = plan;
  const apiKey = headers['x-api-key'] !== undefined;
  const name: AuthModeName = plan.sign ? (apiKey ? 'iam+api-key' : 'iam') : headers.authorization ? 'token' : apiKey ? 'api-key' : 'unsigned';
  // GraphQL: the mode decided (graphqlAuth.ts); the README's GraphQL table says what each sends.
  if (api.kind === 'graphql' && material !== undefined && requestChoseAuth(fromPage)) return is(name, 'chosen by the request (its own credential, or Amplify\'s client)');
  if (api.kind === 'graphql') return is(name, `${fromPage[AUTH_MODE_HEADER] ?? api.defaultAuthMode} mode${plan.sign ? ` (${material!.anonymous ? 'guest' : 'signed-in'})` : ''}`);
  if (plan.sign) return is(apiKey ? 'iam+api-key' : 'iam', `identity-pool credentials (${material!.anonymous ? 'guest' : 'signed-in'})`);
  if (headers.authorization) return is('token', `Authorization ${fromPage.authorization ? 'set by the request' : 'from headers()'}`);
  if (material === undefined) return is(name, 'no auth material');
  return is(name, material.sessionFailed ? 'fetchAuthSession() failed' : material.credentials ? 'none mode' : 'no identity-pool credentials');
}
