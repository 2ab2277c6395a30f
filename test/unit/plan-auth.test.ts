import { describe, expect, it } from 'vitest';
import type { AuthMaterial } from '../../src/protocol';
import { compileApis } from '../../sw/compile-apis';
import { planAuth, type AuthPlan, type AuthRefusal } from '../../sw/plan-auth';

const [graphql] = compileApis({ GraphQL: { endpoint: 'https://abc.appsync-api.eu-west-1.amazonaws.com/graphql', region: 'eu-west-1', kind: 'graphql', defaultAuthMode: 'userPool' } });
const [rest] = compileApis({ items: { endpoint: 'https://abc.execute-api.eu-west-1.amazonaws.com/prod' } });
const credentials = { accessKeyId: 'AKID', secretAccessKey: 'secret', sessionToken: 'session' };
const full: AuthMaterial = { identity: 'i', headers: {}, credentials, accessToken: 'access.token.jwt', apiKey: 'da2-key' };
const plan = (api = graphql, fromPage: Record<string, string> = {}, material: AuthMaterial | undefined = full) => planAuth(api, fromPage, material) as AuthPlan;
const refusal = (api = graphql, fromPage: Record<string, string> = {}, material: AuthMaterial | undefined = full) => planAuth(api, fromPage, material) as AuthRefusal;

describe('planAuth: GraphQL, as Amplify v6 api-graphql', () => {
  it('signs with SigV4 for service appsync in the config region', () => {
    expect(graphql.signing).toEqual({ service: 'appsync', region: 'eu-west-1' });
    expect(plan(graphql, { 'x-amplify-auth-mode': 'iam' })).toMatchObject({ headers: {}, sign: true });
    expect(plan(graphql, { 'x-amplify-auth-mode': 'identityPool' })).toMatchObject({ sign: true });
  });

  it('gives each mode its header: the raw access token (no Bearer), the API key, the request\'s own Lambda token, nothing', () => {
    expect(plan()).toMatchObject({ headers: { authorization: 'access.token.jwt' }, sign: false, materialAuthorization: true });
    expect(plan(graphql, { 'x-amplify-auth-mode': 'oidc' }).headers).toEqual({ authorization: 'access.token.jwt' });
    expect(plan(graphql, { 'x-amplify-auth-mode': 'apiKey' })).toMatchObject({ headers: { 'x-api-key': 'da2-key' }, sign: false });
    expect(plan(graphql, { 'x-amplify-auth-mode': 'lambda', authorization: 'lambda-token' })).toMatchObject({ headers: { authorization: 'lambda-token' }, sign: false, materialAuthorization: false });
    expect(plan(graphql, { 'x-amplify-auth-mode': 'none' })).toMatchObject({ headers: {}, sign: false, added: false });
  });

  it('lets API.GraphQL.headers() and then the request\'s own headers override the mode\'s', () => {
    const material = { ...full, headers: { authorization: 'from-library', 'x-tenant': 'a' } };
    expect(plan(graphql, {}, material).headers).toEqual({ authorization: 'from-library', 'x-tenant': 'a' });
    expect(plan(graphql, { authorization: 'mine', 'x-tenant': 'b' }, material)).toMatchObject({ headers: { authorization: 'mine', 'x-tenant': 'b' }, materialAuthorization: false });
  });

  it('applies IAM only when neither authorization nor x-api-key is left', () => {
    const iam = { 'x-amplify-auth-mode': 'iam' };
    expect(plan(graphql, { ...iam, 'x-api-key': 'k' })).toMatchObject({ sign: false, headers: { 'x-api-key': 'k' } });
    expect(plan(graphql, { ...iam, authorization: 't' })).toMatchObject({ sign: false });
    expect(plan(graphql, iam, { ...full, headers: { 'x-api-key': 'lib' } })).toMatchObject({ sign: false });
    // apiKey and none never sign, even with credentials and no auth header left.
    expect(plan(graphql, { 'x-amplify-auth-mode': 'apiKey', 'x-api-key': '' })).toMatchObject({ sign: false });
  });

  it('refuses, naming the fix, when the session cannot supply the mode (Amplify throws there)', () => {
    expect(refusal(graphql, { 'x-amplify-auth-mode': 'apiKey' }, { ...full, apiKey: undefined })).toMatchObject({ status: 401, code: 'auth-mode-unavailable', errorType: 'NoApiKey' });
    expect(refusal(graphql, { 'x-amplify-auth-mode': 'iam' }, { ...full, credentials: undefined })).toMatchObject({ errorType: 'NoCredentials', message: expect.stringMatching(/in iam mode: .*identity-pool credentials/) });
    expect(refusal(graphql, {}, { ...full, accessToken: undefined })).toMatchObject({ errorType: 'NoValidAuthTokens', message: expect.stringMatching(/no user is signed in/) });
    expect(refusal(graphql, { 'x-amplify-auth-mode': 'lambda' })).toMatchObject({ errorType: 'NoAuthorizationHeader' });
  });

  it('sends a request that carries its own credential as it is (Amplify\'s own generateClient() decided its mode in the page)', () => {
    const material = { ...full, headers: { 'x-tenant': 'a' } };
    // generateClient() with authMode apiKey while the default is userPool and nobody is signed in.
    expect(plan(graphql, { 'x-api-key': 'da2-other' }, { ...material, accessToken: undefined })).toEqual({ headers: { 'x-tenant': 'a', 'x-api-key': 'da2-other' }, sign: false, materialAuthorization: false, added: true });
    expect(plan(graphql, { authorization: 'lambda-token' }, material)).toMatchObject({ headers: { authorization: 'lambda-token' }, sign: false });
    // generateClient() with authMode none: no credential, only Amplify's user agent. A legacy client's request without one gets the default mode.
    const amplifyUserAgent = { 'x-amz-user-agent': 'aws-amplify/6.16.0 api/6 framework/0' };
    expect(plan(graphql, amplifyUserAgent, material)).toEqual({ headers: { 'x-tenant': 'a', ...amplifyUserAgent }, sign: false, materialAuthorization: false, added: true });
    expect(plan(graphql, { 'x-amz-user-agent': 'my-app/1.0' }, material).headers).toMatchObject({ authorization: 'access.token.jwt' });
    // The mode header still decides when present.
    expect(plan(graphql, { 'x-amplify-auth-mode': 'userPool', 'x-api-key': 'k' }, material).headers).toMatchObject({ authorization: 'access.token.jwt', 'x-api-key': 'k' });
    expect(plan(graphql, { 'x-amplify-auth-mode': 'iam', ...amplifyUserAgent }, material)).toMatchObject({ sign: true });
  });

  it('sends the request with its own headers when the session could not be read, rather than refuse it as signed out', () => {
    const failed = { identity: 'i', headers: {}, sessionFailed: true as const };
    for (const mode of ['iam', 'userPool', 'oidc']) expect(plan(graphql, { 'x-amplify-auth-mode': mode, 'x-tenant': 't' }, failed)).toEqual({ headers: { 'x-tenant': 't' }, sign: false, materialAuthorization: false, added: false });
    // An API key or a Lambda token never came from the session: still refused without one.
    expect(refusal(graphql, { 'x-amplify-auth-mode': 'apiKey' }, failed)).toMatchObject({ errorType: 'NoApiKey' });
  });

  it('never passes the mode header on', () => {
    for (const mode of ['iam', 'userPool', 'apiKey', 'none']) expect(plan(graphql, { 'x-amplify-auth-mode': mode }).headers).not.toHaveProperty('x-amplify-auth-mode');
    expect(plan(rest, { 'x-amplify-auth-mode': 'none' }).headers).not.toHaveProperty('x-amplify-auth-mode');
  });
});

