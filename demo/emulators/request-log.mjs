// The request log of an emulated API, read by tests through its control URL: one entry per request
// that reached it (status, who it authenticated, auth headers seen by name, never their values).
// It also applies the server-side network cut (network-switch.mjs): a refused request is logged
// with `cut: true` and status 0 and does not count in `count` (requests that reached the API).

const LOG_MAX = 5000;

/**
 * @param {{ name: string, clock: import('./clock.mjs').Clock, network: import('./network-switch.mjs').NetworkSwitch, quiet: boolean }} opts
 *   name: the prefix of this API's lines on stderr when not quiet
 */
export function createRequestLog({ name, clock, network, quiet }) {
  /** @type {Record<string, unknown>[]} */
  let entries = [];
  let count = 0;
  const push = (/** @type {Record<string, unknown>} */ entry) => {
    entries.push(entry);
    if (entries.length > LOG_MAX) entries = entries.slice(-LOG_MAX);
  };
  return {
    get count() {
      return count;
    },
    get entries() {
      return entries;
    },
    clear() {
      entries = [];
    },
    /**
     * Call first for every non-control request. Returns false when the network cut refused it (the
     * caller must then do nothing more); otherwise numbers `entry` and logs it once the answer is
     * done, with its status (`aborted` when the client left first).
     * @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res
     * @param {Record<string, unknown>} entry
     */
    admit(req, res, entry) {
      if (network.cut('api', req)) {
        push({ ...entry, time: clock.date().toISOString(), ...(req.method === 'OPTIONS' ? { preflight: true } : {}), cut: true });
        return false;
      }
      entry.n = ++count;
      entry.time = clock.date().toISOString();
      if (req.headers.origin) entry.origin = req.headers.origin;
      res.on('close', () => {
        entry.status = res.statusCode;
        if (!res.writableFinished) entry.aborted = true;
        push(entry);
        if (!quiet) console.error(`[${name}] ${req.method} ${entry.path} -> ${res.statusCode}${entry.error ? ` ${entry.error}` : ''}`);
      });
      return true;
    },
  };
}

/** @typedef {ReturnType<typeof createRequestLog>} RequestLog */
