import type { ApiEndpointConfig, AuthMode } from './protocol';

/** The name the GraphQL API goes by in the worker's config, errors and events: Amplify's config key. */
export const GRAPHQL_API_NAME = 'GraphQL';

/** A GraphQL API for the worker, and its API key, which stays with the page until asked for (never stored). */
export interface GraphqlApi {
  config: ApiEndpointConfig;
  apiKey?: string;
}

/** The fields of Amplify's `API.GraphQL` config (@aws-amplify/core singleton/API/types.ts) used here. */
interface GraphqlConfig {
  endpoint?: string;
  region?: string;
  defaultAuthMode?: string;
  apiKey?: string;
  customEndpoint?: string;
  customEndpointRegion?: string;
}

/**
 * Amplify's `API.GraphQL` config as a worker API. Like InternalGraphQLAPI._graphql: a
 * `customEndpoint` takes the place of the AppSync one, and is authorized (signed as `execute-api`)
 * only with a `customEndpointRegion`; without one Amplify adds no auth, so the worker leaves it alone.
 */
export function graphqlApiFromConfig(config: GraphqlConfig | undefined): GraphqlApi | undefined {
  if (config === undefined || config === null || typeof config !== 'object') return undefined;
  const { endpoint, region, defaultAuthMode, apiKey, customEndpoint, customEndpointRegion } = config;
  if (customEndpoint) {
    if (!customEndpointRegion) return undefined;
    return api({ endpoint: customEndpoint, region: customEndpointRegion, service: 'execute-api' }, defaultAuthMode, apiKey);
  }
  if (typeof endpoint !== 'string' || endpoint === '') return undefined;
  return api({ endpoint, ...(region && { region }) }, defaultAuthMode, apiKey);
}

// amplify_outputs.json `data.default_authorization_type` → Amplify's mode (core parseAmplifyOutputs.ts).
const OUTPUTS_MODES: Record<string, AuthMode> = {
  AMAZON_COGNITO_USER_POOLS: 'userPool',
  API_KEY: 'apiKey',
  AWS_IAM: 'iam',
  AWS_LAMBDA: 'lambda',
  OPENID_CONNECT: 'oidc',
};

/** A Gen2 `amplify_outputs.json`'s `data` section, read as Amplify.configure() reads it. */
export function graphqlApiFromOutputs(outputs: unknown): GraphqlApi | undefined {
  const data = (outputs as { data?: Record<string, unknown> } | undefined)?.data;
  if (typeof data !== 'object' || data === null) return undefined;
  const { url, aws_region: region, default_authorization_type: type, api_key: apiKey } = data as Record<string, string | undefined>;
  if (typeof url !== 'string' || url === '') return undefined;
  return graphqlApiFromConfig({ endpoint: url, region, defaultAuthMode: type === undefined ? undefined : (OUTPUTS_MODES[type] ?? type), apiKey });
}

function api(config: ApiEndpointConfig, mode: string | undefined, apiKey: string | undefined): GraphqlApi {
  // Amplify's default is iam (InternalGraphQLAPI). An unknown mode goes to the worker as it is,
  // which rejects the config naming it.
  return { config: { ...config, kind: 'graphql', defaultAuthMode: (mode ?? 'iam') as AuthMode }, ...(apiKey && { apiKey }) };
}
