// Chromium over a raw CDP pipe (--remote-debugging-pipe), without Playwright: Playwright enables
// the Network domain on every page and worker it sees, which about doubles request latency
// (REFERENCE §4). This client sends only what the benchmark asks for and records every method,
// so the run can prove that no Network/Fetch domain was ever enabled.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../chromium.mjs';

// The usual flags, plus the anti-throttling ones so a page that is not in front is not slowed
// down while another context is being measured.
const ARGS = [
  ...CHROMIUM_ARGS,
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
  '--remote-debugging-pipe',
];

/**
 * @typedef {{ send: (method: string, params?: object) => Promise<any>, sessionId: string | undefined }} Session
 * @typedef {{
 *   browser: Session,
 *   session: (sessionId: string) => Session,
 *   on: (method: string, listener: (params: any, sessionId: string | undefined) => void) => () => void,
 *   methodsSent: Set<string>,
 *   eventsSeen: Map<string, number>,
 *   close: () => Promise<void>,
 * }} Cdp
 */

/** @returns {Promise<Cdp>} */
export async function launchChromium() {
  const profile = mkdtempSync(join(tmpdir(), 'amplify-sw-auth-bench-'));
  // fd 3: what Chromium reads (our commands); fd 4: what it writes (replies and events), NUL-separated.
  const child = spawn(CHROMIUM_PATH, [...ARGS, `--user-data-dir=${profile}`, 'about:blank'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const toChrome = /** @type {import('node:stream').Writable} */ (child.stdio[3]);
  const fromChrome = /** @type {import('node:stream').Readable} */ (child.stdio[4]);

  let nextId = 1;
  /** @type {Map<number, { resolve: (v: any) => void, reject: (e: Error) => void, method: string }>} */
  const pending = new Map();
  /** @type {Map<string, Set<(params: any, sessionId: string | undefined) => void>>} */
  const listeners = new Map();
  const methodsSent = new Set();
  /** @type {Map<string, number>} */
  const eventsSeen = new Map();
  let exited = false;

  let buffer = '';
  fromChrome.setEncoding('utf8');
  fromChrome.on('data', (chunk) => {
    buffer += chunk;
    let end;
    while ((end = buffer.indexOf('\0')) >= 0) {
      const message = JSON.parse(buffer.slice(0, end));
      buffer = buffer.slice(end + 1);
      if (message.id !== undefined) {
        const p = pending.get(message.id);
        pending.delete(message.id);
        if (message.error) p?.reject(new Error(`CDP ${p.method}: ${message.error.message}`));
        else p?.resolve(message.result);
      } else if (message.method) {
        eventsSeen.set(message.method, (eventsSeen.get(message.method) ?? 0) + 1);
        for (const l of listeners.get(message.method) ?? []) l(message.params, message.sessionId);
      }
    }
  });
  const failAll = (/** @type {Error} */ e) => {
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  child.once('exit', (code, signal) => {
    exited = true;
    failAll(new Error(`chromium exited (${code ?? signal}): ${stderr.trim().split('\n').slice(-5).join(' | ')}`));
  });

  /** @returns {Session} */
  const session = (/** @type {string | undefined} */ sessionId) => ({
    sessionId,
    send(method, params = {}) {
      if (exited) return Promise.reject(new Error(`chromium is gone (${method})`));
      const id = nextId++;
      methodsSent.add(method);
      toChrome.write(`${JSON.stringify({ id, method, params, ...(sessionId && { sessionId }) })}\0`);
      return new Promise((resolve, reject) => pending.set(id, { resolve, reject, method }));
    },
  });

  const browser = session(undefined);
  await browser.send('Browser.getVersion');
  return {
    browser,
    session,
    on(method, listener) {
      if (!listeners.has(method)) listeners.set(method, new Set());
      listeners.get(method)?.add(listener);
      return () => listeners.get(method)?.delete(listener);
    },
    methodsSent,
    eventsSeen,
    async close() {
      if (!exited) {
        await browser.send('Browser.close').catch(() => {});
        await new Promise((resolve) => {
          const t = setTimeout(() => {
            child.kill('SIGKILL');
            resolve(undefined);
          }, 5000);
          child.once('exit', () => {
            clearTimeout(t);
            resolve(undefined);
          });
          if (exited) resolve(undefined);
        });
      }
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * A page in its own browser context (own storage, service worker registrations, HTTP and
 * preflight caches), attached with a flat session. Only the Runtime and Page commands it is
 * given are sent; no domain is enabled.
 * @param {Cdp} cdp
 * @param {string} url
 */
export async function openIsolatedPage(cdp, url) {
  const { browserContextId } = await cdp.browser.send('Target.createBrowserContext', { disposeOnDetach: true });
  const { targetId } = await cdp.browser.send('Target.createTarget', { url: 'about:blank', browserContextId });
  const { sessionId } = await cdp.browser.send('Target.attachToTarget', { targetId, flatten: true });
  const s = cdp.session(sessionId);
  await s.send('Page.navigate', { url });
  return { session: s, targetId, browserContextId };
}

/**
 * Evaluates `expression` in the page, awaiting a promise; throws with the page's message.
 * @param {Session} s
 * @param {string} expression
 */
export async function evaluate(s, expression) {
  const r = await s.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
  if (r.exceptionDetails) {
    const d = r.exceptionDetails;
    throw new Error(`in page: ${d.exception?.description ?? d.exception?.value ?? d.text}`);
  }
  return r.result.value;
}
