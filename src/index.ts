/**
 * Page side of amplify-sw-auth: `registerAuthWorker()` and its types.
 * @module amplify-sw-auth
 */
export { registerAuthWorker } from './register-auth-worker';
export { AuthWorkerError, type AuthWorkerErrorCode } from './auth-worker-error';
export type { AuthWorker, RegisterAuthWorkerOptions, HeadersFunction, FetchAuthSession, SessionLike, AuthErrorDetail, ApiConfigMap, ApiEndpointConfig, BridgeFailurePolicy, OfflineOptions, OfflineQueueOptions, OfflineCacheOptions, OfflineEvent, PendingRequest, ReplayCounts, IdentityChangePolicy, CacheStrategy, RequestLogEntry, AuthModeName } from './types';
export type { AmplifyOutputsLike, OutputsRestApi } from './outputs-apis';
