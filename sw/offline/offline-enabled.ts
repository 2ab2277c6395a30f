import type { OfflineOptions } from '../../src/protocol';
import type { OfflineSettings } from './offline-settings';

/**
 * False only in the lean ready worker, dist/amplify-auth-worker.js (build.mjs), whose minifier then
 * drops every `OFFLINE ?` branch and the offline modules behind it: apps without offline pay
 * nothing for it. dist/amplify-auth-worker-offline.js and dist/sw.js have it.
 */
export const OFFLINE: boolean = typeof __AMPLIFY_SW_AUTH_OFFLINE__ === 'undefined' || __AMPLIFY_SW_AUTH_OFFLINE__;

/** The lean worker's answer to a page that asks for offline support: a clear refusal, never a silent "no". */
export function withoutOffline(options: OfflineOptions | undefined): OfflineSettings {
  if (options !== undefined) {
    // registerAuthWorker({ offline }) picks amplify-auth-worker-offline.js by default: only an explicit `url` lands here.
    throw new Error('amplify-sw-auth: this worker has no offline support: register amplify-auth-worker-offline.js instead.');
  }
  return {};
}
