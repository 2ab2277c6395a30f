/**
 * Worker side of amplify-sw-auth, for apps that build their own service worker (Workbox or not).
 * @module amplify-sw-auth/sw
 */
export { installAuthInterceptor, type AuthInterceptorOptions } from './install-auth-interceptor';
export type { ApiConfigMap, ApiEndpointConfig, BridgeFailurePolicy, OfflineOptions, OfflineQueueOptions, OfflineCacheOptions } from '../src/protocol';
