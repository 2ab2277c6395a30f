import { AUTH_MODE_HEADER, AUTH_MODES, REST_AUTH_MODES, type AuthMaterial, type AuthMode } from '../src/protocol';
import type { CompiledApi } from './compile-apis';
import { decideAuth, mergeHeaders } from './decide-auth';

/** What goes out: the headers, and whether to SigV4-sign them with the material's credentials. */
export interface AuthPlan {
  headers: Record<string, string>;
  sign: boolean;
  /** The Authorization sent came from the material (headers() or the session's token): a refreshed session can renew it. */
  materialAuthorization: boolean;
  /** The material added something (a header, a signature): such a request never follows a redirect. */
  added: boolean;
}

/** The request cannot be authorized as asked; the worker answers it with this instead. */
export interface AuthRefusal {
  status: number;
  code: 'bad-auth-mode' | 'auth-mode-unavailable';
  /** Amplify's GraphQLApiError `name` (api-graphql utils/errors/constants.ts), or BadRequestException. */
  errorType: string;
  message: string;
}

/**
 * How a request to `api` is authorized: Amplify's REST rules (decide-auth.ts), or its GraphQL
 * ones (api-graphql InternalGraphQLAPI._graphql and graphqlAuth.ts headerBasedAuth):
 *   headers = { ...auth headers of the mode, ...API.GraphQL.headers(), ...the request's own },
 *   then SigV4 (service appsync) only in iam, userPool, oidc or lambda mode and only when neither
 *   `authorization` nor `x-api-key` is left (api-rest isIamAuthApplicable, GraphQL variant).
 * The mode is the request's `x-amplify-auth-mode` header, else the API's default; the header
 * itself never goes out. Without material (the page did not answer, and the policy says send
 * unauthenticated) the request goes out with its own headers only.
 */
export function planAuth(api: CompiledApi, fromPage: Readonly<Record<string, string>>, material: AuthMaterial | undefined): AuthPlan | AuthRefusal {
  const { [AUTH_MODE_HEADER]: requested, ...own } = fromPage;
  const refusal = modeRefusal(api, fromPage);
  if (refusal) return refusal;
  const mode = requested === undefined ? api.defaultAuthMode : alias(requested as AuthMode);
  if (material === undefined) return { headers: { ...own }, sign: false, materialAuthorization: false, added: false };
  if (api.kind === 'rest') return restPlan(own, material, mode);
  // The request chose its own credential (Amplify's own generateClient() applies its per-request
  // authMode in the page; a legacy client's static key or token): as REST does with a request's
  // own Authorization, it goes out under the app's headers, unsigned. So does one from an Amplify
  // client with no credential: it decided on none (authMode 'none', or iam with no credentials),
  // since for any other mode it throws rather than send. The mode header overrides.
  if (requestChoseAuth(fromPage)) {
    return { headers: mergeHeaders(material.headers, own), sign: false, materialAuthorization: false, added: Object.keys(material.headers).length > 0 };
  }
  const modeHeaders = graphqlModeHeaders(mode, own, material);
  // The session could not be read (no network, Cognito unreachable): what it lacks is not known to
  // be missing, so the request goes out with its own headers, as REST's does, rather than be
  // refused as "not signed in"; offline it then fails as the network error and may be queued.
  if (modeHeaders instanceof Unavailable && material.sessionFailed && (mode === 'iam' || mode === 'userPool' || mode === 'oidc')) {
    return { headers: mergeHeaders(material.headers, own), sign: false, materialAuthorization: false, added: Object.keys(material.headers).length > 0 };
  }
  if (modeHeaders instanceof Unavailable) {
    return { status: 401, code: 'auth-mode-unavailable', errorType: modeHeaders.errorType, message: `amplify-sw-auth: API "${api.apiName}" in ${mode} mode: ${modeHeaders.why}` };
  }
  const headers = mergeHeaders(mergeHeaders(modeHeaders, material.headers), own);
  const sign = mode !== 'apiKey' && mode !== 'none' && !headers.authorization && !headers['x-api-key'] && material.credentials !== undefined;
  const authorizationFromMaterial = own.authorization === undefined && headers.authorization !== undefined;
  return { headers, sign, materialAuthorization: authorizationFromMaterial, added: sign || Object.keys(modeHeaders).length + Object.keys(material.headers).length > 0 };
}

