// Clock skew, as Amplify's signing middleware handles it (core clients/middleware/signing):
// a signature more than 5 minutes off the server's clock is refused with one of these codes, and
// the server's `Date` tells the offset to sign with. Amplify forgets the offset after each
// request; the worker remembers it per API, so only the first request pays the retry.
const SKEW_WINDOW_MS = 5 * 60 * 1000;

// core clients/middleware/retry/isClockSkewError.ts
const CLOCK_SKEW_CODES = new Set(['AuthFailure', 'InvalidSignatureException', 'RequestExpired', 'RequestInTheFuture', 'RequestTimeTooSkewed', 'SignatureDoesNotMatch', 'BadRequestException']);

/**
 * The offset (server clock − local clock, ms) to sign with, if `response` refused a signature
 * because the clocks differ by 5 minutes or more; otherwise undefined. The `Date` header is only
 * readable cross-origin when the API exposes it (amplify-js #13493).
 */
export function clockSkewOffset(response: Response, currentOffsetMs: number, now = Date.now()): number | undefined {
  if (response.status !== 403 && response.status !== 401 && response.status !== 400) return undefined;
  // API Gateway sends e.g. "InvalidSignatureException:http://internal.amazon.com/coral/..."
  const code = response.headers.get('x-amzn-errortype')?.split(':')[0];
  if (code === undefined || !CLOCK_SKEW_CODES.has(code)) return undefined;
  const serverTime = Date.parse(response.headers.get('date') ?? '');
  if (Number.isNaN(serverTime)) return undefined;
  return Math.abs(now + currentOffsetMs - serverTime) >= SKEW_WINDOW_MS ? serverTime - now : undefined;
}
