// An app's own service worker (Workbox or not) with the interceptor of `amplify-sw-auth/sw`.
// Never run: consumer-types.test.ts type-checks it, strict, against the installed tarball.
import { installAuthInterceptor, type AuthInterceptorOptions, type BridgeFailurePolicy, type OfflineOptions } from 'amplify-sw-auth/sw';

const onBridgeFailure: BridgeFailurePolicy = 'send-unauthenticated';
const offline: OfflineOptions = { queue: { onIdentityChange: 'drop' }, cache: { strategy: 'network-first' } };
const options: AuthInterceptorOptions = {
  skipWaiting: true,
  clientsClaim: true,
  bridgeTimeoutMs: 3000,
  onBridgeFailure,
  expiryMarginMs: 30_000,
  maxMaterialAgeMs: 300_000,
  allowedEndpoints: ['https://abc.execute-api.eu-west-1.amazonaws.com/prod'] as const,
  staticRoutes: false,
  offline,
};
installAuthInterceptor(options);
installAuthInterceptor();
