// Firefox: the browser process, and two ways into it over one WebDriver session.
//
// Puppeteer drives the pages over WebDriver BiDi, which has no command to stop a service worker or
// to reload past one, and no event for a service worker's console or errors. Those need the parent
// process's privileged side: Marionette (Firefox's WebDriver classic server) runs scripts there when
// Firefox starts with --remote-allow-system-access. Firefox allows one WebDriver session, so the
// session is created over Marionette with `webSocketUrl: true`, and Puppeteer joins its BiDi socket
// (its own `session.new` is answered here, as the session already exists).
//
// A process script, loaded into every Firefox process from the parent, reports what BiDi does not:
// console calls (pages' and service workers'), uncaught errors, service workers starting and
// stopping. It writes them to Firefox's stdout as tagged JSON lines, in the order they happen.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect as netConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type ConnectionTransport } from 'puppeteer-core';
import { NodeWebSocketTransport } from 'puppeteer-core/internal/node/NodeWebSocketTransport.js';
import { FIREFOX_ENV, FIREFOX_PATH, firefoxPrefs, startSink, writeUserJs } from '../../firefox.mjs';

/** What the process script reports (see PROCESS_SCRIPT). */
export type FirefoxEvent =
  | { kind: 'console'; source: 'page'; level: string; text: string; browserId: number; userContext: number }
  | { kind: 'console'; source: 'worker'; level: string; text: string; scope: string }
  | { kind: 'error'; message: string; rejection: boolean; file: string; line: number; column: number; stack: string; window: boolean; browserId?: number; userContext?: number }
  | { kind: 'worker-error'; scope: string }
  | { kind: 'worker-started'; key: string; url: string; userContext: number }
  | { kind: 'worker-stopped'; key: string }
  | { kind: 'mark'; id: string; pid: number }
  | { kind: 'hello'; pid: number };

export interface FirefoxRemote {
  browser: Browser;
  /** Runs `script` (a function body; `arguments` holds `args`) in the parent process, with system privileges. */
  chrome<T>(script: string, args?: unknown[]): Promise<T>;
  /** Resolves once every Firefox process has reported what happened in it before this call. */
  flush(): Promise<void>;
  /** Asks Firefox to stop the service workers of a user context as it stops idle ones (`force`: kill them). */
  idleStop(userContext: number, force: boolean): Promise<void>;
  /** False once the Firefox process has exited. */
  alive(): boolean;
  close(): Promise<void>;
}

/** Test prefs on top of test/firefox.mjs's loopback-only ones. */
const PREFS = {
  'marionette.port': 0, // any free port, written to <profile>/MarionetteActivePort
  'browser.dom.window.dump.enabled': true, // dump() reaches stdout: the process script's channel
  'devtools.console.stdout.content': false, // the process script reports console calls itself
  // No HTTP cache: a response BiDi reports `fromCache` is then one a service worker answered
  // (Firefox's network observer reports `fromCache || fromServiceWorker`).
  'browser.cache.disk.enable': false,
  'browser.cache.memory.enable': false,
  'network.proxy.share_proxy_settings': false,
  'network.proxy.failover_direct': false,
  'network.dns.disablePrefetchFromHTTPS': true,
  'network.prefetch-next': false,
  'network.http.speculative-parallel-limit': 0,
  'captivedetect.canonicalURL': '',
  'browser.startup.page': 0,
  'browser.startup.homepage': 'about:blank',
  'browser.newtabpage.enabled': false,
  'browser.newtabpage.activity-stream.feeds.topsites': false,
  'browser.newtabpage.activity-stream.feeds.system.topstories': false,
  'browser.sessionstore.resume_from_crash': false,
  'toolkit.startup.max_resumed_crashes': -1,
  'dom.disable_open_during_load': false,
  'dom.max_script_run_time': 0,
  'hangmonitor.timeout': 0,
};

