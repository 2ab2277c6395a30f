import { AuthWorkerError } from './auth-worker-error';
import type { PageToWorkerMessage, WorkerReply } from './protocol';

/** One message to the worker over its own MessageChannel, answered within `timeoutMs` or rejected. */
export function postToWorker(worker: ServiceWorker, message: PageToWorkerMessage, timeoutMs: number): Promise<WorkerReply> {
  return new Promise((resolve, reject) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => {
      channel.port1.close();
      reject(new AuthWorkerError('no-reply', `the worker (${worker.scriptURL}) did not answer "${message.type}" within ${timeoutMs} ms. Check that it calls installAuthInterceptor() (the ready script does: npx amplify-sw-auth init <publicDir>).`));
    }, timeoutMs);
    channel.port1.onmessage = ({ data }: MessageEvent<WorkerReply>) => {
      clearTimeout(timer);
      channel.port1.close();
      resolve(data);
    };
    worker.postMessage(message, [channel.port2]);
  });
}
