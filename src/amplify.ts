// Everything that touches aws-amplify lives here, so another session source is one function away.
// aws-amplify is a peer dependency: importing the app's own copy is what makes us see its
// Amplify.configure() (the config is a module singleton).
import * as core from '@aws-amplify/core';
import { Amplify } from 'aws-amplify';
import { fetchAuthSession } from 'aws-amplify/auth';
import { cognitoCredentialsProvider, cognitoUserPoolsTokenProvider, DefaultIdentityIdStore } from 'aws-amplify/auth/cognito';
import { Hub } from 'aws-amplify/utils';
import type { graphqlApiFromConfig } from './graphql-api';
import type { ApiConfigMap } from './protocol';
import type { HeadersFunction } from './types';
import type { Who } from './session-who';

export { fetchAuthSession as amplifyFetchAuthSession };

/** `API.REST` from Amplify.configure(). */
export function amplifyApis(): ApiConfigMap | undefined {
  return Amplify.getConfig().API?.REST as ApiConfigMap | undefined;
}

/** `API.GraphQL` from Amplify.configure() (Gen2 outputs' `data` lands here). */
export function amplifyGraphqlConfig(): Parameters<typeof graphqlApiFromConfig>[0] {
  return Amplify.getConfig().API?.GraphQL;
}

/**
 * The `API.GraphQL.headers` library option. Amplify calls it per operation with `{ query, variables }`;
 * the worker asks once per identity, so it gets neither (both are optional in Amplify's type).
 */
export const amplifyGraphqlHeaders: HeadersFunction = async () => ((await libraryOptions()?.API?.GraphQL?.headers?.()) ?? {}) as Record<string, string>;

/**
 * The `API.REST.headers` library option, read at call time so a later Amplify.configure() counts.
 * aws-amplify >= 6.16 keeps library options on a global context; earlier 6.x on core's Amplify
 * singleton. The exported `Amplify` of aws-amplify exposes neither.
 */
export const amplifyHeaders: HeadersFunction = async ({ apiName }) => (await restOptions()?.headers?.({ apiName })) ?? {};

/** `API.REST.defaultAuthMode: 'none'`: Amplify then never fetches credentials nor signs (api-rest transferHandler). */
export const amplifySkipsCredentials = (): boolean => restOptions()?.defaultAuthMode === 'none';

function libraryOptions() {
  return typeof core.hasGlobalContext === 'function' && core.hasGlobalContext() ? core.getGlobalContext().libraryOptions : core.Amplify.libraryOptions;
}

function restOptions() {
  return libraryOptions()?.API?.REST;
}

/**
 * Who Amplify's stores say this page's user is, read with no network call, for when
 * fetchAuthSession() failed (session-who.ts storedWho): the stored access token's subject (an
 * expired token still names its user), else a guest's stored identity id. Only from Amplify's own
 * providers (aws-amplify Amplify.configure installs them unless the app passes its own Auth
 * providers): a custom provider's store is not ours to guess. Both reads are storage reads
 * (TokenStore.loadTokens, IdentityIdStore.loadIdentityId: a guest id lives in storage, a
 * signed-in user's in memory only).
 */
export async function amplifyStoredIdentity(): Promise<Who> {
  const auth = libraryOptions()?.Auth;
  if (auth?.tokenProvider !== cognitoUserPoolsTokenProvider) return {};
  const tokens = await cognitoUserPoolsTokenProvider.authTokenStore.loadTokens().catch(() => null);
  const sub = tokens?.accessToken?.payload.sub;
  if (typeof sub === 'string') return { sub };
  const config = Amplify.getConfig().Auth;
  if (auth.credentialsProvider !== cognitoCredentialsProvider || !config?.Cognito.identityPoolId || !config.Cognito.allowGuestAccess) return {};
  const store = new DefaultIdentityIdStore(core.defaultStorage);
  store.setAuthConfig(config);
  const identity = await store.loadIdentityId();
  return identity?.type === 'guest' ? { identityId: identity.id } : {};
}

/**
 * Drops Amplify's in-memory identity-pool credentials and identity id. Tokens live in shared
 * storage, but these do not: after a sign-out in another tab, this tab would otherwise ask
 * Cognito for guest credentials on the signed-out user's identity, which Cognito refuses.
 */
export async function clearAmplifyCredentials(): Promise<void> {
  if (typeof core.hasGlobalContext === 'function' && core.hasGlobalContext()) await core.getGlobalContext().clearCredentials();
  else await core.clearCredentials();
}

/** Calls `onChange` on every Hub `auth` event: sign-in, sign-out, token refresh. They fire in this tab only (amplify-js #12820). */
export function onAmplifySessionChange(onChange: (reason: string) => void): () => void {
  return Hub.listen('auth', ({ payload }) => onChange(payload.event));
}
