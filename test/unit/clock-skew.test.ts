import { describe, expect, it } from 'vitest';
import { clockSkewOffset } from '../../sw/clock-skew';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const refusal = (errorType: string | null, date: string | null, status = 403) =>
  new Response('{}', { status, headers: { ...(errorType && { 'x-amzn-errortype': errorType }), ...(date && { date }) } });

describe('clockSkewOffset (Amplify core signing middleware: isClockSkewError + isClockSkewed)', () => {
  it('reads the offset from Date on a clock-skew refusal 5 minutes or more off', () => {
    expect(clockSkewOffset(refusal('InvalidSignatureException', new Date(NOW + 20 * 60_000).toUTCString()), 0, NOW)).toBe(20 * 60_000);
    expect(clockSkewOffset(refusal('InvalidSignatureException:http://internal.amazon.com/coral/com.amazon.coral.service/', new Date(NOW - 20 * 60_000).toUTCString()), 0, NOW)).toBe(-20 * 60_000);
    expect(clockSkewOffset(refusal('RequestTimeTooSkewed', new Date(NOW + 5 * 60_000).toUTCString()), 0, NOW)).toBe(5 * 60_000);
  });
  it('ignores small skews, other errors, missing or unreadable Date, and successes', () => {
    expect(clockSkewOffset(refusal('InvalidSignatureException', new Date(NOW + 4 * 60_000).toUTCString()), 0, NOW)).toBeUndefined();
    expect(clockSkewOffset(refusal('AccessDeniedException', new Date(NOW + 20 * 60_000).toUTCString()), 0, NOW)).toBeUndefined();
    expect(clockSkewOffset(refusal('InvalidSignatureException', null), 0, NOW)).toBeUndefined();
    expect(clockSkewOffset(refusal('InvalidSignatureException', 'not a date'), 0, NOW)).toBeUndefined();
    expect(clockSkewOffset(refusal(null, new Date(NOW + 20 * 60_000).toUTCString()), 0, NOW)).toBeUndefined();
    expect(clockSkewOffset(refusal('InvalidSignatureException', new Date(NOW + 20 * 60_000).toUTCString(), 200), 0, NOW)).toBeUndefined();
  });
  it('measures against the offset already in use, so a correct offset is not replaced', () => {
    expect(clockSkewOffset(refusal('InvalidSignatureException', new Date(NOW + 20 * 60_000).toUTCString()), 20 * 60_000, NOW)).toBeUndefined();
  });
});
