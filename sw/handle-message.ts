/// <reference lib="webworker" />
import { BUILD_ID, isProtocolMessage, isSessionEvent, MESSAGE, PROTOCOL_VERSION, type PageToWorkerMessage, type WorkerReply } from '../src/protocol';
import { clearConfig, saveConfig } from './config-store';
import type { MaterialCache } from './material-cache';
import type { Offline } from './offline/install-offline';
import type { SessionChanges } from './session-changes';
import { TRACE, traceDump } from './trace';
import type { WorkerConfig } from './worker-config';

declare const self: ServiceWorkerGlobalScope;

export interface MessageContext {
  config: WorkerConfig;
  sessions: SessionChanges;
  /** Client ids of windows whose bridge has spoken to this worker. */
  bridged: Set<string>;
  cache: MaterialCache;
  /** Absent in the lean ready worker. */
  offline: Offline | undefined;
}

/** Answers pages' messages (configure, session changed, claim, teardown, offline) on the port each one carries. */
export function handleMessage(ctx: MessageContext, event: ExtendableMessageEvent): void {
  const data: unknown = event.data;
  if (!isProtocolMessage(data)) return; // the app's own messages are none of our business
  const port = event.ports[0];
  const reply = (message: WorkerReply) => port?.postMessage(message);
  if (TRACE && data.type === 'amplify-sw-auth/trace') {
    port?.postMessage({ ok: true, version: PROTOCOL_VERSION, build: BUILD_ID, trace: traceDump((data as { reset?: boolean }).reset === true) });
    return;
  }
  event.waitUntil(
    apply(ctx, data as PageToWorkerMessage, event.source).then(
      (answer) => reply({ ok: true, version: PROTOCOL_VERSION, build: BUILD_ID, ...answer }),
      (error: unknown) => reply({ ok: false, version: PROTOCOL_VERSION, build: BUILD_ID, error: error instanceof Error ? error.message : String(error) }),
    ),
  );
}

async function apply({ config, sessions, bridged, cache, offline }: MessageContext, message: PageToWorkerMessage, source: ExtendableMessageEvent['source']): Promise<Partial<Extract<WorkerReply, { ok: true }>> | void> {
  if (message.version !== PROTOCOL_VERSION) {
    throw new Error(`amplify-sw-auth: the page speaks protocol version ${String(message.version)}, this worker speaks ${PROTOCOL_VERSION}. Update the worker script (npx amplify-sw-auth init <publicDir>) together with the package.`);
  }
  // Only pages configure this worker; the bridge runs in windows.
  if (!(source instanceof WindowClient)) throw new Error('amplify-sw-auth: only a window can configure the auth worker: call registerAuthWorker() in a page.');
  const scope = self.registration.scope;
  switch (message.type) {
    case MESSAGE.configure: {
      if (message.build !== BUILD_ID) {
        console.warn(`amplify-sw-auth: page build ${message.build} talks to worker build ${BUILD_ID}; copy the worker script again (npx amplify-sw-auth init <publicDir>) after upgrading.`);
      }
      const stored = config.apply({ apis: message.apis, bridgeTimeoutMs: message.bridgeTimeoutMs, onBridgeFailure: message.onBridgeFailure, offline: message.offline, debug: message.debug });
      config.generation++;
      bridged.add(source.id);
      await saveConfig(scope, stored);
      offline?.wake(); // a page with a bridge is here: queued requests can be signed
      return;
    }
    case MESSAGE.sessionChanged:
      if (!isSessionEvent(message.reason)) throw new Error(`amplify-sw-auth: unknown session event "${String(message.reason)}".`);
      await sessions.changed(message.reason, source.id, typeof message.id === 'string' ? message.id : undefined);
      return;
    case MESSAGE.online:
      cache.online();
      offline?.wake();
      return;
    case MESSAGE.pending:
      return { pending: (await offline?.pending()) ?? [] };
    case MESSAGE.replay:
      return { replay: (await offline?.replayNow()) ?? { replayed: 0, failed: 0, held: 0 } };
    case MESSAGE.claim:
      await self.clients.claim();
      return;
    case MESSAGE.teardown:
      config.clear();
      config.generation++; // a stored config or start-up answer still on its way must not come back
      bridged.delete(source.id);
      await clearConfig(scope);
      return;
    default:
      throw new Error(`amplify-sw-auth: unknown message type "${(message as { type: string }).type}".`);
  }
}
