// A thin layer over the browser, so the same tests run in Chromium, Firefox and WebKit: open a
// page, evaluate in it, read its console and its uncaught errors, stop its service workers. One
// implementation per engine in engines/; tests ask for capabilities, never for engine names.

export interface TestPage {
  /** Runs `fn` in the page and returns its (serialisable) result. */
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  evaluate<R>(fn: () => R | Promise<R>): Promise<R>;
  goto(url: string): Promise<void>;
  reload(): Promise<void>;
  /** Console messages of the page and of its service worker, in order. */
  readonly logs: string[];
  /**
   * Uncaught errors and unhandled promise rejections so far in this profile: in any of its tabs
   * (`[page] ...`) and any of its service workers (`[worker] ...`, restarts and updates included),
   * each with its message and stack, or the script location. The tabs of a profile share the list.
   * Read it after `flushErrors()`; remove the entries a test provokes on purpose.
   */
  readonly errors: string[];
  /** Resolves once every error the browser reported up to now for this profile is in `errors`. */
  flushErrors(): Promise<void>;
  /** Every response the page received, and whether a service worker answered it (respondWith). */
  readonly responses: { url: string; status: number; fromServiceWorker: boolean }[];
  screenshot(path: string): Promise<void>;
  /** Stops every service worker of the browser context (the browser's idle stop, on demand). */
  stopWorkers(): Promise<void>;
  /** Takes the profile off the network (its pages and service workers), or back on. */
  setOffline(offline: boolean): Promise<void>;
  /** Reloads bypassing the cache and the service worker, like Shift+Reload. */
  hardReload(): Promise<void>;
  /** The status of the next response this tab receives for `url`, whatever it is. */
  waitForResponse(url: string): Promise<number>;
  /** Another tab in the same profile (same origin storage and service workers); `waitFor: ''` for a page that is not the harness. */
  openTab(url: string, options?: { waitFor?: string }): Promise<TestPage>;
  /** Closes this tab only. */
  closeTab(): Promise<void>;
  close(): Promise<void>;
}

export interface TestBrowser {
  /** A page in a fresh, isolated profile (its own storage and service worker registrations). */
  newPage(url: string, options?: { waitFor?: string }): Promise<TestPage>;
  close(): Promise<void>;
}

/** What an engine's driver may lack; a test that needs one is marked for that engine, with the reason. */
export type Capability =
  /** Stop the service workers on demand (the browser's idle stop). */
  | 'stop-worker'
  /** Reload bypassing the service worker (Shift+Reload). */
  | 'hard-reload'
  /** Tell whether a service worker answered a response (`respondWith`). */
  | 'response-source'
  /** Read the service worker's console. */
  | 'worker-console'
  /** Read the service worker's uncaught errors and unhandled rejections. */
  | 'worker-errors'
  /** Stop a service worker that is busy with requests (not only an idle one). */
  | 'forced-stop-worker'
  // Platform features some engines lack, which a test needs to exist at all:
  /** Chromium's Service Worker Static Routing API (`InstallEvent.addRoutes`). */
  | 'static-routing'
  /** `ReadableStream` request bodies (`duplex: 'half'`). */
  | 'request-streams'
  /** A dedicated worker's fetch reaching the service worker while its page's main thread is blocked. */
  | 'worker-fetch-while-page-blocked'
  /** `keepalive` requests going through the page's service worker, as Fetch specifies. */
  | 'keepalive-interception'
  /** Take the browser's pages and workers off the network (`setOffline`). */
  | 'offline-emulation'
  /** A `<video>` or `<audio>` element's (Range) requests reaching the page's service worker. */
  | 'media-range-interception'
  /** A `<video>` element asking for its file by byte range (`Range: bytes=0-`) when it starts loading. */
  | 'media-range-requests';

export type Engine = 'chromium' | 'firefox' | 'webkit';

