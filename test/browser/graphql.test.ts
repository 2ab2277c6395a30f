// AppSync GraphQL through the worker (issue 14, capabilities 1 and 2): unmodified Apollo Client,
// urql and graphql-request, configured with nothing but the endpoint, get Amplify v6 GraphQL's
// auth for each mode (api-graphql graphqlAuth.ts, InternalGraphQLAPI.ts), found in
// Amplify.getConfig().API.GraphQL by registerAuthWorker() with no options.
import { describe, expect, it } from 'vitest';
import type { TestPage } from './driver';
import { appsyncLogged } from './emulator-control';
import { emulators, pageUrl, signIn, useBrowser } from './harness';
import type { GraphQLAnswer, GraphQLClients } from './pages/graphql-clients';

const CLIENTS = ['apollo', 'urql', 'graphqlRequest'] as const;
const WHOAMI = '{ whoami { mode principal tokenUse } }';
const ADD_NOTE = 'mutation AddNote($text: String!) { addNote(text: $text) { author } }';

type Setup = { defaultAuthMode: string; apiKey?: boolean; headers?: Record<string, string>; rest?: boolean };

describe('AppSync GraphQL through the worker', () => {
  const { open } = useBrowser();

  /** The GraphQL harness with Amplify's API.GraphQL set, registered with no options. */
  async function registered(setup: Setup): Promise<TestPage> {
    const page = await open(`${pageUrl()}/test/browser/pages/graphql-harness.html`, { waitFor: 'body[data-graphql-ready]' });
    await page.evaluate(async ({ defaultAuthMode, apiKey, headers, rest }) => {
      (window as any).graphqlHarness.configure({ defaultAuthMode, apiKey }, headers, rest);
      await (window as any).harness.register();
    }, setup);
    return page;
  }

  /** Each client runs `query` with only these static headers. */
  const each = (page: TestPage, query: string, headers?: Record<string, string>, variables?: Record<string, unknown>): Promise<GraphQLAnswer[]> =>
    page.evaluate(async ({ clients, endpoint, query, headers, variables }) => {
      const all = (window as any).graphqlClients as GraphQLClients;
      const answers = [];
      for (const c of clients) answers.push(await all[c](endpoint, query, variables, headers));
      return answers;
    }, { clients: [...CLIENTS], endpoint: emulators().appsync.endpoint, query, headers, variables });

  it('apiKey (the default here): X-Api-Key from API.GraphQL.apiKey, for queries (urql: by GET) and mutations', async () => {
    const page = await registered({ defaultAuthMode: 'apiKey' });
    const before = (await appsyncLogged()).length;
    for (const answer of await each(page, WHOAMI)) expect(answer).toMatchObject({ data: { whoami: { mode: 'API_KEY' } } });
    for (const answer of await each(page, ADD_NOTE, undefined, { text: 'n' })) expect(answer).toMatchObject({ data: { addNote: { author: 'API_KEY' } } });
    const entries = (await appsyncLogged()).slice(before);
    expect(entries.map((e) => [e.method, e.mode])).toEqual([['POST', 'API_KEY'], ['GET', 'API_KEY'], ['POST', 'API_KEY'], ['POST', 'API_KEY'], ['POST', 'API_KEY'], ['POST', 'API_KEY']]);
  });

  it('iam: SigV4 for service appsync as the guest, then as the signed-in user; an app with only a GraphQL API registers', async () => {
    const page = await registered({ defaultAuthMode: 'iam', rest: false });
    const guest = await each(page, WHOAMI);
    for (const answer of guest) expect(answer).toMatchObject({ data: { whoami: { mode: 'AWS_IAM' } } });
    await signIn(page, 'alice');
    const alice = await each(page, WHOAMI);
    for (const answer of alice) expect(answer).toMatchObject({ data: { whoami: { mode: 'AWS_IAM' } } });
    // One guest identity for the three guest requests, another (alice's) after sign-in.
    expect(new Set(guest.map((a: any) => a.data.whoami.principal)).size).toBe(1);
    expect(new Set(alice.map((a: any) => a.data.whoami.principal)).size).toBe(1);
    expect((alice[0] as any).data.whoami.principal).not.toBe((guest[0] as any).data.whoami.principal);
  });

  it('userPool: the raw access token in Authorization once signed in; before, a 401 that names the fix', async () => {
    const page = await registered({ defaultAuthMode: 'userPool' });
    const before = (await appsyncLogged()).length;
    const signedOut = await each(page, WHOAMI);
    for (const answer of signedOut) expect(answer).toMatchObject({ errors: [{ errorType: 'NoValidAuthTokens', message: expect.stringContaining('no user is signed in') }] });
    expect((await appsyncLogged()).length).toBe(before); // answered by the worker, never sent
    await signIn(page, 'alice');
    for (const answer of await each(page, WHOAMI)) expect(answer).toMatchObject({ data: { whoami: { mode: 'AMAZON_COGNITO_USER_POOLS', principal: 'alice', tokenUse: 'access' } } });
    // oidc sends the session's access token the same way (Amplify's OIDC provider is a token provider).
    for (const answer of await each(page, WHOAMI, { 'x-amplify-auth-mode': 'oidc' })) expect(answer).toMatchObject({ data: { whoami: { principal: 'alice', tokenUse: 'access' } } });
  });

  it('lambda: the request\'s own token is sent; without one, a 401 naming the fix', async () => {
    const page = await registered({ defaultAuthMode: 'lambda' });
    const token = Object.keys(emulators().appsync.lambdaTokens).find((t) => emulators().appsync.lambdaTokens[t] === 'bob')!;
    for (const answer of await each(page, WHOAMI, { Authorization: token })) expect(answer).toMatchObject({ data: { whoami: { mode: 'AWS_LAMBDA', principal: 'bob' } } });
    for (const answer of await each(page, WHOAMI)) expect(answer).toMatchObject({ errors: [{ errorType: 'NoAuthorizationHeader' }] });
  });

  it('none: no auth at all, so AppSync refuses', async () => {
    const page = await registered({ defaultAuthMode: 'none' });
    const before = (await appsyncLogged()).length;
    for (const answer of await each(page, WHOAMI)) expect(answer).toMatchObject({ status: 401, errors: [{ errorType: 'UnauthorizedException' }] });
    for (const e of (await appsyncLogged()).slice(before)) expect(e.seen).toMatchObject({ authorization: false, xApiKey: false, xAmzDate: false });
  });

  it('x-amplify-auth-mode picks the mode per request and never reaches AppSync (its CORS would refuse it)', async () => {
    const page = await registered({ defaultAuthMode: 'userPool' });
    const before = (await appsyncLogged()).length;
    for (const answer of await each(page, WHOAMI, { 'x-amplify-auth-mode': 'apiKey' })) expect(answer).toMatchObject({ data: { whoami: { mode: 'API_KEY' } } });
    for (const answer of await each(page, WHOAMI, { 'X-Amplify-Auth-Mode': 'iam' })) expect(answer).toMatchObject({ data: { whoami: { mode: 'AWS_IAM' } } });
    const entries = (await appsyncLogged()).slice(before);
    expect(entries).toHaveLength(6);
    for (const e of entries) expect(e.seen.headerNames).not.toContain('x-amplify-auth-mode');
    const refused = await page.evaluate(async (endpoint) => {
      const r = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json', 'x-amplify-auth-mode': 'cognito' }, body: JSON.stringify({ query: '{ whoami { mode } }' }) });
      return { status: r.status, body: await r.json() };
    }, emulators().appsync.endpoint);
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0]).toMatchObject({ errorType: 'BadRequestException', message: expect.stringContaining('use one of iam, userPool, apiKey, oidc, lambda, none') });
  });

  it('Amplify\'s own generateClient() keeps its per-request authMode through the worker', async () => {
    // Default userPool, nobody signed in: Amplify's client sends the API key itself for authMode apiKey.
    const page = await registered({ defaultAuthMode: 'userPool' });
    expect(await page.evaluate(() => (window as any).graphqlHarness.amplifyWhoami('apiKey'))).toMatchObject({ mode: 'API_KEY' });
    await signIn(page, 'alice');
    expect(await page.evaluate(() => (window as any).graphqlHarness.amplifyWhoami('apiKey'))).toMatchObject({ mode: 'API_KEY' });
    expect(await page.evaluate(() => (window as any).graphqlHarness.amplifyWhoami())).toMatchObject({ mode: 'AMAZON_COGNITO_USER_POOLS', principal: 'alice' });
    // authMode 'none' adds no auth header, only Amplify's x-amz-user-agent: it goes out as Amplify
    // sends it, unauthenticated, not as alice under the default mode. AppSync's 401 reaches Amplify's
    // client, which reports it as its UNAUTHORIZED error.
    const none = await page.evaluate(() => (window as any).graphqlHarness.amplifyWhoami('none').then(() => 'answered', (e: any) => JSON.stringify(e?.errors ?? e)));
    expect(none).toMatch(/^\[\{"message":"Unauthorized","recoverySuggestion":"If you're calling an Amplify-generated API/);
  });

  it('precedence: API.GraphQL.headers() and then the request\'s headers override the mode\'s; IAM only without authorization or x-api-key', async () => {
    // iam mode, but headers() supplies an API key: Amplify then does not sign.
    const page = await registered({ defaultAuthMode: 'iam', headers: { 'x-api-key': emulators().appsync.apiKey } });
    for (const answer of await each(page, WHOAMI)) expect(answer).toMatchObject({ data: { whoami: { mode: 'API_KEY' } } });
    // userPool mode with alice signed in: the request's own Authorization (bob's Lambda token) wins over her access token.
    const pool = await registered({ defaultAuthMode: 'userPool' });
    await signIn(pool, 'alice');
    const bob = Object.keys(emulators().appsync.lambdaTokens).find((t) => emulators().appsync.lambdaTokens[t] === 'bob')!;
    for (const answer of await each(pool, WHOAMI, { Authorization: bob })) expect(answer).toMatchObject({ data: { whoami: { mode: 'AWS_LAMBDA', principal: 'bob' } } });
  });
});
