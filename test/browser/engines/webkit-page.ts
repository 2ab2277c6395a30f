// WebKit: the tabs of one profile (one WebDriver session). WebDriver runs one command at a time and
// only in the window it is switched to, so every command goes through the profile's queue; a long
// evaluate() is started in the page and then awaited in short slices, so that tabs run side by side.
// The browser reports no console, errors or network events over classic WebDriver (and refuses
// BiDi): the page records them itself (pages/recorder.ts), and every command brings back what it
// recorded since the last one. Service workers' console and errors cannot be read at all.
import { writeFile } from 'node:fs/promises';
import type { WebDriver } from 'selenium-webdriver';
import type { TestPage } from '../driver';
import { installRecorder, type Recorded } from '../pages/recorder';

/** How long the profile's pages stay away for its service workers to stop (WebKit ends a worker ~10 s after its last client left). */
export const STOP_WORKERS_AFTER_MS = 12_000;
/** The longest a command waits in a page while other tabs may be waiting for the session. */
const SLICE_MS = 250;
const NAVIGATION_TIMEOUT_MS = 30_000;

/**
 * A command's script: `body` runs as an async function of `args` (the script's arguments), with the
 * recorder installed (a page the harness did not load gets it now), and answers
 * `{ value, recorded }` or `{ error, recorded }`.
 */
function script(body: string): string {
  return `const done = arguments[arguments.length - 1];
const args = Array.prototype.slice.call(arguments, 0, -1);
(${installRecorder.toString()})();
const take = () => window.__testRecorder.take();
Promise.resolve().then(async () => { ${body} }).then(
  (value) => done({ value: value === undefined ? null : value, recorded: take() }),
  (error) => done({ error: String((error && error.stack && error.message + '\\n' + error.stack) || error), recorded: take() }),
);`;
}

/** Waits (at most args[1] ms) for the evaluation args[0] started in this page, and hands it over once settled. */
const AWAIT_JOB = `const [id, ms] = args;
const job = window.__wdJobs && window.__wdJobs.get(id);
if (!job) return { lost: true };
if (!job.settled) await Promise.race([job.promise, new Promise((r) => setTimeout(r, ms))]);
if (job.settled) window.__wdJobs.delete(id);
return { settled: job.settled };`;

/** Starts `fn(arg)` in the page as job args[0] (arg as JSON in args[2]), then as AWAIT_JOB. */
function startJob(fn: string): string {
  return script(`const jobs = window.__wdJobs || (window.__wdJobs = new Map());
const started = { settled: null };
const arg = JSON.parse(args[2]).arg;
started.promise = Promise.resolve().then(() => (${fn})(arg)).then(
  (value) => { const json = JSON.stringify(value); started.settled = { ok: true, json }; },
  (error) => { started.settled = { ok: false, error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { message: String(error) } }; },
).catch((error) => { started.settled = { ok: false, error: { message: 'the result could not be serialised: ' + error } }; });
jobs.set(args[0], started);
${AWAIT_JOB}`);
}

const WAIT_FOR_SELECTOR = script(`const [selector, ms] = args;
const deadline = Date.now() + ms;
while (!document.querySelector(selector) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
return document.querySelector(selector) !== null;`);

interface Reply<T> {
  value?: T;
  error?: string;
  recorded: Recorded;
}

interface Tab {
  handle: string;
  logs: string[];
  responses: TestPage['responses'];
  waitFor: string;
}

let lastJob = 0;

