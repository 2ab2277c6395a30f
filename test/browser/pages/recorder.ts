// For browser drivers that get no console or network events from the browser (WebKit's MiniBrowser
// over classic WebDriver): records the page's console, its uncaught errors and unhandled rejections,
// and the responses to its fetch() and XMLHttpRequest calls, for the driver to take. Passive: every
// call goes on to the original. The harness imports it first, so the page's load is recorded too;
// the WebKit driver injects the same function (by its source) into any other page after it loads.
// Self-contained: the driver sends it to the page as text.

export interface Recorded {
  logs: string[];
  errors: string[];
  responses: { url: string; status: number }[];
}

export function installRecorder(): void {
  const w = window as any;
  if (w.__testRecorder) return;
  let taken: Recorded = { logs: [], errors: [], responses: [] };
  let inFlight = 0; // fetch() and XHR calls not settled yet
  w.__testRecorder = {
    take(): Recorded {
      const out = taken;
      taken = { logs: [], errors: [], responses: [] };
      return out;
    },
    inFlight: () => inFlight,
  };
  const text = (value: unknown): string => {
    if (typeof value === 'string') return value;
    if (value instanceof Error) return value.stack ? `${value.name}: ${value.message}\n${value.stack}` : `${value.name}: ${value.message}`;
    try {
      const json = JSON.stringify(value);
      return json === undefined ? String(value) : json;
    } catch {
      return String(value);
    }
  };
  const types: Record<string, string> = { log: 'log', info: 'info', warn: 'warning', error: 'error', debug: 'debug' };
  for (const method of Object.keys(types)) {
    const original = (console as any)[method];
    (console as any)[method] = function (this: unknown, ...args: unknown[]) {
      taken.logs.push(`[page] ${types[method]}: ${args.map(text).join(' ')}`);
      return original.apply(this, args);
    };
  }
  // "<name>: <message> (in <page>)", then the stack (WebKit's "fn@url:line:col" lines), else the location.
  const uncaught = (prefix: string, reason: unknown, where?: string) => {
    const head = reason instanceof Error ? `${reason.name}: ${reason.message}` : text(reason);
    const stack = reason instanceof Error && reason.stack ? reason.stack.split('\n').map((l) => `    at ${l}`) : where ? [`    at ${where}`] : [];
    taken.logs.push(`[page] uncaught: ${head}`);
    taken.errors.push([`[page] ${prefix}${head} (in ${location.href})`, ...stack].join('\n'));
  };
  addEventListener('error', (e) => uncaught('', e.error ?? e.message, e.filename ? `${e.filename}:${e.lineno}:${e.colno}` : undefined));
  addEventListener('unhandledrejection', (e) => uncaught('Uncaught (in promise) ', e.reason));
  const response = (url: string, status: number) => taken.responses.push({ url: new URL(url, location.href).href, status });
  const fetch = window.fetch;
  window.fetch = function (this: unknown, ...args: Parameters<typeof fetch>) {
    const promise = fetch.apply(this, args);
    inFlight++;
    promise.then((r) => response(r.url || (args[0] instanceof Request ? args[0].url : String(args[0])), r.status), () => undefined).finally(() => inFlight--);
    return promise;
  };
  const open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (this: XMLHttpRequest, ...args: any[]) {
    this.addEventListener('loadend', () => this.status !== 0 && response(this.responseURL || String(args[1]), this.status));
    return (open as any).apply(this, args);
  };
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function (this: XMLHttpRequest, ...args: any[]) {
    inFlight++;
    this.addEventListener('loadend', () => inFlight--, { once: true });
    return (send as any).apply(this, args);
  };
}
