// Starts the whole local AWS stand-in: moto (Cognito), the Cognito proxy, the API Gateway
// emulator and the AppSync emulator. `node demo/emulators/index.mjs` runs it standalone.
import { pathToFileURL } from 'node:url';
import { startMoto, setupCognito } from './moto.mjs';
import { createClock } from './clock.mjs';
import { createCredentialRegistry } from './credentials.mjs';
import { createCognitoVerifier } from './cognito-jwt.mjs';
import { startCognitoProxy } from './cognito-proxy.mjs';
import { startApiGateway } from './api-gateway.mjs';
import { startAppSync } from './appsync.mjs';
import { createNetworkSwitch } from './network-switch.mjs';

export { DEFAULT_API_KEY, DEFAULT_CUSTOM_TOKENS, CORS_ALLOW_HEADERS } from './api-gateway.mjs';
export { DEFAULT_APPSYNC_API_KEY, DEFAULT_LAMBDA_TOKENS, APPSYNC_CORS_ALLOW_HEADERS } from './appsync.mjs';

/**
 * @typedef {{
 *   cognito: { endpoint: string, region: string, userPoolId: string, userPoolClientId: string,
 *     identityPoolId: string, users: { username: string, password: string }[] },
 *   api: { endpoint: string, region: string, apiKey: string, customTokens: Record<string, string>, controlUrl: string },
 *   appsync: { endpoint: string, region: string, apiKey: string, lambdaTokens: Record<string, string>, controlUrl: string },
 *   stop: () => Promise<void>,
 * }} Emulators
 */

/**
 * @param {{
 *   apiKey?: string, customTokens?: Record<string, string>, appsyncApiKey?: string, lambdaTokens?: Record<string, string>,
 *   credentialTtlSeconds?: number, quiet?: boolean,
 * }} [opts]
 * @returns {Promise<Emulators>}
 */
export async function startEmulators(opts = {}) {
  const { apiKey, customTokens, appsyncApiKey, lambdaTokens, credentialTtlSeconds = 3600, quiet = true } = opts;
  const region = 'us-east-1';
  /** @type {(() => Promise<void>)[]} */
  const stops = [];
  const stop = async () => {
    // Reverse start order; keep going if one part fails to stop.
    for (const s of stops.splice(0).reverse()) await s().catch(() => {});
  };
  try {
    const moto = await startMoto({ quiet });
    stops.push(moto.stop);
    const pool = await setupCognito(moto.url);
    const clock = createClock();
    // One switch for every server ('api' cuts both APIs), controlled through either API's /__control/network.
    const network = createNetworkSwitch();
    const registry = createCredentialRegistry({ ttlSeconds: credentialTtlSeconds, now: () => clock.now() });
    const verifier = createCognitoVerifier({
      motoUrl: moto.url, userPoolId: pool.userPoolId, clientId: pool.userPoolClientId, region, now: () => clock.now(),
    });
    const proxy = await startCognitoProxy({
      motoUrl: moto.url, region, userPoolId: pool.userPoolId, userPoolClientId: pool.userPoolClientId,
      identityPoolId: pool.identityPoolId, registry, verifier, network, quiet,
    });
    stops.push(proxy.stop);
    const api = await startApiGateway({ region, apiKey, customTokens, registry, verifier, clock, network, quiet });
    stops.push(api.stop);
    const appsync = await startAppSync({ region, apiKey: appsyncApiKey, lambdaTokens, registry, verifier, clock, network, quiet });
    stops.push(appsync.stop);
    return {
      cognito: {
        endpoint: proxy.endpoint,
        region,
        userPoolId: pool.userPoolId,
        userPoolClientId: pool.userPoolClientId,
        identityPoolId: pool.identityPoolId,
        users: pool.users.map(({ username, password }) => ({ username, password })),
      },
      api: {
        endpoint: api.endpoint,
        region,
        apiKey: api.apiKey,
        customTokens: api.customTokens,
        controlUrl: api.controlUrl,
      },
      appsync: {
        endpoint: appsync.endpoint,
        region,
        apiKey: appsync.apiKey,
        lambdaTokens: appsync.lambdaTokens,
        controlUrl: appsync.controlUrl,
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const quiet = !process.argv.includes('--verbose');
  try {
    const emu = await startEmulators({ quiet });
    const { stop, ...config } = emu;
    console.log(JSON.stringify(config, null, 2));
    console.error('emulators running; Ctrl-C to stop');
    const shutdown = () => stop().finally(() => process.exit(0));
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
    // Servers are ref'd, so the process stays up until a signal.
  } catch (e) {
    console.error(/** @type {Error} */ (e).message);
    process.exit(1);
  }
}
