import { createStore, del, get, set, type UseStore } from 'idb-keyval';
import type { ApiConfigMap, BridgeFailurePolicy } from '../src/protocol';

/**
 * What the worker must remember when the browser stops and restarts it: the page's API config,
 * so the first request after a restart is routed before any page speaks again (msw #2115).
 * Endpoints and settings only: tokens and credentials are never written anywhere.
 */
export interface StoredConfig {
  apis: ApiConfigMap;
  bridgeTimeoutMs?: number;
  onBridgeFailure?: BridgeFailurePolicy;
}

const KEY = 'config';
let store: UseStore | undefined;
const db = () => (store ??= createStore('amplify-sw-auth', 'config'));

export const loadConfig = (): Promise<StoredConfig | undefined> => get<StoredConfig>(KEY, db());
export const saveConfig = (config: StoredConfig): Promise<void> => set(KEY, config, db());
export const clearConfig = (): Promise<void> => del(KEY, db());