export function openProfile(driver: WebDriver, waitFor: string, shutdown: () => Promise<void>) {
  const errors: string[] = [];
  const tabs = new Set<Tab>();
  let current: string | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let closed: Promise<void> | undefined;

  /** Runs `step` alone in the session. */
  const exclusive = <T>(step: () => Promise<T>): Promise<T> => {
    const run = queue.then(() => {
      if (closed) throw new Error('the profile is closed');
      return step();
    });
    queue = run.catch(() => undefined);
    return run;
  };
  const switchTo = async (tab: Tab) => {
    if (current === tab.handle) return;
    await driver.switchTo().window(tab.handle);
    current = tab.handle;
  };
  /** Runs a script() in the tab's window (the caller holds the queue); keeps what the page recorded. */
  const execute = async <T>(tab: Tab, text: string, ...args: unknown[]): Promise<T> => {
    await switchTo(tab);
    const reply = (await driver.executeAsyncScript(text, ...args)) as Reply<T> | null;
    if (!reply || typeof reply !== 'object' || !('recorded' in reply)) throw new Error(`WebKit: unexpected script reply ${JSON.stringify(reply)}`);
    tab.logs.push(...reply.recorded.logs);
    errors.push(...reply.recorded.errors);
    tab.responses.push(...reply.recorded.responses.map(response));
    if (reply.error !== undefined) throw new Error(reply.error);
    return reply.value as T;
  };
  const run = <T>(tab: Tab, text: string, ...args: unknown[]) => exclusive(() => execute<T>(tab, text, ...args));
  const drain = (tab: Tab) => execute(tab, script('return null;'));
  const waitForSelector = async (tab: Tab, selector: string) => {
    if (!selector) return;
    const deadline = Date.now() + NAVIGATION_TIMEOUT_MS;
    // In slices, so that the other tabs' commands get their turn.
    while (!(await run<boolean>(tab, WAIT_FOR_SELECTOR, selector, SLICE_MS))) {
      if (Date.now() > deadline) throw new Error(`WebKit: "${selector}" did not appear in ${await driver.getCurrentUrl()} within ${NAVIGATION_TIMEOUT_MS} ms`);
    }
  };
  const navigate = async (tab: Tab, how: () => Promise<unknown>) => {
    await exclusive(async () => {
      await drain(tab).catch(() => undefined); // what the old document recorded
      await how();
      await drain(tab);
    });
    await waitForSelector(tab, tab.waitFor);
  };

  const wrap = (tab: Tab): TestPage => ({
    logs: tab.logs,
    responses: tab.responses,
    errors,
    evaluate: (async (fn: (arg: unknown) => unknown, arg?: unknown) => {
      const id = ++lastJob;
      type Job = { lost?: true; settled?: { ok: boolean; json?: string; error?: { name?: string; message: string; stack?: string } } | null };
      let job = await run<Job>(tab, startJob(fn.toString()), id, SLICE_MS, JSON.stringify({ arg }));
      while (!job.settled) {
        if (job.lost) throw new Error('WebKit: the page navigated away before evaluate() settled');
        job = await run<Job>(tab, script(AWAIT_JOB), id, SLICE_MS);
      }
      const { ok, json, error } = job.settled;
      if (ok) return json === undefined ? undefined : JSON.parse(json);
      const thrown = new Error(error!.message);
      if (error!.name) thrown.name = error!.name;
      if (error!.stack) thrown.stack = `${error!.name ?? 'Error'}: ${error!.message}\n${error!.stack}`;
      throw thrown;
    }) as TestPage['evaluate'],
    goto: (url) => navigate(tab, () => driver.get(url)),
    reload: () => navigate(tab, () => driver.navigate().refresh()),
    async flushErrors() {
      // A round trip to each tab: what it recorded so far comes with the answer.
      await exclusive(async () => {
        for (const each of tabs) await drain(each).catch(() => undefined);
      });
    },
    async screenshot(path) {
      const png = await exclusive(async () => {
        await switchTo(tab);
        return driver.takeScreenshot();
      });
      await writeFile(path, png, 'base64');
    },
    /**
     * WebKit has no command that stops a service worker, but it ends one about 10 s after its last
     * client went away. Every tab of the profile goes to about:blank for STOP_WORKERS_AFTER_MS, then
     * back: the back/forward cache brings each page back as it was (its script state, its pending
     * promises), now with a new worker instance (measured here: not stopped after 9 s away, stopped
     * after 10.5 s). A page the cache did not keep fails the call, and so does a page with fetch()
     * or XHR requests in flight, since leaving it would cancel them: a busy worker cannot be stopped.
     */
    setOffline: () => Promise.reject(new Error('WebKit: no offline emulation (see LACKS)')),
    async stopWorkers() {
      await exclusive(async () => {
        const token = `kept-${Date.now()}-${Math.random()}`;
        const away = [...tabs];
        const busy: string[] = [];
        for (const each of away) {
          const { url, inFlight } = await execute<{ url: string; inFlight: number }>(each, script('return { url: location.href, inFlight: window.__testRecorder.inFlight() };'));
          if (inFlight > 0) busy.push(`${url} (${inFlight})`);
        }
        // Leaving a page cancels its requests: that would not be the stop of a worker, but the page's doing.
        if (busy.length) throw new Error(`WebKit: stopWorkers() can only take the pages away from the worker, which would cancel the requests these have in flight: ${busy.join(', ')}. A forced stop of a busy worker is not possible in WebKit.`);
        for (const each of away) {
          await execute(each, script('window.__wdKept = args[0]; return null;'), token);
          await driver.get('about:blank');
        }
        await new Promise((r) => setTimeout(r, STOP_WORKERS_AFTER_MS));
        const lost: string[] = [];
        for (const each of away) {
          await switchTo(each);
          await driver.navigate().back();
          const state = await execute<{ kept: boolean; url: string }>(each, script('return { kept: window.__wdKept === args[0], url: location.href };'), token);
          if (!state.kept) lost.push(state.url);
        }
        if (lost.length) throw new Error(`WebKit: stopWorkers() reloaded ${lost.join(', ')}: the back/forward cache did not keep the page (it had to leave it for its worker to stop)`);
      });
    },
    async hardReload() {
      throw new Error('WebKit: no reload that bypasses the service worker (LACKS.webkit["hard-reload"])');
    },
    async waitForResponse(url) {
      const from = await exclusive(async () => (await drain(tab), tab.responses.length));
      const deadline = Date.now() + NAVIGATION_TIMEOUT_MS;
      for (;;) {
        const found = tab.responses.slice(from).find((r) => r.url === url);
        if (found) return found.status;
        const here = await exclusive(async () => (await drain(tab), driver.getCurrentUrl()));
        if (here === url) throw new Error(`WebKit: the tab navigated to ${url}, but the status of a navigation cannot be read (no network events; Resource Timing has no responseStatus)`);
        if (Date.now() > deadline) throw new Error(`WebKit: no response for ${url} within ${NAVIGATION_TIMEOUT_MS} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    openTab: (url, options) => openTab(url, options?.waitFor ?? waitFor),
    async closeTab() {
      await exclusive(async () => {
        await drain(tab).catch(() => undefined);
        await switchTo(tab);
        await driver.close();
        current = undefined;
        tabs.delete(tab);
      });
    },
    // Ending the session closes every tab of the profile.
    close() {
      closed ??= queue.then(shutdown);
      return closed;
    },
  });

  const openTab = async (url: string, tabWaitFor: string, first = false): Promise<TestPage> => {
    const handle = await exclusive(async () => {
      if (!first) await driver.switchTo().newWindow('tab');
      current = await driver.getWindowHandle();
      return current;
    });
    const tab: Tab = { handle, logs: [], responses: [], waitFor: tabWaitFor };
    tabs.add(tab);
    await navigate(tab, () => driver.get(url));
    return wrap(tab);
  };

  return {
    async open(url: string): Promise<TestPage> {
      await driver.manage().setTimeouts({ script: 60_000 });
      return openTab(url, waitFor, true);
    },
  };
}

/** A response the page's recorder saw: its URL and status; who answered it cannot be told in WebKit. */
function response({ url, status }: { url: string; status: number }): TestPage['responses'][number] {
  return {
    url,
    status,
    get fromServiceWorker(): boolean {
      throw new Error('WebKit: whether a service worker answered a response cannot be told (LACKS.webkit["response-source"])');
    },
  };
}
