// The `debug` option (issue 13): one record per handled request, posted to the page and printed
// in the worker's console, saying how the request was authorized and why, and never a secret.
import { describe, expect, it } from 'vitest';
import type { RequestLogEntry } from '../../src/protocol';
import { formatRequestLog } from '../../sw/format-request-log';
import { setClock } from './emulator-control';
import { emulators, needs, signIn, useBrowser, type ApiAnswer } from './harness';
import type { TestPage } from './driver';

/** The page's current session material: every value here is a secret the log must never show. */
const sessionSecrets = (page: TestPage) =>
  page.evaluate(async () => {
    const { credentials, tokens } = await (window as any).harness.fetchAuthSession();
    return [credentials?.accessKeyId, credentials?.secretAccessKey, credentials?.sessionToken, tokens?.idToken?.toString(), tokens?.accessToken?.toString()].filter((s): s is string => typeof s === 'string');
  });

/** Markers of signed or presigned material: none may appear in a log line (case-insensitive). */
const MARKERS = ['Signature=', 'X-Amz-Signature', 'X-Amz-Credential', 'X-Amz-Security-Token', 'AWS4-HMAC-SHA256'];

/** Every secret the test can know of: the API key, every custom token, and the sessions' material. */
function leaks(text: string, secrets: string[]): string[] {
  const known = [emulators().api.apiKey, ...Object.keys(emulators().api.customTokens), ...secrets];
  return [...known.filter((s) => text.includes(s)).map((s) => `${s.slice(0, 6)}… (${s.length} chars)`), ...MARKERS.filter((m) => text.toLowerCase().includes(m.toLowerCase()))];
}

/** fetch() under API `api` from the page; `query` is added to the URL as it is. */
const fetchApi = (page: TestPage, api: string, path: string, init?: RequestInit & { query?: string }): Promise<ApiAnswer> =>
  page.evaluate(({ api, path, init }) => (window as any).harness.call(`${(window as any).harness.apis[api].endpoint}${path}${init?.query ?? ''}`, init), { api, path, init });

/**
 * One request per row of the README's table, with debug on; returns the records by path and
 * every secret the requests used.
 */
