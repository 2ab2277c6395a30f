import type { CompiledApi } from '../compile-apis';
import type { Outgoing, Signed } from '../sign-outgoing';

/** The live request's own way to the network, handed to a cache strategy. */
export interface Network {
  /** The request, authorized with the material current for its identity. */
  sign(): Promise<Signed | Response>;
  /** The API's answer, after any retry (clock skew, refreshed token). */
  settle(signed: Signed, response: Response): Promise<Response>;
}

/** Where the data path meets the offline queue and read cache. Each returns undefined when its API did not opt in. */
export interface OfflineHooks {
  /** A GET of an API with the read cache: its strategy's answer. */
  read(api: CompiledApi, out: Outgoing, identity: string | undefined, event: FetchEvent, network: Network): Promise<Response> | undefined;
  /** A mutation of an identity that already has requests waiting: it queues behind them, to keep their order. */
  queueFirst(api: CompiledApi, out: Outgoing, identity: string | undefined): Promise<Response> | undefined;
  /** A mutation that found no network: the 202 if it was queued. */
  queue(api: CompiledApi, out: Outgoing, identity: string | undefined): Promise<Response | undefined>;
  /** A live request reached the API: the network is back, so waiting requests can go. */
  reached(): void;
}

export const NO_OFFLINE: OfflineHooks = { read: () => undefined, queueFirst: () => undefined, queue: async () => undefined, reached: () => undefined };
