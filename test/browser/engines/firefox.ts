// Firefox ESR, from Debian's package, through puppeteer-core over WebDriver BiDi (REFERENCE §4), with
// the parent process's privileged side for what BiDi lacks (firefox-remote.ts): one BiDi user
// context per profile; console lines and uncaught errors from a process script; service workers
// stopped the way Firefox stops an idle one; a reload that bypasses the service worker.
import type { BrowserContext, Page } from 'puppeteer-core';
import type { EngineDriver, TestBrowser, TestPage } from '../driver';
import { launchFirefox, type FirefoxEvent, type FirefoxRemote } from './firefox-remote';

export const firefoxDriver: EngineDriver = { engine: 'firefox', launch: launchFirefoxDriver };

/** What the tabs of one BiDi user context share. */
interface Profile {
  context: BrowserContext;
  /** Firefox's own userContextId of the BiDi user context. */
  userContext: number;
  waitFor: string;
  /** Uncaught errors of the profile's tabs and service workers. */
  errors: string[];
  tabs: Tab[];
}

interface Tab {
  page: Page;
  profile: Profile;
  browserId: number;
  logs: string[];
}

const TAB_MANAGER = `const { TabManager } = ChromeUtils.importESModule('chrome://remote/content/shared/TabManager.sys.mjs');`;
/** The BiDi id of a page's top-level browsing context (Puppeteer keeps it as the main frame's id). */
const contextIdOf = (page: Page) => (page.mainFrame() as unknown as { _id: string })._id;

/**
 * One Firefox per test process, lent to its TestBrowsers in turn (a test file's describe blocks):
 * starting one takes about 5 s here. Nothing carries over, as every profile is a user context of
 * its own, closed with its test. It quits 2 s after the last TestBrowser closed, or with the process.
 */
interface Firefox {
  remote: FirefoxRemote;
  /** Running service workers: userContextId by key (firefox-remote.ts's worker-started/-stopped). */
  running: Map<string, number>;
  /** The open TestBrowsers' event handlers. */
  listeners: Set<Listener>;
  quit?: NodeJS.Timeout;
}
type Listener = (event: FirefoxEvent, running: Map<string, number>) => void;
let shared: Promise<Firefox> | undefined;

async function borrowFirefox(listener: Listener): Promise<Firefox> {
  const current = await shared?.catch(() => undefined);
  if (current?.remote.alive()) {
    clearTimeout(current.quit);
    current.listeners.add(listener);
    return current;
  }
  const running = new Map<string, number>();
  const listeners = new Set<Listener>([listener]);
  shared = launchFirefox((event) => {
    if (event.kind === 'worker-started') running.set(event.key, event.userContext);
    else if (event.kind === 'worker-stopped') running.delete(event.key);
    else for (const l of listeners) l(event, running);
  }).then((remote) => ({ remote, running, listeners }));
  return shared;
}

function giveBack(firefox: Firefox, listener: Listener) {
  firefox.listeners.delete(listener);
  if (firefox.listeners.size > 0) return;
  clearTimeout(firefox.quit);
  firefox.quit = setTimeout(() => {
    if (firefox.listeners.size > 0) return;
    shared = undefined;
    void firefox.remote.close();
  }, 2000).unref(); // a process that ends first kills it (firefox-remote.ts)
}