export interface EngineDriver {
  engine: Engine;
  launch(): Promise<TestBrowser>;
}

/** The engine the browser tests run in: BROWSER_ENGINE, default chromium. */
export const ENGINE = (process.env.BROWSER_ENGINE ?? 'chromium') as Engine;

/** What each engine's driver cannot do, and why: the README's engine table lists the same. */
export const LACKS: Record<Engine, Partial<Record<Capability, string>>> = {
  chromium: {},
  firefox: {
    'offline-emulation': "puppeteer's offline mode covers the page but not its service worker, whose fetches still reach the network; cut the network on the server side instead",
    'keepalive-interception': 'Firefox 140 sends keepalive requests straight to the network: no fetch event, so no auth (the page gets the API\'s 403)',
    'forced-stop-worker': "Firefox stops a busy worker only by killing it (terminateWorker, as after dom.serviceWorkers.idle_extended_timeout), which fails its requests in flight with a NetworkError; the driver's stop is Firefox's idle stop, which lets them finish first",
    'static-routing': 'Firefox 140 has no Static Routing API (InstallEvent.addRoutes); the worker feature-detects it and keeps routing in its fetch listener',
    'request-streams': 'Firefox 140 has no streaming request bodies: it never reads `duplex` and sends a ReadableStream body as the text "[object ReadableStream]", worker or not',
    'worker-fetch-while-page-blocked': "a dedicated worker's fetch goes through its page's main thread in Firefox 140, so none reaches the service worker while the page is blocked; they leave once it is free",
    'media-range-interception': 'Firefox 140 sends the Range requests of <video> and <audio> elements straight to the network, past the service worker (Mozilla bug 1465074): no fetch event, so no auth; <img> and CSS loads do reach it',
  },
  webkit: {
    'offline-emulation': 'WebKitWebDriver has no offline emulation; cut the network on the server side instead',
    'hard-reload': 'WebDriver has no reload that bypasses the service worker, and MiniBrowser ignores Shift+Reload keys sent by automation',
    'response-source': 'classic WebDriver gives no network events, and WebKit\'s Resource Timing has no responseStatus and the same entry for a respondWith(fetch()) and a request the worker let through',
    'worker-console': 'MiniBrowser exposes no console to automation (BiDi refused, nothing on stdout), and a service worker cannot be reached from the page',
    'worker-errors': 'MiniBrowser exposes no console to automation (BiDi refused, nothing on stdout), so a service worker\'s uncaught errors cannot be read',
    'forced-stop-worker': 'no command stops a worker; the only way, leaving its pages for 12 s, cancels their requests in flight',
    'static-routing': 'WebKit has no Static Routing API (InstallEvent.addRoutes); the worker feature-detects it and keeps routing in its fetch listener',
    'request-streams': 'WebKit rejects a ReadableStream request body in the page itself (NotSupportedError), worker or not',
    'worker-fetch-while-page-blocked': "a dedicated worker's requests wait for its page's main thread in WebKit, so none reaches the service worker while the page is blocked",
    'media-range-requests': "WebKitGTK's GStreamer loader asks for a whole media file without a Range header, and on loopback has it all before any seek; its loads through the worker are tested without one",
  },
};

const ENGINES: Record<Engine, () => Promise<EngineDriver>> = {
  chromium: () => import('./engines/chromium').then((m) => m.chromiumDriver),
  firefox: () => import('./engines/firefox').then((m) => m.firefoxDriver),
  webkit: () => import('./engines/webkit').then((m) => m.webkitDriver),
};

export async function engineDriver(engine: Engine = ENGINE): Promise<EngineDriver> {
  const load = ENGINES[engine];
  if (!load) throw new Error(`BROWSER_ENGINE=${engine}: expected one of ${Object.keys(ENGINES).join(', ')}.`);
  return load();
}

export async function launchBrowser(): Promise<TestBrowser> {
  return (await engineDriver()).launch();
}
