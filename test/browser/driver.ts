// A thin layer over the browser, so the same tests can later run in Firefox and WebKit:
// open a page, evaluate in it, read its console, stop its service workers.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../chromium.mjs';

export interface TestPage {
  /** Runs `fn` in the page and returns its (serialisable) result. */
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  evaluate<R>(fn: () => R | Promise<R>): Promise<R>;
  goto(url: string): Promise<void>;
  reload(): Promise<void>;
  /** Console messages of the page and of its service worker, in order. */
  readonly logs: string[];
  /** Every response the page received, and whether a service worker answered it (respondWith). */
  readonly responses: { url: string; status: number; fromServiceWorker: boolean }[];
  screenshot(path: string): Promise<void>;
  /** Stops every service worker of the browser context (the browser's idle stop, on demand). */
  stopWorkers(): Promise<void>;
  /** Reloads bypassing the cache and the service worker, like Shift+Reload. */
  hardReload(): Promise<void>;
  /** Another tab in the same profile (same origin storage and service workers). */
  openTab(url: string): Promise<TestPage>;
  /** Closes this tab only. */
  closeTab(): Promise<void>;
  close(): Promise<void>;
}

export interface TestBrowser {
  /** A page in a fresh, isolated profile (its own storage and service worker registrations). */
  newPage(url: string, options?: { waitFor?: string }): Promise<TestPage>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<TestBrowser> {
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  return {
    async newPage(url, { waitFor = 'body[data-ready]' } = {}) {
      const context = await browser.newContext();
      return open(context, url, waitFor);
    },
    close: () => browser.close(),
  };
}

async function open(context: BrowserContext, url: string, waitFor: string): Promise<TestPage> {
  const page = await context.newPage();
  const logs: string[] = [];
  const responses: TestPage['responses'] = [];
  page.on('response', (r) => responses.push({ url: r.url(), status: r.status(), fromServiceWorker: r.fromServiceWorker() }));
  page.on('console', (m) => logs.push(`[page] ${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => logs.push(`[page] uncaught: ${e.message}`));
  context.on('serviceworker', (worker) => worker.on('console', (m) => logs.push(`[worker] ${m.type()}: ${m.text()}`)));
  await page.goto(url);
  if (waitFor) await page.waitForSelector(waitFor, { state: 'attached' });
  return wrap(context, page, logs, responses, waitFor);
}

function wrap(context: BrowserContext, page: Page, logs: string[], responses: TestPage['responses'], waitFor: string): TestPage {
  return {
    responses,
    evaluate: ((fn: any, arg?: any) => page.evaluate(fn, arg)) as TestPage['evaluate'],
    async goto(url) {
      await page.goto(url);
      if (waitFor) await page.waitForSelector(waitFor, { state: 'attached' });
    },
    async reload() {
      await page.reload();
      if (waitFor) await page.waitForSelector(waitFor, { state: 'attached' });
    },
    logs,
    async screenshot(path) {
      await page.screenshot({ path, fullPage: true });
    },
    async stopWorkers() {
      const cdp = await context.newCDPSession(page);
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.stopAllWorkers');
      await cdp.detach();
    },
    async hardReload() {
      const cdp = await context.newCDPSession(page);
      const loaded = page.waitForEvent('load');
      await cdp.send('Page.reload', { ignoreCache: true });
      await loaded;
      await cdp.detach();
      if (waitFor) await page.waitForSelector(waitFor, { state: 'attached' });
    },
    openTab: (url) => open(context, url, waitFor),
    closeTab: () => page.close(),
    // Closing the context closes every tab of it.
    close: () => context.close(),
  };
}
