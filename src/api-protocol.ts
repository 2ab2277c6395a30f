/**
 * The APIs part of the wire protocol: what a configured API is, and the auth modes (issue 14).
 * Only `protocol.ts` imports it, and re-exports all of it: both sides still import that one module.
 */

/**
 * Amplify v6's auth modes (`GraphQLAuthMode` of @aws-amplify/core; `identityPool` is its alias of
 * `iam`). REST knows `iam` and `none` (`API.REST.defaultAuthMode`).
 */
export const AUTH_MODES = ['iam', 'identityPool', 'userPool', 'apiKey', 'oidc', 'lambda', 'none'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];
export const REST_AUTH_MODES: readonly AuthMode[] = ['iam', 'identityPool', 'none'];

/**
 * A request header naming the auth mode for this one request: Amplify's per-request `authMode`,
 * for code that cannot call Amplify. The worker applies it and removes it before sending, so the
 * API never sees it and a CORS preflight does not grow.
 */
export const AUTH_MODE_HEADER = 'x-amplify-auth-mode';

/** One API: a REST API as in Amplify's `API.REST[apiName]`, or a GraphQL API as in `API.GraphQL`. */
export interface ApiEndpointConfig {
  /** Absolute http(s) URL: origin plus optional stage path, e.g. `https://abc.execute-api.us-east-1.amazonaws.com/prod`. */
  endpoint: string;
  /** SigV4 region for hosts that do not name one. Amplify's default: `us-east-1`. */
  region?: string;
  /** SigV4 service for hosts that do not name one. Amplify's default: `execute-api` (REST), `appsync` (GraphQL). */
  service?: string;
  /** `'graphql'` for an AppSync GraphQL endpoint, authorized as Amplify's GraphQL client does. Default `'rest'`. */
  kind?: 'rest' | 'graphql';
  /** GraphQL only: the mode of a request that names none (Amplify's `API.GraphQL.defaultAuthMode`). Default `'iam'`. */
  defaultAuthMode?: AuthMode;
  /**
   * Authorize `<img>`, `<video>`, `<audio>` and CSS `url()` loads of this API's URLs (GET only):
   * the worker fetches them in CORS mode with auth added and answers with the result. Default off.
   */
  media?: boolean;
}

/** The APIs by name, as in Amplify's `API.REST` config (plus, for GraphQL, an entry with `kind: 'graphql'`). */
export type ApiConfigMap = Record<string, ApiEndpointConfig>;
