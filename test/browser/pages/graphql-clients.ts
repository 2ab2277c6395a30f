// Three GraphQL clients as a legacy app uses them, unmodified: each configured with nothing but the
// endpoint URL and optional static headers (no custom fetch, no auth link), so whatever auth a
// request carries comes from the headers given here or from the service worker. The browser tests
// drive them through `window.graphqlClients`; each call returns the same summary of the answer.
import './record'; // first: console, errors and responses for drivers without browser events (WebKit)
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';
import { Client, fetchExchange } from '@urql/core';
import { ClientError, GraphQLClient } from 'graphql-request';
import { parse, type DocumentNode } from 'graphql';

/** What a client got: the data, the GraphQL errors (AppSync's errorType kept), the HTTP status when the client exposes it. */
export interface GraphQLAnswer {
  data: unknown;
  errors?: { message: string; errorType?: string }[];
  status?: number;
}

type Run = (endpoint: string, query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) => Promise<GraphQLAnswer>;

const isMutation = (doc: DocumentNode) => doc.definitions.some((d) => d.kind === 'OperationDefinition' && d.operation === 'mutation');

/** AppSync's `errorType` is a top-level member of each error; clients keep the raw object in different places. */
function summarize(errors: readonly any[] | undefined): GraphQLAnswer['errors'] {
  if (!errors?.length) return undefined;
  return errors.map((e) => {
    const errorType = e.errorType ?? e.originalError?.errorType ?? e.extensions?.errorType;
    return { message: e.message, ...(errorType ? { errorType } : {}) };
  });
}

const bodyErrors = (bodyText: string) => {
  try {
    return JSON.parse(bodyText).errors;
  } catch {
    return [{ message: bodyText }];
  }
};

const apollo: Run = async (endpoint, query, variables, headers) => {
  const client = new ApolloClient({ link: new HttpLink({ uri: endpoint, headers }), cache: new InMemoryCache() });
  const doc = gql(query);
  try {
    const result = isMutation(doc)
      ? await client.mutate({ mutation: doc, variables })
      : await client.query({ query: doc, variables, fetchPolicy: 'no-cache' });
    return { data: result.data ?? null };
  } catch (e) {
    // Apollo 4: a non-2xx answer is a ServerError with the body as text; errors in a 200 are CombinedGraphQLErrors.
    if (ServerError.is(e)) return { data: null, errors: summarize(bodyErrors(e.bodyText)), status: e.statusCode };
    if (CombinedGraphQLErrors.is(e)) return { data: e.data ?? null, errors: summarize(e.errors) };
    throw e;
  } finally {
    client.stop();
  }
};

const urql: Run = async (endpoint, query, variables, headers) => {
  // urql's default sends queries by GET when the URL is short enough, mutations by POST.
  const client = new Client({ url: endpoint, exchanges: [fetchExchange], fetchOptions: { headers } });
  const doc = parse(query);
  const result = isMutation(doc) ? await client.mutation(doc, variables ?? {}).toPromise() : await client.query(doc, variables ?? {}).toPromise();
  const error = result.error;
  if (error?.networkError && !error.graphQLErrors.length) throw error.networkError;
  const status = (error?.response as Response | undefined)?.status;
  return { data: result.data ?? null, ...(error ? { errors: summarize(error.graphQLErrors) } : {}), ...(status ? { status } : {}) };
};

const graphqlRequest: Run = async (endpoint, query, variables, headers) => {
  const client = new GraphQLClient(endpoint, { headers });
  try {
    const result = await client.rawRequest(query, variables);
    return { data: result.data ?? null, ...(result.errors ? { errors: summarize(result.errors) } : {}), status: result.status };
  } catch (e) {
    if (e instanceof ClientError) return { data: e.response.data ?? null, errors: summarize(e.response.errors), status: e.response.status };
    throw e;
  }
};

const graphqlClients = { apollo, urql, graphqlRequest };
export type GraphQLClients = typeof graphqlClients;

Object.assign(window, { graphqlClients });
document.body.dataset.ready = 'true';
