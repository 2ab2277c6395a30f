import { MESSAGE, PROTOCOL_VERSION, type AuthErrorDetail, type AuthMaterial, type MaterialReply, type WorkerToPageMessage } from './protocol';

export interface BridgeHandlers {
  material: (apiName: string) => Promise<AuthMaterial>;
  authError: (error: AuthErrorDetail) => void;
}

/** Answers the worker's questions for auth material and relays its auth errors. Returns a stop function. */
export function startBridge(handlers: BridgeHandlers): () => void {
  const container = navigator.serviceWorker;
  const onMessage = (event: MessageEvent<WorkerToPageMessage>) => {
    const data = event.data;
    if (data?.version !== PROTOCOL_VERSION) return;
    if (data.type === MESSAGE.material) {
      const port = event.ports[0];
      handlers.material(data.apiName).then(
        (material): void => port.postMessage({ ok: true, material } satisfies MaterialReply),
        (error: unknown): void => port.postMessage({ ok: false, error: `amplify-sw-auth: ${error instanceof Error ? error.message : String(error)}` } satisfies MaterialReply),
      );
    } else if (data.type === MESSAGE.authError) {
      handlers.authError(data.error);
    }
  };
  container.addEventListener('message', onMessage);
  // Messages from the worker are held until the page opts in (or DOMContentLoaded); opt in now.
  container.startMessages();
  return () => container.removeEventListener('message', onMessage);
}