/** REST: `none` skips credentials (API.REST.defaultAuthMode 'none'); otherwise Amplify's decision. */
function restPlan(own: Record<string, string>, material: AuthMaterial, mode: AuthMode): AuthPlan {
  const headers = mergeHeaders(material.headers, own);
  const sign = mode !== 'none' && decideAuth(headers, material.credentials !== undefined) === 'sigv4';
  const fromApp = Object.keys(material.headers).length > 0;
  return { headers, sign, materialAuthorization: own.authorization === undefined && Boolean(material.headers.authorization), added: sign || fromApp };
}

/** Why the session cannot supply a mode's headers: Amplify's error name, and what to do. */
class Unavailable {
  constructor(
    readonly errorType: string,
    readonly why: string,
  ) {}
}

/** The auth headers of a GraphQL mode (graphqlAuth.ts headerBasedAuth). */
function graphqlModeHeaders(mode: AuthMode, own: Record<string, string>, material: AuthMaterial): Record<string, string> | Unavailable {
  const refuse = (errorType: string, why: string) => new Unavailable(errorType, why);
  switch (mode) {
    case 'apiKey':
      return material.apiKey ? { 'x-api-key': material.apiKey } : refuse('NoApiKey', 'the config has no API key. Set API.GraphQL.apiKey (Gen2: an apiKey authorization mode in amplify/data/resource.ts).');
    case 'iam':
      return material.credentials ? {} : refuse('NoCredentials', 'the session has no identity-pool credentials. Sign in, or allow guest access in the identity pool.');
    case 'userPool':
    case 'oidc':
      return material.accessToken ? { authorization: material.accessToken } : refuse('NoValidAuthTokens', 'no user is signed in, so there is no access token. Sign in first, or send this request in another mode.');
    case 'lambda':
      // Amplify takes the Lambda authorizer's token only from the request (authToken or its headers).
      return own.authorization ? { authorization: own.authorization } : refuse('NoAuthorizationHeader', 'lambda mode needs the app\'s token in the request\'s own Authorization header.');
    default:
      return {};
  }
}

/** A refusal when the request's `x-amplify-auth-mode` names no mode of this API: never a silent fallback. */
export function modeRefusal(api: CompiledApi, fromPage: Readonly<Record<string, string>>): AuthRefusal | undefined {
  const requested = fromPage[AUTH_MODE_HEADER];
  if (requested === undefined || (api.kind === 'graphql' ? AUTH_MODES : REST_AUTH_MODES).includes(requested as AuthMode)) return undefined;
  const allowed = (api.kind === 'graphql' ? AUTH_MODES : REST_AUTH_MODES).filter((m) => m !== 'identityPool');
  const hint = api.kind === 'rest' && AUTH_MODES.includes(requested as AuthMode) ? ' REST APIs take Amplify REST\'s modes; send a token in Authorization or a key in x-api-key instead.' : '';
  return { status: 400, code: 'bad-auth-mode', errorType: 'BadRequestException', message: `amplify-sw-auth: ${AUTH_MODE_HEADER}: ${JSON.stringify(requested.slice(0, 40))} is not an auth mode of API "${api.apiName}"; use one of ${allowed.join(', ')}.${hint}` };
}

const alias = (mode: AuthMode): AuthMode => (mode === 'identityPool' ? 'iam' : mode);

/**
 * A GraphQL request with no mode header that carries its own credential, or comes from Amplify's
 * client (which names itself in x-amz-user-agent, "aws-amplify/<version> ...", InternalGraphQLAPI).
 */
export function requestChoseAuth(fromPage: Readonly<Record<string, string>>): boolean {
  if (fromPage[AUTH_MODE_HEADER] !== undefined) return false;
  return fromPage.authorization !== undefined || fromPage['x-api-key'] !== undefined || fromPage['x-amz-user-agent']?.startsWith('aws-amplify/') === true;
}
