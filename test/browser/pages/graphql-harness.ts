// The harness (Amplify configured against the emulators, registerAuthWorker) and the three
// unmodified GraphQL clients on one page, plus Amplify's API.GraphQL config for the AppSync
// emulator. Ready when `body[data-graphql-ready]` is set: both modules have run by then.
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/api';
import { demoHeaders } from '../../../demo/app/amplify-setup';

await import('./harness');
await import('./graphql-clients');

const harness = (window as any).harness;

Object.assign(window, {
  graphqlHarness: {
    /**
     * Amplify.configure() again with `API.GraphQL` (and, unless `rest` is false, the REST APIs), as
     * an app configures it; `headers` becomes the API.GraphQL.headers library option.
     */
    configure(graphql: { defaultAuthMode: string; apiKey?: boolean }, headers?: Record<string, string>, rest = true) {
      const { appsync } = harness.config;
      const current = Amplify.getConfig();
      Amplify.configure(
        { Auth: current.Auth, API: { ...(rest && { REST: current.API?.REST }), GraphQL: { endpoint: appsync.endpoint, region: appsync.region, defaultAuthMode: graphql.defaultAuthMode as any, ...(graphql.apiKey !== false && { apiKey: appsync.apiKey }) } } },
        { API: { REST: { headers: demoHeaders(harness.config) }, ...(headers && { GraphQL: { headers: async () => headers } }) } },
      );
    },
    /** Amplify's own GraphQL client, with a per-request authMode: it puts that mode's headers on in the page. */
    async amplifyWhoami(authMode?: string) {
      const result: any = await generateClient().graphql({ query: '{ whoami { mode principal } }', ...(authMode && { authMode: authMode as any }) });
      return result.data.whoami;
    },
  },
});
document.body.dataset.graphqlReady = 'true';
