// Apollo Client, urql and graphql-request, unmodified and bundled into a page
// (pages/graphql-clients.ts), against the AppSync emulator (demo/emulators/appsync.mjs) in each
// engine. These checks need no service worker: they prove the clients, the page and the emulator
// work together, so that the worker's GraphQL tests fail only for the worker's own reasons.
import { describe, expect, it } from 'vitest';
import { emulators, pageUrl, useBrowser } from './harness';
import { appsyncLogged } from './emulator-control';
import type { GraphQLAnswer, GraphQLClients } from './pages/graphql-clients';

const clientsUrl = () => `${pageUrl()}/test/browser/pages/graphql-clients.html`;
const CLIENTS = ['apollo', 'urql', 'graphqlRequest'] as const;
const WHOAMI = '{ whoami { mode principal } }';
const ADD_NOTE = 'mutation AddNote($text: String!) { addNote(text: $text) { text author } }';

type Call = { client: keyof GraphQLClients; query: string; variables?: Record<string, unknown>; headers?: Record<string, string> };

describe('unmodified GraphQL clients reach the AppSync emulator', () => {
  const { open } = useBrowser();

  /** Runs each call in the page, one after the other, with the emulator's endpoint. */
  async function run(calls: Call[]): Promise<GraphQLAnswer[]> {
    const page = await open(clientsUrl());
    return page.evaluate(async ({ endpoint, calls }) => {
      const clients = (window as any).graphqlClients as GraphQLClients;
      const answers = [];
      for (const c of calls) answers.push(await clients[c.client](endpoint, c.query, c.variables, c.headers));
      return answers;
    }, { endpoint: emulators().appsync.endpoint, calls });
  }

  it('with a static x-api-key header, each client runs a query and a mutation as API_KEY', async () => {
    const headers = { 'x-api-key': emulators().appsync.apiKey };
    const before = (await appsyncLogged()).length;
    const answers = await run(CLIENTS.flatMap((client) => [
      { client, query: WHOAMI, headers },
      { client, query: ADD_NOTE, variables: { text: `from ${client}` }, headers },
    ]));
    CLIENTS.forEach((client, i) => {
      expect(answers[2 * i], client).toMatchObject({ data: { whoami: { mode: 'API_KEY', principal: null } } });
      expect(answers[2 * i].errors, client).toBeUndefined();
      expect(answers[2 * i + 1], client).toMatchObject({ data: { addNote: { text: `from ${client}`, author: 'API_KEY' } } });
    });
    const entries = (await appsyncLogged()).slice(before);
    expect(entries.map((e) => [e.method, e.status, e.mode])).toEqual([
      ['POST', 200, 'API_KEY'], ['POST', 200, 'API_KEY'], // Apollo
      ['GET', 200, 'API_KEY'], ['POST', 200, 'API_KEY'], // urql: queries by GET while the URL is short
      ['POST', 200, 'API_KEY'], ['POST', 200, 'API_KEY'], // graphql-request
    ]);
  });

  it('without auth, each client reports the 401 UnauthorizedException as its error', async () => {
    const answers = await run(CLIENTS.map((client) => ({ client, query: WHOAMI })));
    CLIENTS.forEach((client, i) => {
      expect(answers[i], client).toEqual({
        data: null,
        errors: [{ errorType: 'UnauthorizedException', message: 'Valid authorization header not provided.' }],
        status: 401,
      });
    });
  });
});
