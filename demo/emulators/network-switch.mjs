// A server-side network cut, shared by the API Gateway emulator and the Cognito proxy.
//
// Why server-side: browser offline emulation does not reach service workers in Firefox (puppeteer's
// setOfflineMode leaves the worker's own fetch online) nor WebKit (no offline emulation at all), so
// tests cut the network where every engine sees it the same way.
//
// While a side is 'down', every request to it that is not a control request, CORS preflights
// included, has its socket destroyed before anything is written: the browser sees a network error
// (TypeError: Failed to fetch), as when the host is unreachable. Nothing else changes: credentials,
// identities and the clock stay as they were, so bringing a side 'up' is a reconnect, not a restart.
// Each side counts the requests it refused (`refused`), so a test can tell how often a client tried.
//
// Controlled through the API emulator: GET|POST /__control/network (see api-gateway.mjs).

/** @typedef {'up' | 'down'} LinkState */
/** @typedef {'api' | 'cognito'} Side */
/** @typedef {{ api: LinkState, cognito: LinkState, refused: { api: number, cognito: number } }} NetworkState */

const SIDES = /** @type {const} */ (['api', 'cognito']);

export function createNetworkSwitch() {
  /** @type {Record<Side, LinkState>} */
  const links = { api: 'up', cognito: 'up' };
  const refused = { api: 0, cognito: 0 };

  /** @returns {NetworkState} */
  const state = () => ({ ...links, refused: { ...refused } });

  return {
    state,
    /**
     * Applies `{ api?, cognito? }`; every other key, or a value other than 'up'/'down', is refused
     * as a whole (nothing changes) so a typo in a test cannot leave the network half cut.
     * @param {unknown} patch @returns {NetworkState | string} the new state, or why the patch was refused
     */
    set(patch) {
      if (!patch || typeof patch !== 'object' || Array.isArray(patch)) return 'body must be {"api"?: "up"|"down", "cognito"?: "up"|"down"}';
      const entries = Object.entries(patch);
      for (const [k, v] of entries) {
        if (!SIDES.includes(/** @type {Side} */ (k))) return `unknown side ${JSON.stringify(k)}: use "api" or "cognito"`;
        if (v !== 'up' && v !== 'down') return `${k} must be "up" or "down", not ${JSON.stringify(v)}`;
      }
      for (const [k, v] of entries) links[/** @type {Side} */ (k)] = /** @type {LinkState} */ (v);
      return state();
    },
    /**
     * Call first thing for every non-control request: when `side` is down, destroys the socket,
     * counts the refusal and returns true (the caller must then do nothing more with the request).
     * @param {Side} side @param {import('node:http').IncomingMessage} req
     */
    cut(side, req) {
      if (links[side] === 'up') return false;
      refused[side]++;
      req.socket.destroy();
      return true;
    },
  };
}

/** @typedef {ReturnType<typeof createNetworkSwitch>} NetworkSwitch */
