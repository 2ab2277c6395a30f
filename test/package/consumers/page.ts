// An app's page, written against the public API of `amplify-sw-auth` as the README shows it.
// Never run: consumer-types.test.ts type-checks it, strict, against the installed tarball.
import {
  AuthWorkerError,
  registerAuthWorker,
  type ApiConfigMap,
  type ApiEndpointConfig,
  type AuthErrorDetail,
  type AuthWorker,
  type AuthWorkerErrorCode,
  type BridgeFailurePolicy,
  type CacheStrategy,
  type FetchAuthSession,
  type HeadersFunction,
  type IdentityChangePolicy,
  type OfflineCacheOptions,
  type OfflineEvent,
  type OfflineOptions,
  type OfflineQueueOptions,
  type PendingRequest,
  type RegisterAuthWorkerOptions,
  type ReplayCounts,
  type SessionLike,
} from 'amplify-sw-auth';

const orders: ApiEndpointConfig = { endpoint: 'https://abc.execute-api.eu-west-1.amazonaws.com/prod', region: 'eu-west-1', service: 'execute-api' };
const apis: ApiConfigMap = { orders };
const headers: HeadersFunction = async ({ apiName }) => ({ 'x-api-name': apiName });
const session: SessionLike = { identityId: 'eu-west-1:1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret', expiration: new Date() } };
const fetchAuthSession: FetchAuthSession = async (options) => (options?.forceRefresh ? session : {});
const onBridgeFailure: BridgeFailurePolicy = 'error-response';
const onIdentityChange: IdentityChangePolicy = 'hold';
const strategy: CacheStrategy = 'stale-while-revalidate';
const queue: OfflineQueueOptions = { apis: ['orders'], methods: ['POST'], maxEntries: 10, maxAgeMs: 60_000, onIdentityChange, idempotencyHeader: 'Idempotency-Key' };
const cache: OfflineCacheOptions = { apis: ['orders'], strategy, maxEntries: 10, maxAgeMs: 60_000 };
const offline: OfflineOptions = { queue, cache: true };
void cache;

const options: RegisterAuthWorkerOptions = { url: '/amplify-auth-worker-offline.js', scope: '/', apis, headers, fetchAuthSession, bridgeTimeoutMs: 5000, onBridgeFailure, offline };

export async function start(): Promise<AuthWorker | undefined> {
  try {
    const worker: AuthWorker = await registerAuthWorker(options);
    const registration: ServiceWorkerRegistration = worker.registration;
    void registration;
    const stopErrors: () => void = worker.onAuthError((error: AuthErrorDetail) => console.warn(error.message, error.apiName, error.method));
    const stopSessions = worker.onSessionChange((reason: string) => console.info(reason));
    const stopOffline = worker.onOfflineEvent((event: OfflineEvent) => console.info(event.type, event.id, event.url, event.status, event.count));
    const pending: PendingRequest[] = await worker.pendingRequests();
    const counts: ReplayCounts = await worker.replayNow();
    console.info(pending.map((p) => `${p.id} ${p.method} ${p.url} ${p.time} ${p.held}`), counts.replayed + counts.failed + counts.held);
    await worker.refresh();
    stopErrors();
    stopSessions();
    stopOffline();
    if (!(await worker.unregister())) console.warn('not unregistered');
    return worker;
  } catch (error) {
    if (error instanceof AuthWorkerError) {
      const code: AuthWorkerErrorCode = error.code;
      console.error(code, error.name, error.message, error.cause);
      return undefined;
    }
    throw error;
  }
}

// Defaults: no options at all.
void registerAuthWorker();
