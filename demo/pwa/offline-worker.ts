// The page side of issue 12's offline API, as the app uses it. Until the package's own types carry
// it (AuthWorker.onOfflineEvent / pendingRequests / replayNow, the `offline` option), this is
// the one place that says so; the rest of the app is written against the public API.
import { registerAuthWorker, type AuthWorker, type RegisterAuthWorkerOptions } from 'amplify-sw-auth';

export interface OfflineEvent {
  type: 'queued' | 'replayed' | 'replay-failed' | 'held' | 'dropped' | 'limit' | 'quota';
  id?: string;
  method?: string;
  url?: string;
  status?: number;
  count?: number;
}

export interface PendingRequest {
  id: string;
  method: string;
  url: string;
  time: number;
  held: boolean;
}

export interface OfflineAuthWorker extends AuthWorker {
  onOfflineEvent(listener: (event: OfflineEvent) => void): () => void;
  pendingRequests(): Promise<PendingRequest[]>;
  replayNow(): Promise<{ replayed: number; failed: number; held: number }>;
}

export interface OfflineOptions {
  queue?: true | Record<string, unknown>;
  cache?: true | Record<string, unknown>;
}

// TODO(offline): drop the casts once the package exports these (issue 12).
export async function registerOfflineWorker(options: RegisterAuthWorkerOptions & { offline: OfflineOptions }): Promise<OfflineAuthWorker> {
  return (await registerAuthWorker(options as RegisterAuthWorkerOptions)) as OfflineAuthWorker;
}
