/// <reference lib="webworker" />
import { OFFLINE } from './offline/offline-enabled';
import { CACHE_HEADER, MESSAGE, PROTOCOL_VERSION, QUEUED_HEADER, type AuthMaterial, type RequestLogEntry } from '../src/protocol';
import { BridgeError } from './ask-page';
import type { CompiledApi } from './compile-apis';
import { describeAuth } from './describe-request';
import { formatRequestLog } from './format-request-log';
import { reportedUrl, tellPages } from './report-auth-error';

const since = (start: number) => Math.round(performance.now() - start);

/**
 * With `debug` on, one request's record, filled in as the data path learns each fact (see
 * authorize-request.ts), then printed as one console line and posted to the page that made the
 * request. With it off none is made, and the data path's `log?.` calls cost nothing.
 */
export class RequestLog {
  readonly #start = performance.now();
  readonly #entry: RequestLogEntry;

  constructor(
    request: Request,
    apiName: string,
    private readonly clientId: string,
    private readonly bridged: ReadonlySet<string>,
  ) {
    this.#entry = { time: Date.now(), method: request.method, url: reportedUrl(request.url), apiName, mode: 'none', why: 'nothing sent', material: 'not-needed', status: 0, ms: 0 };
  }

  /** The request's first material (a retry's is not its story): `cached` when the cache answered at once. */
  material(cached: boolean, asked: number, failure?: unknown): void {
    const entry = this.#entry;
    if (entry.material !== 'not-needed') return;
    entry.material = failure !== undefined ? 'failed' : cached ? 'cached' : 'round-trip';
    if (failure !== undefined) entry.materialError = failure instanceof BridgeError ? failure.code : 'bridge-error';
    else if (!cached) entry.materialMs = since(asked);
  }

  /** How it went out: see describeAuth. */
  decided(api: CompiledApi, fromPage: Record<string, string>, material: AuthMaterial | undefined, forwarded?: boolean): void {
    Object.assign(this.#entry, describeAuth(api, fromPage, material, forwarded));
  }

  retry(kind: RequestLogEntry['retry']): void {
    this.#entry.retry = kind;
  }

  /** Logs once the answer is known, and hands it on. */
  finish(response: Promise<Response>): Promise<Response> {
    const done = (status: number, headers?: Headers) => {
      const entry = { ...this.#entry, status, ms: since(this.#start) };
      // Only the offline build queues or caches; the lean one leaves these lines out.
      if (OFFLINE && headers?.has(QUEUED_HEADER)) entry.offline = 'queued';
      else if (OFFLINE && headers?.get(CACHE_HEADER) === 'hit') entry.offline = 'cache-hit';
      console.info(formatRequestLog(entry));
      void tellPages(this.clientId, this.bridged, { type: MESSAGE.requestLog, version: PROTOCOL_VERSION, entry });
    };
    return response.then(
      (r) => (done(r.status, r.headers), r),
      (error: unknown) => {
        done(0);
        throw error;
      },
    );
  }
}
