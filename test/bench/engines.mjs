// The browser the benchmark drives, behind one small interface: Chromium over a raw CDP pipe
// (cdp.mjs), Firefox over raw WebDriver BiDi (bidi.mjs). Neither enables anything that watches
// requests; `hygiene()` proves it for the run's report.
import { launchFirefox } from './bidi.mjs';
import { evaluate, launchChromium, openIsolatedPage } from './cdp.mjs';

/**
 * @typedef {{
 *   version: string,
 *   open: (url: string) => Promise<unknown>,
 *   evaluate: (page: any, expression: string) => Promise<any>,
 *   stopWorkers?: (page: any) => Promise<void>,
 *   noStop?: string,
 *   hygiene: () => { methods: string[], networkEvents: number },
 *   close: () => Promise<void>,
 * }} BenchBrowser
 */

/** @param {'chromium' | 'firefox'} engine @returns {Promise<BenchBrowser>} */
export async function launchBenchBrowser(engine) {
  if (engine === 'firefox') return firefox();
  if (engine === 'chromium') return chromium();
  throw new Error(`--engine ${engine}: the benchmark runs in chromium or firefox.`);
}

async function chromium() {
  const cdp = await launchChromium();
  const { product } = await cdp.browser.send('Browser.getVersion');
  return {
    version: product,
    open: async (/** @type {string} */ url) => (await openIsolatedPage(cdp, url)).session,
    evaluate,
    stopWorkers: (/** @type {import('./cdp.mjs').Session} */ session) => stopWorkers(cdp, session),
    hygiene() {
      const methods = [...cdp.methodsSent].sort();
      const watching = methods.filter((m) => /^(Network|Fetch)\./.test(m));
      const networkEvents = [...cdp.eventsSeen].filter(([m]) => /^(Network|Fetch)\./.test(m)).reduce((n, [, c]) => n + c, 0);
      if (watching.length > 0 || networkEvents > 0) throw new Error(`the driver watched the network: ${watching.join(', ')} (${networkEvents} events)`);
      return { methods, networkEvents };
    },
    close: () => cdp.close(),
  };
}

async function firefox() {
  const ff = await launchFirefox();
  return {
    version: ff.version,
    open: (/** @type {string} */ url) => ff.open(url),
    evaluate: (/** @type {string} */ context, /** @type {string} */ expression) => ff.evaluate(context, expression),
    // WebDriver BiDi has no command to stop a service worker, and the idle-timeout prefs that end one
    // within seconds would also stop the warm workers between their blocks.
    noStop: 'Firefox cannot stop a service worker on demand (no WebDriver BiDi command; idle-timeout prefs would also stop the warm workers between blocks)',
    hygiene() {
      const methods = [...ff.methodsSent].sort();
      if (methods.some((m) => m.startsWith('network.') || m === 'session.subscribe')) throw new Error(`the driver watched the network: ${methods.join(', ')}`);
      return { methods, networkEvents: 0 };
    },
    close: () => ff.close(),
  };
}

/**
 * Stops the page context's service workers and waits until CDP reports them stopped. The
 * ServiceWorker domain is on only for this, and off again before the timed request.
 * @param {import('./cdp.mjs').Cdp} cdp
 * @param {import('./cdp.mjs').Session} session
 */
async function stopWorkers(cdp, session) {
  /** @type {Map<string, string>} */
  const status = new Map();
  let wake = () => {};
  const off = cdp.on('ServiceWorker.workerVersionUpdated', (params, sessionId) => {
    if (sessionId !== session.sessionId) return;
    for (const v of params.versions) status.set(v.versionId, v.runningStatus);
    wake();
  });
  try {
    await session.send('ServiceWorker.enable');
    await session.send('ServiceWorker.stopAllWorkers');
    const deadline = Date.now() + 5000;
    while (status.size === 0 || [...status.values()].some((s) => s !== 'stopped')) {
      if (Date.now() > deadline) throw new Error(`service workers did not stop: ${JSON.stringify([...status])}`);
      await new Promise((resolve) => {
        wake = () => resolve(undefined);
        setTimeout(resolve, 50);
      });
    }
  } finally {
    off();
    await session.send('ServiceWorker.disable');
  }
}
