// Headers a page script cannot set (Fetch "forbidden request header names") are added by the
// browser, and the browser adds them again to the worker's own fetch, possibly with other values:
// Chromium shows the worker `sec-ch-ua*` client hints that its own fetch() does not send. Signing
// them would make every signature invalid, so only headers the page could have set go upstream.
const FORBIDDEN = new Set([
  'accept-charset', 'accept-encoding', 'access-control-request-headers', 'access-control-request-method',
  'connection', 'content-length', 'cookie', 'cookie2', 'date', 'dnt', 'expect', 'host', 'keep-alive',
  'origin', 'referer', 'set-cookie', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'user-agent', 'via',
]);

// Headers that are themselves a credential: a request whose page set one chose its own auth, so
// the offline queue must not store it (a token at rest) nor the read cache file it under our identity.
const OWN_CREDENTIALS = ['authorization', 'x-api-key', 'x-amz-security-token'];

/** The credential header the page set itself, if any (names lower-case, as pageHeaders gives them). */
export const ownCredential = (fromPage: Readonly<Record<string, string>>): string | undefined => OWN_CREDENTIALS.find((name) => name in fromPage);

/** The request's headers that the page itself set, as a plain object (names are already lower-case). */
export function pageHeaders(headers: Headers): Record<string, string> {
  const result: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (!FORBIDDEN.has(name) && !name.startsWith('sec-') && !name.startsWith('proxy-')) result[name] = value;
  });
  return result;
}

/**
 * The headers a media load (`media: true`) takes upstream: only the browser's `Range`. Page script
 * cannot set headers on an `<img>` or a `<video>`, and media stacks add their own that a strict
 * API CORS config refuses (WebKitGTK's GStreamer sends `Icy-MetaData: 1`).
 */
export function mediaHeaders(headers: Headers): Record<string, string> {
  const range = headers.get('range');
  return range === null ? {} : { range };
}
