// Chromium: service worker errors over CDP (Playwright's worker console events do not carry them).
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';

export /** Settles with `promise`, or after `ms` (as undefined), never rejecting. */
function within<T>(ms: number, promise: Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | number | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, ms)));
  return Promise.race([promise.catch(() => undefined), timeout]).finally(() => clearTimeout(timer));
}

/** The CDP id of a Playwright context (which Playwright does not expose), read from one of its pages. */
export async function browserContextId(context: BrowserContext, page: Page): Promise<string> {
  const cdp = await context.newCDPSession(page);
  const { targetInfo } = await cdp.send('Target.getTargetInfo');
  await cdp.detach();
  return targetInfo.browserContextId!;
}

interface WorkerSession {
  contextId: string;
  /** Between the start of its script and a stop (CDP: Inspector.targetCrashed). */
  running: boolean;
  /** The entries of its uncaught errors by exception id, for a rejection that gets a handler later. */
  thrown: Map<number, string>;
}

interface ExceptionDetails {
  exceptionId: number;
  text: string;
  url?: string;
  lineNumber: number;
  columnNumber: number;
  exception?: { description?: string; value?: unknown; preview?: { properties: { name: string; value?: string }[] } };
}

/**
 * Playwright's worker console events do not carry a service worker's uncaught errors: this attaches
 * a second DevTools session to every service worker of the browser (workers that start later, and
 * new versions, included; a stopped worker restarts in the same target and session) and collects
 * CDP `Runtime.exceptionThrown`, per browser context. Only the Runtime domain: enabling Network on a
 * worker slows every request it handles. The session never pauses a worker (no wait for debugger).
 *
 * Playwright's CDPSession cannot address a flat child session, so the worker sessions are the
 * non-flat kind: commands and events travel in Target.sendMessageToTarget / receivedMessageFromTarget.
 */
export async function watchServiceWorkerErrors(browser: Browser) {
  const cdp: CDPSession = await browser.newBrowserCDPSession();
  const errorsByContext = new Map<string, string[]>(); // of the open profiles
  const record = (contextId: string, entry: string) => errorsByContext.get(contextId)?.push(entry);
  const workers = new Map<string, WorkerSession>(); // by session id
  const pending = new Map<number, (reply: { error?: { message: string } }) => void>();
  let lastId = 0;
  /** A command to a worker; resolves with its reply, never rejects. */
  const send = (sessionId: string, method: string, params: object = {}) => {
    const id = ++lastId;
    return new Promise<{ error?: { message: string } }>((resolve) => {
      pending.set(id, resolve);
      cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch((error: Error) => resolve({ error }));
    }).finally(() => pending.delete(id));
  };

  cdp.on('Target.targetCreated', async ({ targetInfo }) => {
    if (targetInfo.type !== 'service_worker' || !targetInfo.browserContextId) return;
    const contextId = targetInfo.browserContextId;
    // Not watching a worker must fail the test, not pass it silently (say, once Chromium drops non-flat sessions).
    const failed = (error: { message: string }) => {
      // A worker that is gone already (a redundant version, a script that failed to load) needs no watching.
      if (!/no (target|session)|navigated or closed/i.test(error.message)) record(contextId, `[worker] could not watch ${targetInfo.url} for uncaught errors: ${error.message}`);
    };
    try {
      const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: targetInfo.targetId, flatten: false });
      workers.set(sessionId, { contextId, running: true, thrown: new Map() });
      // Runtime.enable also reports the errors thrown before it.
      void send(sessionId, 'Runtime.enable').then(({ error }) => error && workers.has(sessionId) && failed(error));
      void send(sessionId, 'Runtime.runIfWaitingForDebugger');
    } catch (error) {
      failed(error as Error);
    }
  });
  cdp.on('Target.detachedFromTarget', ({ sessionId }) => sessionId && workers.delete(sessionId));
  cdp.on('Target.receivedMessageFromTarget', ({ sessionId, message }) => {
    const worker = workers.get(sessionId);
    const received = JSON.parse(message) as { id?: number; method?: string; params?: any; error?: { message: string } };
    const { id, method, params } = received;
    if (id !== undefined) return pending.get(id)?.(received);
    if (!worker) return;
    if (method === 'Runtime.exceptionThrown') {
      const entry = `[worker] ${describeException(params.exceptionDetails)}`;
      worker.thrown.set(params.exceptionDetails.exceptionId, entry);
      record(worker.contextId, entry);
    } else if (method === 'Runtime.exceptionRevoked') {
      const errors = errorsByContext.get(worker.contextId) ?? [];
      const at = errors.lastIndexOf(worker.thrown.get(params.exceptionId)!);
      if (at >= 0) errors.splice(at, 1);
    } else if (method === 'Inspector.targetCrashed') {
      worker.running = false; // stopped (idle, or ServiceWorker.stopAllWorkers)
    } else if (method === 'Runtime.executionContextCreated') {
      worker.running = true;
    } else if (method === 'Inspector.targetReloadedAfterCrash') {
      worker.running = true;
      void send(sessionId, 'Runtime.runIfWaitingForDebugger');
    }
  });
  await cdp.send('Target.setDiscoverTargets', { discover: true });

  return {
    /** Starts collecting a context's service worker errors, in the list returned (its pages' errors go there too). */
    watch(contextId: string) {
      const errors: string[] = [];
      errorsByContext.set(contextId, errors);
      return errors;
    },
    /** A round trip to each running worker of the context: its errors so far come before the answer. */
    async flush(contextId: string) {
      const running = [...workers].filter(([, w]) => w.contextId === contextId && w.running);
      await Promise.all(running.map(([sessionId]) => within(1000, send(sessionId, 'Runtime.evaluate', { expression: '0' }))));
    },
    forget(contextId: string) {
      errorsByContext.delete(contextId);
    },
  };
}

/**
 * "Uncaught (in promise) TypeError: message", the error's other own properties (an AggregateError's
 * `errors: Array(0)`), then its stack, or the script location when it has none.
 */
function describeException(details: ExceptionDetails): string {
  const { text, exception, url, lineNumber, columnNumber } = details;
  const what = exception?.description ?? (exception && 'value' in exception ? JSON.stringify(exception.value) : undefined);
  const where = url ? [`    at ${url}:${lineNumber + 1}:${columnNumber + 1}`] : [];
  if (what === undefined) return [text, ...where].join('\n');
  const [head, ...stack] = what.split('\n');
  const extra = (exception?.preview?.properties ?? []).filter((p) => p.name !== 'stack' && p.name !== 'message').map((p) => `${p.name}: ${p.value}`);
  return [`${text} ${head}${extra.length ? ` {${extra.join(', ')}}` : ''}`, ...(stack.length ? stack : where)].join('\n');
}
