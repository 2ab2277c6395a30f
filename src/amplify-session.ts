import { amplifyFetchAuthSession, amplifySkipsCredentials, clearAmplifyCredentials } from './amplify';

// What Cognito Identity answers for credentials asked on an identity this tab no longer owns.
const STALE_IDENTITY_ERRORS = new Set(['NotAuthorizedException', 'ResourceNotFoundException']);

/**
 * Amplify's session, as its REST client would fetch it. Amplify keeps the identity id and
 * credentials in memory per tab, tokens in shared storage: after another tab signed out (or in as
 * someone else), this tab asks Cognito for credentials on the old identity, and Cognito refuses.
 * Then drop this tab's copy and ask once more.
 */
export async function amplifySession(options?: { forceRefresh?: boolean }) {
  if (amplifySkipsCredentials()) return {};
  try {
    return await amplifyFetchAuthSession(options);
  } catch (error) {
    if (!STALE_IDENTITY_ERRORS.has((error as Error)?.name)) throw error;
    await clearAmplifyCredentials();
    return amplifyFetchAuthSession(options);
  }
}
