import type { ApiConfigMap } from './protocol';

/** One REST API as Amplify Gen2 apps add it to `amplify_outputs.json` with `backend.addOutput({ custom: { API } })`. */
export interface OutputsRestApi {
  /** The stage URL, often with a trailing slash: `https://abc.execute-api.us-west-2.amazonaws.com/prod/`. */
  endpoint: string;
  /** The API's region; an execute-api host names its own, which wins (Amplify's parseSigningInfo). */
  region?: string;
  /** The API's name; the key it is listed under is the name used. */
  apiName?: string;
}

/**
 * The parsed `amplify_outputs.json` of an Amplify Gen2 backend: only `custom.API` is read here;
 * everything else is Amplify.configure()'s business.
 */
export interface AmplifyOutputsLike {
  /** Outputs an app added with `backend.addOutput({ custom })`; REST APIs under `API`. */
  custom?: {
    /** The REST APIs, by name. */
    API?: Record<string, OutputsRestApi>;
  } & Record<string, unknown>;
  /** Every other section (`auth`, `data`, `storage`, `version`, ...), as Amplify.configure() reads them. */
  [section: string]: unknown;
}

const ADD_OUTPUT = 'backend.addOutput({ custom: { API: { [api.restApiName]: { endpoint: api.url, region, apiName: api.restApiName } } } }) in amplify/backend.ts';

/**
 * The REST APIs of Gen2 outputs (none for a GraphQL-only backend), keyed by their `custom.API` name, as Amplify's REST client would
 * be configured after the documented hand merge into `API.REST` (amplify-js #12743): Amplify's
 * parseAmplifyConfig never reads `custom.API`. A trailing slash is fine: the worker matches a path
 * prefix on segment boundaries. Throws an Error naming the problem and the fix.
 */
export function restApisFromOutputs(outputs: unknown): ApiConfigMap {
  if (typeof outputs !== 'object' || outputs === null || Array.isArray(outputs)) {
    throw new Error('`outputs` must be the parsed amplify_outputs.json object (import outputs from "./amplify_outputs.json").');
  }
  const api = (outputs as AmplifyOutputsLike).custom?.API;
  // A backend with only a GraphQL API (`data`) has no REST API to add: graphql-api.ts reads it.
  if (api === undefined && typeof (outputs as { data?: { url?: unknown } }).data?.url === 'string') return {};
  if (api === undefined) {
    throw new Error(`\`outputs\` has neither custom.API nor data, so it names no API. Add a REST API with ${ADD_OUTPUT}, then run ampx sandbox (or deploy) again.`);
  }
  if (typeof api !== 'object' || api === null || Array.isArray(api)) {
    throw new Error('`outputs.custom.API` must be an object of { [apiName]: { endpoint, region } }.');
  }
  return Object.fromEntries(
    Object.entries(api).map(([name, entry]) => {
      const { endpoint, region } = (entry ?? {}) as Partial<OutputsRestApi>;
      if (typeof endpoint !== 'string' || endpoint === '') throw new Error(`\`outputs.custom.API.${name}\` has no \`endpoint\` string; ${ADD_OUTPUT} sets it.`);
      return [name, { endpoint, ...(typeof region === 'string' && region !== '' && { region }) }];
    }),
  );
}