async function exercise(page: TestPage): Promise<{ records: Map<string, RequestLogEntry>; all: RequestLogEntry[]; secrets: string[] }> {
  await page.evaluate(() => (window as any).harness.register({ debug: true }));
  const secrets = await sessionSecrets(page);
  const guestKeyId = secrets[0];
  expect((await fetchApi(page, 'iam', '/debug/guest')).status).toBe(200);
  expect((await fetchApi(page, 'iam', '/debug/guest-again')).status).toBe(200);
  expect((await fetchApi(page, 'apikey', '/debug/apikey')).status).toBe(200);
  // A presigned URL carries its signature and key id in the query; the page's own key id, so a leak shows.
  const presigned = `?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${guestKeyId}%2F20260101%2Fus-east-1%2Fexecute-api%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-SignedHeaders=host&X-Amz-Signature=${'ab'.repeat(32)}`;
  await fetchApi(page, 'iam', '/debug/presigned', { query: presigned });
  await setClock(20 * 60_000);
  try {
    expect((await fetchApi(page, 'iam', '/debug/skew')).status).toBe(200);
  } finally {
    await setClock(0);
  }
  await signIn(page, 'alice');
  secrets.push(...(await sessionSecrets(page)));
  expect((await fetchApi(page, 'iamAuth', '/debug/alice')).status).toBe(200);
  expect((await fetchApi(page, 'idtoken', '/debug/idtoken')).status).toBe(200);
  const [bobToken] = Object.entries(emulators().api.customTokens).find(([, who]) => who === 'bob')!;
  expect((await fetchApi(page, 'custom', '/debug/override', { method: 'DELETE', headers: { authorization: bobToken } })).status).toBe(200);
  const amplify = await page.evaluate(async () => (await (window as any).harness.amplify.get({ apiName: 'iamAuth', path: '/debug/amplify' }).response).statusCode);
  expect(amplify).toBe(200);
  // No credentials (Amplify's defaultAuthMode 'none'): the API key alone, or nothing.
  await page.evaluate(async () => {
    (window as any).harness.restOptions({ defaultAuthMode: 'none' });
    await (window as any).harness.worker().refresh();
  });
  expect((await fetchApi(page, 'apikey', '/debug/apikey-alone')).status).toBe(200);
  expect((await fetchApi(page, 'open', '/debug/open')).status).toBe(200);
  // headers() throws: the bridge fails, the request goes unauthenticated (the default policy).
  await page.evaluate(async () => {
    const h = (window as any).harness;
    await h.register({ debug: true, headers: () => Promise.reject(new Error('headers() failed on purpose')) });
    await h.worker().refresh(); // the material cached for this page goes: the next request asks
  });
  expect((await fetchApi(page, 'open', '/debug/bridge-failed')).status).toBe(200);

  const all: RequestLogEntry[] = await page.evaluate(async () => {
    const h = (window as any).harness;
    await h.until(() => h.requestLog.length >= 12);
    await new Promise((r) => setTimeout(r, 200)); // and no more than one per request
    return h.requestLog;
  });
  return { records: new Map(all.map((r) => [new URL(r.url).pathname.replace(/^.*\/debug\//, ''), r])), all, secrets };
}

describe('debug: the request log', () => {
  const { open } = useBrowser();

  it('one record per request says the mode, why, the material and any retry, and never a secret', async () => {
    const page = await open();
    const { records, all, secrets } = await exercise(page);
    expect(all.length, JSON.stringify(all, null, 1)).toBe(12);
    expect(secrets.length).toBeGreaterThanOrEqual(8); // guest: 3, alice: 3 + 2 tokens
    expect(leaks(JSON.stringify(all), secrets)).toEqual([]);
    const of = (path: string) => {
      const record = records.get(path);
      expect(record, path).toBeDefined();
      return record!;
    };
    expect(of('guest')).toMatchObject({ method: 'GET', apiName: 'iam', mode: 'iam', why: 'identity-pool credentials (guest)', material: 'round-trip', status: 200 });
    expect(of('guest').materialMs).toBeGreaterThanOrEqual(0);
    expect(of('guest-again')).toMatchObject({ mode: 'iam', material: 'cached', status: 200 });
    expect(of('apikey')).toMatchObject({ mode: 'iam+api-key', why: 'identity-pool credentials (guest)', material: 'round-trip' });
    expect(of('presigned')).toMatchObject({ mode: 'forwarded', why: 'presigned URL', material: 'not-needed' });
    expect(of('presigned').url).toMatch(/\/iam\/debug\/presigned$/);
    expect(of('skew')).toMatchObject({ mode: 'iam', retry: 'clock-skew', status: 200 });
    expect(of('alice')).toMatchObject({ apiName: 'iamAuth', mode: 'iam', why: 'identity-pool credentials (signed-in)', status: 200 });
    expect(of('idtoken')).toMatchObject({ mode: 'token', why: 'Authorization from headers()', status: 200 });
    expect(of('override')).toMatchObject({ method: 'DELETE', mode: 'token', why: 'Authorization set by the request', status: 200 });
    expect(of('amplify')).toMatchObject({ mode: 'forwarded', why: 'SigV4 Authorization from the page', material: 'not-needed', status: 200 });
    expect(of('apikey-alone')).toMatchObject({ mode: 'api-key', why: 'no identity-pool credentials', status: 200 });
    expect(of('open')).toMatchObject({ mode: 'unsigned', why: 'no identity-pool credentials', status: 200 });
    expect(of('bridge-failed')).toMatchObject({ mode: 'unsigned', why: 'no auth material', material: 'failed', materialError: 'bridge-error', status: 200 });
    for (const r of all) {
      expect(r.ms, r.url).toBeGreaterThanOrEqual(0);
      expect(r.retry === undefined || r.url.endsWith('/skew'), r.url).toBe(true);
    }
  });

  needs('worker-console')('the worker prints each record as one console line, and never a secret', async () => {
    const page = await open();
    const { all, secrets } = await exercise(page);
    const lines = page.logs.filter((l) => l.startsWith('[worker]') && l.includes('amplify-sw-auth: ') && l.includes(' | API '));
    expect(lines.map((l) => l.replace(/^\[worker\] \w+: /, '')).sort()).toEqual(all.map(formatRequestLog).sort());
    // Everything the worker printed, not only our lines.
    expect(leaks(page.logs.filter((l) => l.startsWith('[worker]')).join('\n'), secrets)).toEqual([]);
  });

  it('off by default: no record, no console line', async () => {
    const page = await open();
    await page.evaluate(() => (window as any).harness.register());
    expect((await fetchApi(page, 'iam', '/quiet')).status).toBe(200);
    expect((await fetchApi(page, 'apikey', '/quiet')).status).toBe(200);
    // Turned on, the same page hears the next request: the channel works, the quiet was the option.
    await page.evaluate(() => (window as any).harness.register({ debug: true }));
    expect((await fetchApi(page, 'iam', '/loud')).status).toBe(200);
    const heard: RequestLogEntry[] = await page.evaluate(async () => {
      const h = (window as any).harness;
      await h.until(() => h.requestLog.length >= 1);
      await new Promise((r) => setTimeout(r, 200));
      return h.requestLog;
    });
    expect(heard.map((r) => r.url)).toEqual([expect.stringMatching(/\/iam\/loud$/)]);
    expect(page.logs.filter((l) => l.includes('/quiet'))).toEqual([]);
  });
});
