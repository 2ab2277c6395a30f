// Test-side helpers around the harness page: one browser per test file, a fresh profile per test.
import { afterAll, afterEach, beforeAll, inject, it } from 'vitest';
import { ENGINE, LACKS, launchBrowser, type Capability, type TestBrowser, type TestPage } from './driver';
import { setNetwork } from './emulator-control';

export const pageUrl = () => inject('pageUrl');
export const emulators = () => inject('emulators');
export const harnessUrl = () => `${pageUrl()}/test/browser/pages/harness.html`;

/** What the API emulator answers: who it authenticated, and which auth headers it saw. */
export interface ApiAnswer {
  status: number;
  body: {
    ok: boolean;
    route: string;
    auth: null | { type: string; role?: string; username?: string; identityId?: string; accessKeyId?: string; principal?: string; sub?: string };
    apiKey: boolean;
    seen: { authorization: boolean; authorizationKind: 'sigv4' | 'jwt' | 'other' | null; xApiKey: boolean; xAmzDate: boolean; xAmzSecurityToken: boolean; headerNames: string[] };
    body: { length: number; sha256: string; contentType: string | null };
    message?: string;
  };
}

/** Uncaught errors a test provokes on purpose, by profile (the `errors` list its tabs share). */
const expectedUncaught = new WeakMap<string[], RegExp[]>();

/**
 * Declares an uncaught error (or unhandled rejection) the test provokes on purpose in `page`'s
 * profile: entries matching `pattern` do not fail the test, and the test fails if none comes.
 */
export function expectUncaught(page: TestPage, pattern: RegExp) {
  const expected = expectedUncaught.get(page.errors) ?? [];
  expectedUncaught.set(page.errors, [...expected, pattern]);
}

/** What fails a test: uncaught errors not declared with expectUncaught, and declared ones that never came. */
function uncaughtProblems(pages: TestPage[]): string[] {
  const problems: string[] = [];
  for (const errors of new Set(pages.map((p) => p.errors))) {
    const expected = expectedUncaught.get(errors) ?? [];
    problems.push(...errors.filter((e) => !expected.some((pattern) => e.search(pattern) >= 0)));
    for (const pattern of expected) {
      if (!errors.some((e) => e.search(pattern) >= 0)) problems.push(`expectUncaught(page, ${pattern}): no such error came`);
    }
  }
  return problems;
}

/**
 * `it`, for a test that needs `capability`; in an engine whose driver lacks it, the test is marked
 * (reported as skipped) with the capability and the reason in its title. Find another way to test
 * the behaviour before marking: a mark must never hide a bug of ours.
 */
export function needs(...capabilities: Capability[]): typeof it {
  const missing = capabilities.filter((c) => LACKS[ENGINE][c] !== undefined);
  if (missing.length === 0) return it;
  const why = missing.map((c) => `${c}: ${LACKS[ENGINE][c]}`).join('; ');
  return ((name: string, fn?: any, timeout?: number) => it.skip(`${name} [marked in ${ENGINE}, needs ${why}]`, fn, timeout)) as typeof it;
}

export function useBrowser() {
  let browser: TestBrowser;
  const pages: TestPage[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  // Every test fails on an uncaught error or unhandled rejection in any of its pages or service workers.
  afterEach(async () => {
    // A test that cut the network and failed (or forgot) must not leave the next test offline.
    await setNetwork({ api: 'up', cognito: 'up' });
    const opened = pages.splice(0);
    let problems: string[];
    try {
      await Promise.all(opened.map((p) => p.flushErrors()));
      problems = uncaughtProblems(opened);
    } finally {
      await Promise.all(opened.map((p) => p.close()));
    }
    if (problems.length > 0) {
      throw new Error(`Uncaught errors in the pages or service workers of this test (fix them, or declare one the test provokes with expectUncaught):\n\n${problems.join('\n\n')}\n`);
    }
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    /** A fresh profile on the harness page (or on `url`, waiting for `options.waitFor`, '' for nothing). */
    async open(url = harnessUrl(), options?: { waitFor?: string }): Promise<TestPage> {
      const page = await browser.newPage(url, options);
      pages.push(page);
      return page;
    },
  };
}

/** Opens the harness and registers the worker with the app's Amplify config. */
export async function registered(open: () => Promise<TestPage>, options?: Record<string, unknown>): Promise<TestPage> {
  const page = await open();
  await page.evaluate((o) => (window as any).harness.register(o), options);
  return page;
}

/** A plain fetch() from the page to `path` under the API named `api` (see demo/app/amplify-setup.ts). */
export function call(page: TestPage, api: string, path = '/items/1', init?: RequestInit): Promise<ApiAnswer> {
  return page.evaluate(({ api, path, init }) => (window as any).harness.call((window as any).harness.apis[api].endpoint + path, init), { api, path, init });
}

export async function signIn(page: TestPage, username = 'alice') {
  const user = emulators().cognito.users.find((u) => u.username === username)!;
  await page.evaluate(({ username, password }) => (window as any).harness.signIn(username, password), user);
}
