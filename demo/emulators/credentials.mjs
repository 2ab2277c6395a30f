// Registry of identity-pool credentials we issued. moto hands every caller the
// same fixed keys, which would make guest and signed-in requests
// indistinguishable at the API, so the proxy mints its own here.
import { randomBytes, randomInt } from 'node:crypto';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * @typedef {{
 *   accessKeyId: string, secretAccessKey: string, sessionToken: string,
 *   identityId: string, role: 'guest' | 'authenticated',
 *   sub?: string, username?: string, expiration: Date, issuedAt: Date
 * }} IssuedCredentials
 */

function accessKeyId() {
  let s = 'ASIA';
  for (let i = 0; i < 16; i++) s += ALNUM[randomInt(ALNUM.length)];
  return s;
}

/**
 * @param {{ ttlSeconds?: number, now?: () => number }} [opts]
 *   now: the emulated AWS clock, so Expiration and expiry checks agree with it.
 */
export function createCredentialRegistry({ ttlSeconds = 3600, now = Date.now } = {}) {
  /** @type {Map<string, IssuedCredentials>} */
  const byKey = new Map();

  return {
    ttlSeconds,
    /**
     * Fresh credentials on every call, like STS: the previous ones stay valid until they expire.
     * @param {{ identityId: string, role: 'guest' | 'authenticated', sub?: string, username?: string }} who
     * @returns {IssuedCredentials}
     */
    issue(who) {
      const t = now();
      // Forget long-dead keys so a long demo session does not grow without bound.
      for (const [k, c] of byKey) if (c.expiration.getTime() < t - 3600_000) byKey.delete(k);
      /** @type {IssuedCredentials} */
      const creds = {
        accessKeyId: accessKeyId(),
        secretAccessKey: randomBytes(30).toString('base64'),
        sessionToken: randomBytes(96).toString('base64'),
        identityId: who.identityId,
        role: who.role,
        ...(who.sub ? { sub: who.sub } : {}),
        ...(who.username ? { username: who.username } : {}),
        // Whole seconds: the wire format (epoch seconds) cannot carry more.
        expiration: new Date(Math.floor(t / 1000) * 1000 + ttlSeconds * 1000),
        issuedAt: new Date(t),
      };
      byKey.set(creds.accessKeyId, creds);
      return creds;
    },
    /** @param {string} key */
    get(key) {
      return byKey.get(key);
    },
    /** @param {IssuedCredentials} c */
    isExpired(c) {
      return c.expiration.getTime() <= now();
    },
    /**
     * Expire one key (or all) now, to test renewal after ExpiredTokenException.
     * @param {string} [key] @returns {number} how many were expired
     */
    expire(key) {
      const t = new Date(now() - 1000);
      let n = 0;
      for (const c of byKey.values()) {
        if (key === undefined || c.accessKeyId === key) {
          c.expiration = t;
          n++;
        }
      }
      return n;
    },
    /** @returns {IssuedCredentials[]} */
    list() {
      return [...byKey.values()];
    },
    get size() {
      return byKey.size;
    },
  };
}

/** @typedef {ReturnType<typeof createCredentialRegistry>} CredentialRegistry */
