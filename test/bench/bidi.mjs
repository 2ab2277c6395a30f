// Firefox ESR over raw WebDriver BiDi (a WebSocket, no puppeteer): like cdp.mjs for Chromium, the
// driver sends only what the benchmark asks for and subscribes to no event, so nothing watches the
// requests it measures. Every method sent is recorded for the run's hygiene report.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { FIREFOX_ENV, FIREFOX_PATH, firefoxPrefs, startSink, writeUserJs } from '../firefox.mjs';

/**
 * @param {{ prefs?: Record<string, unknown> }} [options]
 * @returns {Promise<{ version: string, methodsSent: Set<string>, open: (url: string) => Promise<string>, evaluate: (context: string, expression: string) => Promise<any>, close: () => Promise<void> }>}
 */
export async function launchFirefox({ prefs = {} } = {}) {
  const sink = /** @type {{ port: number, close: () => Promise<void> }} */ (await startSink());
  const profile = mkdtempSync(join(tmpdir(), 'amplify-sw-auth-bench-ff-'));
  writeUserJs(profile, firefoxPrefs(sink.port, prefs));
  const child = spawn(FIREFOX_PATH, ['--headless', '--remote-debugging-port', '0', '--profile', profile, 'about:blank'], { env: { ...process.env, ...FIREFOX_ENV }, stdio: ['ignore', 'ignore', 'pipe'] });
  const url = await new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`Firefox did not start WebDriver BiDi: ${seen.slice(-500)}`)), 30_000);
    child.stderr.on('data', (chunk) => {
      seen += chunk;
      const match = /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`Firefox exited (${code}): ${seen.slice(-500)}`)));
  });
  const ws = new WebSocket(`${url}/session`);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  /** @type {Map<number, { resolve: (v: any) => void, reject: (e: Error) => void }>} */
  const pending = new Map();
  const methodsSent = new Set();
  let lastId = 0;
  ws.on('message', (data) => {
    const message = JSON.parse(String(data));
    const waiter = message.id === undefined ? undefined : pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.type === 'error') waiter.reject(new Error(`${message.error}: ${message.message}`));
    else waiter.resolve(message.result);
  });
  /** @param {string} method @param {object} params */
  const send = (method, params = {}) =>
    new Promise((resolve, reject) => {
      const id = ++lastId;
      methodsSent.add(method);
      pending.set(id, { resolve, reject });
      ws.send(JSON.stringify({ id, method, params }));
    });
  const { capabilities } = /** @type {any} */ (await send('session.new', { capabilities: {} }));
  return {
    version: `Firefox ${capabilities.browserVersion}`,
    methodsSent,
    /** A tab in a user context of its own (own storage and worker registrations) at `url`; its context id. */
    async open(pageUrl) {
      const { userContext } = /** @type {any} */ (await send('browser.createUserContext'));
      const { context } = /** @type {any} */ (await send('browsingContext.create', { type: 'tab', userContext }));
      await send('browsingContext.navigate', { context, url: pageUrl, wait: 'complete' });
      return context;
    },
    /** Evaluates `expression` in the page (awaited) and returns its JSON value. */
    async evaluate(context, expression) {
      const reply = /** @type {any} */ (await send('script.evaluate', { expression: `(async () => JSON.stringify(await (${expression})))()`, target: { context }, awaitPromise: true, resultOwnership: 'none' }));
      if (reply.type === 'exception') throw new Error(`${reply.exceptionDetails?.text ?? 'page exception'} in ${expression.slice(0, 80)}`);
      const value = reply.result?.value;
      return value === undefined ? undefined : JSON.parse(value);
    },
    async close() {
      await Promise.race([send('browser.close').catch(() => undefined), new Promise((r) => setTimeout(r, 5000))]);
      ws.close();
      if (child.exitCode === null) child.kill('SIGKILL');
      await sink.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
