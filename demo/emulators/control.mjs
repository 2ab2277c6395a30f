// Unauthenticated test hooks of an emulated API (its /__control/ URL): GET /state, POST /clock
// {offsetMs}, GET|DELETE /log, POST /expire-tokens (every user-pool token issued until now is
// treated as expired, as after an hour; tokens refreshed later are valid), GET|POST /network
// {api?: 'up'|'down', cognito?: 'up'|'down'} (network-switch.mjs), POST /expire-credentials
// {accessKeyId?} (all when omitted). The clock, tokens, credentials and network are shared by every
// emulated API, so each API's control URL moves them for all; the log is the API's own.
import { parseJson } from './http-util.mjs';

/**
 * @param {{
 *   region: string, log: import('./request-log.mjs').RequestLog,
 *   registry: import('./credentials.mjs').CredentialRegistry,
 *   verifier: import('./cognito-jwt.mjs').CognitoVerifier,
 *   clock: import('./clock.mjs').Clock,
 *   network: import('./network-switch.mjs').NetworkSwitch,
 * }} opts
 * @returns {(method: string, rawPath: string, body: Buffer, send: (status: number, obj: object) => void) => void}
 */
export function createControl({ region, log, registry, verifier, clock, network }) {
  const state = () => ({
    clockOffsetMs: clock.offsetMs,
    now: clock.date().toISOString(),
    requestCount: log.count,
    logLength: log.entries.length,
    credentialsIssued: registry.size,
    region,
  });
  return (method, rawPath, body, send) => {
    const what = `${method} ${rawPath.replace(/\/+$/, '')}`;
    switch (what) {
      case 'GET /__control/state':
      case 'GET /__control/clock':
        return send(200, state());
      case 'POST /__control/clock': {
        const b = parseJson(body);
        if (!b || typeof b.offsetMs !== 'number' || !Number.isFinite(b.offsetMs)) {
          return send(400, { message: 'body must be {"offsetMs": number}' });
        }
        clock.offsetMs = b.offsetMs;
        return send(200, state());
      }
      case 'GET /__control/log':
        return send(200, { count: log.count, entries: log.entries });
      case 'DELETE /__control/log':
        log.clear();
        return send(200, { count: log.count, entries: [] });
      case 'POST /__control/expire-tokens':
        verifier.tokensNotBefore = Math.floor(clock.now() / 1000) + 1;
        return send(200, { tokensNotBefore: verifier.tokensNotBefore });
      case 'GET /__control/network':
        return send(200, network.state());
      case 'POST /__control/network': {
        const next = network.set(parseJson(body));
        return typeof next === 'string' ? send(400, { message: next }) : send(200, next);
      }
      case 'POST /__control/expire-credentials': {
        const b = parseJson(body) ?? {};
        return send(200, { expired: registry.expire(typeof b.accessKeyId === 'string' ? b.accessKeyId : undefined) });
      }
      default:
        return send(404, { message: `unknown control endpoint ${what}` });
    }
  };
}