async function launchFirefoxDriver(): Promise<TestBrowser> {
  const profiles = new Set<Profile>();
  const tabs = new Map<number, Tab>(); // by browserId
  const firefox = await borrowFirefox(route);
  const { remote, running } = firefox;

  function route(event: FirefoxEvent, running: Map<string, number>) {
    /** The profiles a service worker's console line or error belongs to: those running one, else every open one. */
    const workerProfiles = () => {
      const withWorker = [...profiles].filter((p) => [...running.values()].includes(p.userContext));
      return withWorker.length > 0 ? withWorker : [...profiles];
    };
    if (event.kind === 'console' && event.source === 'page') tabs.get(event.browserId)?.logs.push(`[page] ${consoleType(event.level)}: ${event.text}`);
    else if (event.kind === 'console') for (const p of workerProfiles()) for (const t of p.tabs) t.logs.push(`[worker] ${consoleType(event.level)}: ${event.text}`);
    else if (event.kind === 'worker-error') {
      const entry = `[worker] Uncaught exception in the service worker of ${event.scope} (Firefox passes on neither its message nor its stack)`;
      for (const p of workerProfiles()) p.errors.push(entry);
    } else if (event.kind === 'error' && event.window) {
      const tab = event.browserId === undefined ? undefined : tabs.get(event.browserId);
      const owner = tab?.profile ?? [...profiles].find((p) => p.userContext === event.userContext);
      tab?.logs.push(`[page] uncaught: ${event.message}`);
      const entry = [`[page] ${event.message} (in ${tab?.page.url() ?? event.file})`, ...stackLines(event.stack)].join('\n');
      for (const p of owner ? [owner] : profiles) p.errors.push(entry);
    } else if (event.kind === 'error') {
      // Firefox's own report of a request a respondWith() failed (a rejected promise, Response.error()): the page
      // gets the network error, as in Chromium, where it is no uncaught error either.
      if (event.file === '' && /^NetworkError: (AutoCancel|FetchEvent\.respondWith\(\) Promise rejected)$/.test(event.message)) return;
      const stack = stackLines(event.stack);
      const entry = [`[worker] ${event.rejection ? 'Uncaught (in promise)' : 'Uncaught'} ${event.message}`, ...(stack.length ? stack : [`    at ${event.file}:${event.line}:${event.column + 1}`])].join('\n');
      for (const p of workerProfiles()) p.errors.push(entry);
    }
  }

  async function stopWorkers(profile: Profile) {
    const runs = () => [...running.values()].includes(profile.userContext);
    await remote.flush(); // a worker that started a moment ago is known
    for (let attempt = 0; runs(); attempt++) {
      // Firefox's own grace for events that never settle is dom.serviceWorkers.idle_extended_timeout (30 s); then it kills the worker.
      await remote.idleStop(profile.userContext, attempt >= 30);
      for (let waited = 0; runs() && waited < 1000; waited += 20) await new Promise((r) => setTimeout(r, 20));
      if (attempt > 35) throw new Error('stopWorkers(): the service workers of this profile did not stop');
    }
  }

  async function open(profile: Profile, page: Page, url: string, waitFor = profile.waitFor): Promise<TestPage> {
    const browserId = await remote.chrome<number>(`${TAB_MANAGER} return TabManager.getBrowsingContextById(arguments[0]).browserId;`, [contextIdOf(page)]);
    const tab: Tab = { page, profile, browserId, logs: [] };
    tabs.set(browserId, tab);
    profile.tabs.push(tab);
    const responses: TestPage['responses'] = [];
    // With the HTTP cache off, `fromCache` is Firefox's fromServiceWorker (see firefox-remote.ts PREFS).
    page.on('response', (r) => responses.push({ url: r.url(), status: r.status(), fromServiceWorker: r.fromCache() }));
    const ready = async () => {
      if (waitFor) await page.waitForSelector(waitFor);
    };
    await page.goto(url);
    await ready();
    return {
      responses,
      evaluate: ((fn: any, arg?: any) => page.evaluate(fn, arg)) as TestPage['evaluate'],
      async goto(url) {
        await page.goto(url);
        await ready();
      },
      async reload() {
        await page.reload();
        await ready();
      },
      logs: tab.logs,
      errors: profile.errors,
      flushErrors: () => remote.flush(),
      async screenshot(path) {
        await page.screenshot({ path: path as `${string}.png`, fullPage: true });
      },
      stopWorkers: () => stopWorkers(profile),
      setOffline: () => Promise.reject(new Error('Firefox: no offline emulation that reaches the service worker (see LACKS)')),
      async hardReload() {
        // Shift+Reload's flags; BiDi's browsingContext.reload refuses ignoreCache in Firefox 140.
        const flags = 'Ci.nsIWebNavigation.LOAD_FLAGS_BYPASS_CACHE | Ci.nsIWebNavigation.LOAD_FLAGS_BYPASS_PROXY';
        await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), remote.chrome(`${TAB_MANAGER} TabManager.getBrowsingContextById(arguments[0]).reload(${flags});`, [contextIdOf(page)])]);
        await ready();
      },
      waitForResponse: (url) => page.waitForResponse(url).then((r) => r.status()),
      openTab: async (url, options) => open(profile, await profile.context.newPage(), url, options?.waitFor),
      closeTab: () => page.close(),
      // Closing the user context closes every tab of it.
      async close() {
        await profile.context.close();
        profiles.delete(profile);
        for (const t of profile.tabs) tabs.delete(t.browserId);
      },
    };
  }

  return {
    async newPage(url, { waitFor = 'body[data-ready]' } = {}) {
      const context = await remote.browser.createBrowserContext();
      const userContext = await remote.chrome<number>(
        `const { UserContextManager } = ChromeUtils.importESModule('chrome://remote/content/shared/UserContextManager.sys.mjs'); return UserContextManager.getInternalIdById(arguments[0]);`,
        [context.id],
      );
      const profile: Profile = { context, userContext, waitFor, errors: [], tabs: [] };
      profiles.add(profile);
      return open(profile, await context.newPage(), url);
    },
    async close() {
      await Promise.all([...profiles].map((p) => p.context.close().catch(() => undefined)));
      giveBack(firefox, route);
    },
  };
}

/** Console method names as Playwright reports them (the Chromium driver's), from Firefox's. */
function consoleType(level: string): string {
  return ({ warn: 'warning', group: 'startGroup', groupCollapsed: 'startGroupCollapsed', groupEnd: 'endGroup' } as Record<string, string>)[level] ?? level;
}

/** A Firefox stack (`fn@url:line:col`, one frame a line) as `    at fn (url:line:col)` lines, without Firefox's own frames. */
function stackLines(stack: string): string[] {
  return stack
    .split('\n')
    .map((frame) => /^(?:[^*@]*\*)?(.*)@(.*):(\d+):(\d+)$/.exec(frame))
    .filter((m): m is RegExpExecArray => m !== null && !/^(chrome|resource|moz-src):/.test(m[2]))
    .map(([, fn, url, line, column]) => `    at ${fn || '<anonymous>'} (${url}:${line}:${column})`);
}
