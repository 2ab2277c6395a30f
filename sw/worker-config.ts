import type { BridgeFailurePolicy, OfflineOptions } from '../src/protocol';
import { compileApis, type CompiledApi } from './compile-apis';
import type { StoredConfig } from './config-store';
import { DEBUG } from './debug-enabled';
import { matchApi } from './match-api';
import { OFFLINE, withoutOffline } from './offline/offline-enabled';
import { offlineSettings, type OfflineSettings } from './offline/offline-settings';

export interface Defaults {
  bridgeTimeoutMs: number;
  onBridgeFailure: BridgeFailurePolicy;
  /** installAuthInterceptor({ offline }): applies to pages that do not pass their own. */
  offline?: OfflineOptions;
  /** Static routes send media loads past the worker (no allowlist to tell API URLs by): `media` APIs are refused. */
  mediaBypassed?: boolean;
  /** installAuthInterceptor({ debug }): on whatever the pages say. */
  debug: boolean;
}

export interface Settings {
  bridgeTimeoutMs: number;
  onBridgeFailure: BridgeFailurePolicy;
  offline: OfflineSettings;
  debug: boolean;
}

const FAILURE_POLICIES: readonly BridgeFailurePolicy[] = ['send-unauthenticated', 'error-response'];

/**
 * The APIs and settings the worker currently applies. `apply` validates a whole config before it
 * changes anything, so a rejected config leaves the previous one working.
 */
export class WorkerConfig {
  apis: readonly CompiledApi[] = [];
  /** Some API authorizes media loads: the fetch listener then looks at image, audio and video requests. */
  media = false;
  settings: Settings;
  /** Counts configs and teardowns from pages: a start-up answer or stored copy older than any of them must not win. */
  generation = 0;
  #applied = '';

  constructor(
    readonly defaults: Defaults,
    readonly allowlist: readonly CompiledApi[] | undefined,
    /** Called when a different config replaces one in force: cached material may belong to old APIs. */
    private readonly onChange: () => void,
  ) {
    this.settings = { bridgeTimeoutMs: defaults.bridgeTimeoutMs, onBridgeFailure: defaults.onBridgeFailure, offline: {}, debug: defaults.debug };
  }

  /** Validates and applies `config`; returns what may be stored (endpoints and settings only). */
  apply(config: StoredConfig): StoredConfig {
    const compiled = compileApis(config.apis);
    if (this.allowlist) checkAllowed(compiled, this.allowlist);
    const media = compiled.find((api) => api.media);
    if (media && this.defaults.mediaBypassed) {
      throw new Error(`amplify-sw-auth: API "${media.apiName}" has media: true, but this worker lets the browser send media loads straight to the network (its static routes) because it has no allowlist to tell API URLs by. Bake one in: amplifySwAuth({ allow }) or npx amplify-sw-auth init <publicDir> --allow <endpoint>.`);
    }
    const settings = {
      bridgeTimeoutMs: positiveNumber(config.bridgeTimeoutMs, 'bridgeTimeoutMs') ?? this.defaults.bridgeTimeoutMs,
      onBridgeFailure: failurePolicy(config.onBridgeFailure) ?? this.defaults.onBridgeFailure,
    };
    const offline = OFFLINE ? offlineSettings(config.offline ?? this.defaults.offline, Object.keys(config.apis)) : withoutOffline(config.offline ?? this.defaults.offline);
    // Only endpoints and settings are kept (and stored), whatever else the page's objects carried.
    const apis = Object.fromEntries(Object.entries(config.apis).map(([name, { endpoint, region, service, kind, defaultAuthMode, media }]) => [name, { endpoint, region, service, kind, defaultAuthMode, media }]));
    const clean: StoredConfig = { apis, ...settings, ...(config.offline !== undefined && { offline: structuredClone(config.offline) }), ...(config.debug === true && { debug: true }) };
    // Logging changes no material: turning it on or off keeps the cache.
    const key = JSON.stringify({ ...clean, debug: undefined });
    this.apis = compiled;
    this.media = compiled.some((api) => api.media);
    const debug = config.debug === true || this.defaults.debug;
    // Never a silent "no": registerAuthWorker({ debug }) picks the full script unless given a `url`.
    if (debug && !DEBUG) console.warn('amplify-sw-auth: this lean worker has no debug log: register amplify-auth-worker-offline.js, the full worker, to see it.');
    this.settings = { ...settings, offline, debug };
    // Every tab sends its config when it loads; only a different one makes cached material suspect
    // (the first one, at start-up, finds only the warm-up's material, which it must keep).
    if (this.#applied !== '' && key !== this.#applied) this.onChange();
    this.#applied = key;
    return clean;
  }

  clear(): void {
    this.apis = [];
    this.media = false;
    this.#applied = '';
    this.onChange();
  }
}

export function compileAllowlist(endpoints: readonly string[]): CompiledApi[] {
  if (!Array.isArray(endpoints) || endpoints.length === 0) {
    throw new Error('amplify-sw-auth: `allowedEndpoints` must be a non-empty array of endpoint URLs.');
  }
  return compileApis(Object.fromEntries(endpoints.map((endpoint, i) => [`allowedEndpoints[${i}]`, { endpoint }])));
}

function checkAllowed(apis: readonly CompiledApi[], allowlist: readonly CompiledApi[]): void {
  for (const api of apis) {
    const endpoint = api.origin + api.pathPrefix;
    if (matchApi(new URL(endpoint), allowlist) === undefined) {
      const allowed = allowlist.map((a) => a.origin + a.pathPrefix).join(', ');
      throw new Error(`amplify-sw-auth: API "${api.apiName}" endpoint ${endpoint} is not in this worker's allowedEndpoints (${allowed}); the worker will not send auth material there. Fix the endpoint, or add it to allowedEndpoints (the ready script's: npx amplify-sw-auth init <publicDir> --allow <endpoint>).`);
    }
  }
}

export function positiveNumber(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new Error(`amplify-sw-auth: \`${name}\` must be a positive number of milliseconds.`);
  return value;
}

export function failurePolicy(value: unknown): BridgeFailurePolicy | undefined {
  if (value === undefined) return undefined;
  if (!FAILURE_POLICIES.includes(value as BridgeFailurePolicy)) {
    throw new Error(`amplify-sw-auth: \`onBridgeFailure\` must be one of ${FAILURE_POLICIES.map((p) => `'${p}'`).join(', ')}.`);
  }
  return value as BridgeFailurePolicy;
}
