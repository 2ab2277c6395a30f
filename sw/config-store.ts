import { createStore, del, get, set, type UseStore } from 'idb-keyval';
import type { ApiConfigMap, BridgeFailurePolicy, OfflineOptions } from '../src/protocol';

/**
 * What the worker must remember when the browser stops and restarts it: the page's API config,
 * so the first request after a restart is routed before any page speaks again (msw #2115).
 * Endpoints and settings only: tokens and credentials are never written anywhere.
 */
export interface StoredConfig {
  apis: ApiConfigMap;
  bridgeTimeoutMs?: number;
  onBridgeFailure?: BridgeFailurePolicy;
  /** Which APIs queue and cache: options, never data. */
  offline?: OfflineOptions;
  /** Log each request (debug-log.ts). */
  debug?: boolean;
}

// One database per origin, shared by every registration on it: each keeps its config under its
// own scope, so two registrations neither overwrite nor tear down each other's.
let store: UseStore | undefined;
const db = () => (store ??= createStore('amplify-sw-auth', 'config'));
const key = (scope: string) => `config:${scope}`;

export const loadConfig = (scope: string): Promise<StoredConfig | undefined> => get<StoredConfig>(key(scope), db());
export const saveConfig = (scope: string, config: StoredConfig): Promise<void> => set(key(scope), config, db());
export const clearConfig = (scope: string): Promise<void> => del(key(scope), db());
