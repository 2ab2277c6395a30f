// Chromium, from Debian's package, through playwright-core (REFERENCE §4).
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../chromium.mjs';
import type { EngineDriver, TestBrowser, TestPage } from '../driver';
import { browserContextId, watchServiceWorkerErrors, within } from './chromium-worker-errors';

export const chromiumDriver: EngineDriver = { engine: 'chromium', launch: launchChromium };

async function launchChromium(): Promise<TestBrowser> {
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  const workerErrors = await watchServiceWorkerErrors(browser);
  return {
    async newPage(url, { waitFor = 'body[data-ready]' } = {}) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const id = await browserContextId(context, page);
      const profile: Profile = {
        context,
        waitFor,
        errors: workerErrors.watch(id),
        flushWorkers: () => workerErrors.flush(id),
        forget: () => workerErrors.forget(id),
      };
      return open(profile, page, url);
    },
    close: () => browser.close(),
  };
}

/** What the tabs of one browser context share. */
interface Profile {
  context: BrowserContext;
  waitFor: string;
  /** Uncaught errors of the profile's tabs and service workers. */
  errors: string[];
  /** Waits for the errors its service workers reported so far. */
  flushWorkers(): Promise<void>;
  /** Stops collecting (the profile is closed). */
  forget(): void;
}

async function open(profile: Profile, page: Page, url: string, waitFor = profile.waitFor): Promise<TestPage> {
  const { context } = profile;
  const logs: string[] = [];
  const responses: TestPage['responses'] = [];
  page.on('response', (r) => responses.push({ url: r.url(), status: r.status(), fromServiceWorker: r.fromServiceWorker() }));
  page.on('console', (m) => logs.push(`[page] ${m.type()}: ${m.text()}`));
  // Chromium reports unhandled rejections here too (as the console does: a handler added later does
  // not take one back), with the rejection reason's stack.
  page.on('pageerror', (e) => {
    logs.push(`[page] uncaught: ${e.message}`);
    const [head, ...stack] = (e.stack || `${e.name}: ${e.message}`).split('\n');
    profile.errors.push([`[page] ${head} (in ${page.url()})`, ...stack].join('\n'));
  });
  context.on('serviceworker', (worker) => worker.on('console', (m) => logs.push(`[worker] ${m.type()}: ${m.text()}`)));
  await page.goto(url);
  if (waitFor) await page.waitForSelector(waitFor, { state: 'attached' });
  return wrap(profile, page, logs, responses, waitFor);
}

function wrap(profile: Profile, page: Page, logs: string[], responses: TestPage['responses'], waitFor: string): TestPage {
  const { context } = profile;
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
    errors: profile.errors,
    async flushErrors() {
      // A round trip to each tab: its errors so far come before the answer.
      await Promise.all([...context.pages().map((p) => within(1000, p.evaluate(() => 0))), profile.flushWorkers()]);
    },
    async screenshot(path) {
      await page.screenshot({ path, fullPage: true });
    },
    // Reaches the service worker too (REFERENCE §4).
    setOffline: (offline) => context.setOffline(offline),
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
    waitForResponse: (url) => page.waitForResponse(url).then((r) => r.status()),
    openTab: async (url, options) => open(profile, await context.newPage(), url, options?.waitFor),
    closeTab: () => page.close(),
    // Closing the context closes every tab of it.
    async close() {
      await context.close();
      profile.forget();
    },
  };
}