describe('planAuth: REST modes and the mode header', () => {
  it('keeps Amplify REST\'s decision by default and for iam; none sends the merged headers unsigned', () => {
    const material = { ...full, headers: { 'x-api-key': 'k' } };
    expect(plan(rest, {}, material)).toMatchObject({ sign: true, headers: { 'x-api-key': 'k' } });
    expect(plan(rest, { 'x-amplify-auth-mode': 'iam' }, material)).toMatchObject({ sign: true });
    expect(plan(rest, { 'x-amplify-auth-mode': 'none' }, material)).toMatchObject({ sign: false, headers: { 'x-api-key': 'k' } });
  });

  it('refuses an unknown or non-REST mode with a 400 that lists the modes', () => {
    expect(refusal(rest, { 'x-amplify-auth-mode': 'userPool' })).toMatchObject({ status: 400, code: 'bad-auth-mode' });
    expect(refusal(rest, { 'x-amplify-auth-mode': 'userPool' }).message).toMatch(/use one of iam, none\. REST APIs take/);
    expect(refusal(graphql, { 'x-amplify-auth-mode': 'IAM' }).message).toMatch(/"IAM" is not an auth mode of API "GraphQL"; use one of iam, userPool, apiKey, oidc, lambda, none\.$/);
  });

  it('sends only the request\'s own headers when there is no material (the page did not answer)', () => {
    expect(planAuth(graphql, { 'x-amplify-auth-mode': 'apiKey', 'x-tenant': 't' }, undefined)).toEqual({ headers: { 'x-tenant': 't' }, sign: false, materialAuthorization: false, added: false });
  });
});

describe('compileApis: GraphQL and media fields', () => {
  it('checks kind, defaultAuthMode and media', () => {
    expect(() => compileApis({ g: { endpoint: 'https://x.example/graphql', kind: 'soap' as never } })).toThrow(/`kind` must be 'rest' or 'graphql'/);
    expect(() => compileApis({ g: { endpoint: 'https://x.example/graphql', kind: 'graphql', defaultAuthMode: 'cognito' as never } })).toThrow(/`defaultAuthMode` must be one of iam, identityPool, userPool/);
    expect(() => compileApis({ g: { endpoint: 'https://x.example/p', media: 'yes' as never } })).toThrow(/`media` must be true or false/);
    // A REST API takes REST's modes only: userPool would silently sign.
    expect(() => compileApis({ r: { endpoint: 'https://x.example/p', defaultAuthMode: 'userPool' } })).toThrow(/must be one of iam, identityPool, none for a REST API \(GraphQL modes need kind: 'graphql'\)/);
    expect(compileApis({ g: { endpoint: 'https://x.example/graphql', kind: 'graphql' } })[0]).toMatchObject({ defaultAuthMode: 'iam', signing: { service: 'appsync', region: 'us-east-1' }, media: false });
  });
});
