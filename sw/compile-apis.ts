import { AUTH_MODES, REST_AUTH_MODES, type ApiConfigMap, type AuthMode } from '../src/protocol';
import { resolveSigningInfo, type SigningInfo } from './signing-info';

/** One configured API, validated and pre-computed once per config so the hot path only compares strings. */
export interface CompiledApi {
  apiName: string;
  origin: string;
  /** Endpoint path without trailing slash; '' for an endpoint at the origin root. */
  pathPrefix: string;
  signing: SigningInfo;
  /** Authorized as Amplify's GraphQL client does (an AppSync endpoint), else as its REST client. */
  kind: 'rest' | 'graphql';
  /** GraphQL: the mode of a request that names none. */
  defaultAuthMode: AuthMode;
  /** `<img>`, media and CSS loads of this API are authorized too. */
  media: boolean;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Validates the page's `API.REST` config and compiles it, longest path prefix first,
 * so that overlapping endpoints resolve to the most specific API.
 * Throws an Error naming the API and the problem; a bad config is never half-applied.
 */
export function compileApis(apis: unknown): CompiledApi[] {
  if (typeof apis !== 'object' || apis === null || Array.isArray(apis)) {
    throw new Error('amplify-sw-auth: `apis` must be an object of { [apiName]: { endpoint } } (Amplify API.REST).');
  }
  const entries = Object.entries(apis as ApiConfigMap);
  if (entries.length === 0) {
    throw new Error('amplify-sw-auth: no REST APIs configured. Pass `apis`, or call Amplify.configure({ API: { REST: { ... } } }) first.');
  }
  const compiled = entries.map(([apiName, api]) => compileApi(apiName, api));
  const seen = new Map<string, string>();
  for (const api of compiled) {
    const key = api.origin + api.pathPrefix;
    const other = seen.get(key);
    if (other !== undefined) {
      throw new Error(`amplify-sw-auth: APIs "${other}" and "${api.apiName}" have the same endpoint ${key}; a request could not tell which headers() to use. Give each API its own endpoint, or remove one.`);
    }
    seen.set(key, api.apiName);
  }
  return compiled.sort((a, b) => b.pathPrefix.length - a.pathPrefix.length);
}

function compileApi(apiName: string, api: unknown): CompiledApi {
  const where = `amplify-sw-auth: API "${apiName}"`;
  if (typeof api !== 'object' || api === null) throw new Error(`${where} must be an object with an \`endpoint\`.`);
  const { endpoint, region, service, kind = 'rest', defaultAuthMode = 'iam', media = false } = api as Record<string, unknown>;
  if (typeof endpoint !== 'string' || endpoint === '') throw new Error(`${where} has no \`endpoint\`: set it to the API's absolute URL, e.g. https://abc123.execute-api.us-east-1.amazonaws.com/prod.`);
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new Error(`${where}: endpoint "${endpoint}" is not an absolute URL (a relative one is ambiguous inside a worker): write it in full.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`${where}: endpoint "${endpoint}" must use https (got ${url.protocol}).`);
  }
  // Plain http would expose session tokens on the wire; allow it only for local emulators.
  if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname)) {
    throw new Error(`${where}: endpoint "${endpoint}" uses http on a non-loopback host; auth material is only sent over https (or to localhost): use https.`);
  }
  if (url.username || url.password) throw new Error(`${where}: endpoint "${endpoint}" must not contain credentials: remove the user:password@ part.`);
  if (url.search || url.hash) throw new Error(`${where}: endpoint "${endpoint}" must not have a query or fragment: remove them.`);
  // An encoded separator, dot or percent, or a `;` parameter, would make the prefix mean one thing
  // to us and another to a server that decodes it (see leavesApi); an allowlist entry must not be
  // widened that way.
  if (/%2f|%5c|%2e|%25|;/i.test(url.pathname)) throw new Error(`${where}: endpoint "${endpoint}" has an encoded "/", "\\", "." or "%", or a ";", in its path; write the path decoded.`);
  for (const [name, value] of [['region', region], ['service', service]] as const) {
    if (value !== undefined && (typeof value !== 'string' || value === '')) {
      throw new Error(`${where}: \`${name}\` must be a non-empty string.`);
    }
  }
  if (kind !== 'rest' && kind !== 'graphql') throw new Error(`${where}: \`kind\` must be 'rest' or 'graphql', got ${JSON.stringify(kind)}.`);
  const modes = kind === 'graphql' ? AUTH_MODES : REST_AUTH_MODES;
  if (!modes.includes(defaultAuthMode as AuthMode)) throw new Error(`${where}: \`defaultAuthMode\` must be one of ${modes.join(', ')}${kind === 'rest' ? ' for a REST API (GraphQL modes need kind: \'graphql\')' : ''}, got ${JSON.stringify(defaultAuthMode)}.`);
  if (typeof media !== 'boolean') throw new Error(`${where}: \`media\` must be true or false.`);
  return {
    apiName,
    origin: url.origin,
    pathPrefix: url.pathname.replace(/\/+$/, ''),
    signing: kind === 'graphql' ? graphqlSigning(url, region as string | undefined, service as string | undefined) : resolveSigningInfo(url, region as string | undefined, service as string | undefined),
    kind,
    defaultAuthMode: defaultAuthMode === 'identityPool' ? 'iam' : (defaultAuthMode as AuthMode),
    media,
  };
}

/**
 * Amplify's GraphQL client signs as service `appsync` in the config's region (InternalGraphQLAPI
 * signingServiceInfo), falling back to what the host names when the config has no region.
 */
function graphqlSigning(url: URL, region: string | undefined, service: string | undefined): SigningInfo {
  return { service: service ?? 'appsync', region: region ?? resolveSigningInfo(url).region };
}
