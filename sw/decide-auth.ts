/**
 * Amplify v6 REST precedence, as in api-rest `apis/common/publicApis.ts` and
 * `utils/isIamAuthApplicable.ts`:
 *   headers = { ...await API.REST.headers({ apiName }), ...request headers }, keys lower-cased,
 *   so a per-request value wins whatever its casing; then SigV4-sign only when the merged
 *   headers hold no `authorization` and credentials exist. `x-api-key` does not stop signing
 *   (aws-amplify >= 6.5.3, amplify-js #13310).
 */
export type AuthDecision =
  /** Sign with the session's identity-pool credentials. */
  | 'sigv4'
  /** Send the merged headers as they are (token, API key, custom token, or nothing). */
  | 'headers';

export function mergeHeaders(appHeaders: Readonly<Record<string, string>>, requestHeaders: Readonly<Record<string, string>>): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const name in appHeaders) merged[name.toLowerCase()] = appHeaders[name];
  for (const name in requestHeaders) merged[name.toLowerCase()] = requestHeaders[name];
  return merged;
}

export function decideAuth(merged: Readonly<Record<string, string>>, hasCredentials: boolean): AuthDecision {
  // Amplify tests `!headers.authorization`: an empty value does not stop signing.
  if (merged.authorization) return 'headers';
  return hasCredentials ? 'sigv4' : 'headers';
}

/**
 * The page signed the request itself (Amplify's own `get/post`, a presigned URL): it is forwarded
 * byte for byte, since adding headers or re-signing would only break it.
 */
export function isPresigned(requestHeaders: Readonly<Record<string, string>>, url: URL): boolean {
  const authorization = requestHeaders.authorization;
  if (authorization !== undefined && authorization.startsWith('AWS4-HMAC-SHA256 ')) return true;
  return url.search !== '' && url.searchParams.has('X-Amz-Signature');
}
