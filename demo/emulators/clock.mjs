// The emulated AWS clock: real time plus a settable offset, shared by the API
// emulator (signature dates, Date header, token expiry) and the Cognito proxy
// (credential Expiration), so skew tests move "AWS" and not the client.

/** @typedef {{ now: () => number, date: () => Date, offsetMs: number }} Clock */

/** @returns {Clock} */
export function createClock(offsetMs = 0) {
  return {
    offsetMs,
    now() {
      return Date.now() + this.offsetMs;
    },
    date() {
      return new Date(this.now());
    },
  };
}