export async function launchFirefox(onEvent: (event: FirefoxEvent) => void): Promise<FirefoxRemote> {
  const sink = (await startSink()) as { port: number; close(): Promise<void> };
  const profile = mkdtempSync(join(tmpdir(), 'amplify-sw-auth-firefox-'));
  writeUserJs(profile, firefoxPrefs(sink.port, PREFS));
  const firefox = spawn(FIREFOX_PATH, ['--headless', '--no-remote', '--marionette', '--remote-debugging-port=0', '--remote-allow-system-access', '--profile', profile, 'about:blank'], {
    env: { ...process.env, ...FIREFOX_ENV, MOZ_CRASHREPORTER_DISABLE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, with its content processes: killed together
  });
  const exited = new Promise<void>((resolve) => firefox.once('exit', () => resolve()));
  // Nothing of the profile is kept, so no graceful quit (it takes over a second).
  const kill = () => {
    try {
      process.kill(-firefox.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  // Vitest ends a test file's process without running its 'exit' listeners: a watchdog kills Firefox
  // and removes its profile once this process is gone, however it ends.
  const watchdog = spawn('sh', ['-c', 'while kill -0 "$0" 2>/dev/null; do sleep 1; done; kill -KILL -"$1" 2>/dev/null; rm -rf "$2"', String(process.pid), String(firefox.pid), profile], {
    detached: true,
    stdio: 'ignore',
  });
  watchdog.unref();
  const cleanUp = async () => {
    kill();
    await exited;
    watchdog.kill();
    rmSync(profile, { recursive: true, force: true });
    await sink.close();
  };

  const tag = `\u0001amplify-sw-auth-${randomUUID().slice(0, 8)} `;
  const marks = new Map<string, (pid: number) => void>();
  const scripted = new Set<number>(); // the processes the process script runs in
  let buffered = '';
  firefox.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (buffered + chunk).split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      const at = line.indexOf(tag);
      if (at < 0) continue;
      let event: FirefoxEvent;
      try {
        event = JSON.parse(line.slice(at + tag.length));
      } catch {
        continue; // cut by another process's write: the script keeps its lines under PIPE_BUF, so this should not happen
      }
      if (event.kind === 'hello') scripted.add(event.pid);
      else if (event.kind === 'mark') marks.get(event.id)?.(event.pid);
      else onEvent(event);
    }
  });
  let stderr = '';
  firefox.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));

  try {
    const portFile = join(profile, 'MarionetteActivePort');
    const started = Date.now();
    while (!existsSync(portFile) || !readFileSync(portFile, 'utf8')) {
      if (firefox.exitCode !== null || Date.now() - started > 60_000) throw new Error(`Firefox did not start Marionette:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const marionette = await Marionette.connect(Number(readFileSync(portFile, 'utf8')));
    const session = await marionette.send<{ sessionId: string; capabilities: Record<string, unknown> }>('WebDriver:NewSession', { webSocketUrl: true });
    await marionette.send('Marionette:SetContext', { value: 'chrome' });
    const chrome = <T>(script: string, args: unknown[] = []) => marionette.send<{ value: T }>('WebDriver:ExecuteScript', { script, args }).then((r) => r.value);
    await chrome(`Services.ppmm.loadProcessScript('data:,' + encodeURIComponent(arguments[0]), true);`, [PROCESS_SCRIPT.replace('__TAG__', JSON.stringify(tag))]);

    const socket = await NodeWebSocketTransport.create(String(session.capabilities.webSocketUrl));
    const transport: ConnectionTransport = {
      send(message) {
        const { id, method } = JSON.parse(message) as { id: number; method: string };
        if (method !== 'session.new') return socket.send(message);
        const reply = { type: 'success', id, result: { sessionId: session.sessionId, capabilities: session.capabilities } };
        setTimeout(() => transport.onmessage?.(JSON.stringify(reply)));
      },
      close: () => socket.close(),
    };
    socket.onmessage = (message) => transport.onmessage?.(String(message));
    socket.onclose = () => transport.onclose?.();
    const browser = await puppeteer.connect({ transport, protocol: 'webDriverBiDi', defaultViewport: null });

    return {
      browser,
      chrome,
      async flush() {
        const id = randomUUID();
        const answered = new Set<number>();
        let waiting = new Set<number>();
        let done = () => {};
        const all = new Promise<void>((resolve) => (done = resolve));
        marks.set(id, (pid) => {
          answered.add(pid);
          if (waiting.delete(pid) && waiting.size === 0) done();
        });
        // The parent and every content process answer once what was queued before in them has run.
        const pids = await chrome<number[]>(
          `Services.ppmm.broadcastAsyncMessage('amplify-sw-auth:mark', { id: arguments[0] });
           return Array.from({ length: Services.ppmm.childCount }, (_, i) => Services.ppmm.getChildAt(i)).map((mm) => (mm.isInProcess ? Services.appinfo.processID : mm.osPid));`,
          [id],
        );
        waiting = new Set(pids.filter((pid) => scripted.has(pid) && !answered.has(pid)));
        if (waiting.size > 0) await Promise.race([all, new Promise((r) => setTimeout(r, 2000))]);
        marks.delete(id);
      },
      async idleStop(userContext, force) {
        // To the parent process's own process script.
        const script = `const parent = Array.from({ length: Services.ppmm.childCount }, (_, i) => Services.ppmm.getChildAt(i)).find((mm) => mm.isInProcess);
          parent.sendAsyncMessage('amplify-sw-auth:stop', { userContext: arguments[0], force: arguments[1] });`;
        await chrome(script, [userContext, force]);
      },
      alive: () => firefox.exitCode === null && firefox.signalCode === null,
      async close() {
        await browser.disconnect().catch(() => undefined);
        marionette.close();
        await cleanUp();
      },
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/** A Marionette client: commands `[0, id, name, params]`, replies `[1, id, error, result]`, each framed as `length:json`. */
class Marionette {
  #buffer = Buffer.alloc(0);
  #pending = new Map<number, { resolve(value: any): void; reject(error: Error): void }>();
  #lastId = 0;
  private constructor(private socket: Socket) {
    socket.on('data', (data) => {
      this.#buffer = Buffer.concat([this.#buffer, data]);
      for (let colon = this.#buffer.indexOf(':'); colon >= 0; colon = this.#buffer.indexOf(':')) {
        const end = colon + 1 + Number(this.#buffer.subarray(0, colon).toString());
        if (this.#buffer.length < end) return;
        const message = JSON.parse(this.#buffer.subarray(colon + 1, end).toString());
        this.#buffer = this.#buffer.subarray(end);
        if (!Array.isArray(message)) continue; // the greeting
        const [, id, error, result] = message as [1, number, { error: string; message: string } | null, unknown];
        const pending = this.#pending.get(id);
        this.#pending.delete(id);
        if (error) pending?.reject(new Error(`Marionette: ${error.error}: ${error.message}`));
        else pending?.resolve(result);
      }
    });
    socket.on('error', () => undefined); // a lost connection ends in 'close'
    socket.on('close', () => {
      for (const { reject } of this.#pending.values()) reject(new Error('Marionette: connection closed'));
      this.#pending.clear();
    });
  }

  static connect(port: number): Promise<Marionette> {
    return new Promise((resolve, reject) => {
      const socket = netConnect(port, '127.0.0.1');
      socket.once('error', reject);
      socket.once('connect', () => resolve(new Marionette(socket)));
    });
  }

  send<T = unknown>(name: string, params: object = {}): Promise<T> {
    const id = ++this.#lastId;
    const body = Buffer.from(JSON.stringify([0, id, name, params]));
    this.socket.write(`${body.length}:`);
    this.socket.write(body);
    return new Promise<T>((resolve, reject) => this.#pending.set(id, { resolve, reject }));
  }

  close() {
    this.socket.destroy();
  }
}

/**
 * Runs in the parent and in every content process (privileged; Firefox 140). Console calls arrive
 * from ConsoleAPIStorage: a page's carry its inner window id, a service worker's the id
 * "ServiceWorker" and its scope. Uncaught errors and unhandled rejections of pages and of service
 * workers arrive as nsIScriptError in the content process (a service worker's with no window), except
 * an exception thrown out of a service worker's event listener or script: Firefox passes that one to
 * the parent only, as a console error of the scope with an empty message. Running service workers
 * are the WorkerDebuggerManager's service-worker debuggers.
 */
const PROCESS_SCRIPT = String.raw`
const TAG = __TAG__;
const parent = Services.appinfo.processType === Services.appinfo.PROCESS_TYPE_DEFAULT;
const out = (event) => {
  let line = JSON.stringify(event);
  // One write under PIPE_BUF (4096 bytes) is never interleaved with another process's.
  if (line.length > 3000) line = JSON.stringify({ ...event, text: String(event.text ?? '').slice(0, 1000), message: String(event.message ?? '').slice(0, 1000), stack: String(event.stack ?? '').slice(0, 800) });
  dump(TAG + line + '\n');
};
const format = (value) => {
  try {
    if (typeof value === 'string') return value;
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return String(value);
    if (typeof value.name === 'string' && typeof value.message === 'string') return value.name + ': ' + value.message;
    if (typeof value === 'function') return 'function ' + value.name;
    return JSON.stringify(value) ?? String(value);
  } catch (e) {
    return String(value);
  }
};
const windowOf = (innerWindowID) => {
  const global = innerWindowID > 0 && innerWindowID < 2 ** 53 ? WindowGlobalChild.getByInnerWindowId(innerWindowID) : null;
  if (!global) return undefined;
  return { browserId: global.browsingContext.top.browserId, userContext: global.browsingContext.originAttributes.userContextId };
};

Cc['@mozilla.org/consoleAPI-storage;1'].getService(Ci.nsIConsoleAPIStorage).addLogEventListener((message) => {
  const m = message.wrappedJSObject;
  const text = (m.arguments || []).map(format).join(' ');
  if (m.innerID === 'ServiceWorker') {
    if (!parent) out({ kind: 'console', source: 'worker', level: m.level, text, scope: m.ID });
    else if (m.level === 'error' && text === '') out({ kind: 'worker-error', scope: m.ID });
  } else if (!parent && typeof m.innerID === 'number') {
    const page = windowOf(m.innerID);
    if (page) out({ kind: 'console', source: 'page', level: m.level, text, browserId: page.browserId, userContext: page.userContext });
  }
}, Cc['@mozilla.org/systemprincipal;1'].createInstance(Ci.nsIPrincipal));

if (!parent) {
  Services.console.registerListener({
    observe(e) {
      if (!(e instanceof Ci.nsIScriptError) || e.isFromChromeContext) return;
      if (e.flags & (Ci.nsIScriptError.warningFlag | Ci.nsIScriptError.infoFlag)) return;
      if (e.category !== 'content javascript' && e.category !== 'Web Worker') return;
      const windowed = e.innerWindowID > 0 && e.innerWindowID < 2 ** 53;
      out({ kind: 'error', message: e.errorMessage, rejection: !!e.isPromiseRejection, file: e.sourceName, line: e.lineNumber, column: e.columnNumber, stack: e.stack ? String(e.stack) : '', window: windowed, ...windowOf(e.innerWindowID) });
    },
  });

  const debuggers = Cc['@mozilla.org/dom/workers/workerdebuggermanager;1'].getService(Ci.nsIWorkerDebuggerManager);
  const keys = new WeakMap();
  let last = 0;
  const started = (dbg) => {
    if (dbg.type !== Ci.nsIWorkerDebugger.TYPE_SERVICE) return;
    const key = Services.appinfo.processID + ':' + ++last;
    keys.set(dbg, key);
    let userContext = -1;
    try { userContext = dbg.principal.originAttributes.userContextId; } catch (e) {}
    out({ kind: 'worker-started', key, url: dbg.url, userContext });
  };
  for (const dbg of debuggers.getWorkerDebuggerEnumerator()) started(dbg);
  debuggers.addListener({ onRegister: started, onUnregister: (dbg) => keys.has(dbg) && out({ kind: 'worker-stopped', key: keys.get(dbg) }) });
}

if (parent) {
  // Every registration since start-up: one that was unregistered while a tab it controls is open
  // keeps its worker running, and is no longer among getAllRegistrations().
  const manager = Cc['@mozilla.org/serviceworkers/manager;1'].getService(Ci.nsIServiceWorkerManager);
  const registrations = new Set();
  const existing = manager.getAllRegistrations();
  for (let i = 0; i < existing.length; i++) registrations.add(existing.queryElementAt(i, Ci.nsIServiceWorkerRegistrationInfo));
  manager.addListener({ onRegister: (registration) => registrations.add(registration), onUnregister() {}, onQuotaUsageCheckFinish() {} });
  // The browser's idle stop, on demand: with dom.serviceWorkers.idle_timeout at 0 for a moment,
  // attaching and detaching a debugger re-arms a running worker's idle timer, so Firefox stops it as
  // soon as no event keeps it alive (requests in flight are answered first). A worker that is not
  // running (lifetimeDeadline 0) is left alone: attaching would start it. With force, Firefox's own
  // kill after dom.serviceWorkers.idle_extended_timeout, at once.
  addMessageListener('amplify-sw-auth:stop', ({ data: { userContext, force } }) => {
    const idle = Services.prefs.getIntPref('dom.serviceWorkers.idle_timeout');
    Services.prefs.setIntPref('dom.serviceWorkers.idle_timeout', 0);
    try {
      for (const registration of registrations) {
        if (registration.principal.originAttributes.userContextId !== userContext) continue;
        for (const worker of [registration.installingWorker, registration.waitingWorker, registration.activeWorker]) {
          try {
            if (worker && force) worker.terminateWorker();
            else if (worker && worker.lifetimeDeadline > 0) { worker.attachDebugger(); worker.detachDebugger(); }
          } catch (e) {}
        }
      }
    } finally {
      Services.prefs.setIntPref('dom.serviceWorkers.idle_timeout', idle);
    }
  });
}

addMessageListener('amplify-sw-auth:mark', ({ data }) => out({ kind: 'mark', id: data.id, pid: Services.appinfo.processID }));
out({ kind: 'hello', pid: Services.appinfo.processID });
`;
