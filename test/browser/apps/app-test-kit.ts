// What the app tests share: the emulators as a Gen2 backend, waiting on an app's page, and what
// the API emulator saw.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import type { TestPage } from '../driver';
import { emulators } from '../harness';
import { control } from '../emulator-control';
import { prepareApp, type AppName, type Backend, type PreparedApp } from './build-apps.mjs';
import { serveStatic } from './static-server.mjs';

/**
 * The app `name`, installed from the packed tarball and built for this engine's emulators
 * (build-apps.mjs), served on loopback for the tests of the calling file.
 */
export function servedApp(name: AppName): { readonly app: PreparedApp; readonly url: string } {
  let app: PreparedApp | undefined;
  let site: { url: string; close: () => Promise<void> } | undefined;
  beforeAll(async () => {
    app = prepareApp(name, gen2Backend());
    site = await serveStatic(app.site);
  }, 300_000);
  afterAll(async () => {
    await site?.close();
  });
  return {
    get app() {
      return app!;
    },
    get url() {
      return site!.url;
    },
  };
}

/**
 * The emulators as an Amplify Gen2 backend: amplify_outputs.json in the shape `ampx` writes it
 * (test/fixtures/gen2/amplify_outputs.json), with a REST API added by backend.addOutput(), whose
 * endpoint keeps its trailing slash. The emulator routes by the first segment after the stage, so
 * `<stage>/iam/` is an IAM-authorized API whose `items` (what the quick start fetches) is a sub-path.
 */
export function gen2Backend(): Backend {
  const { cognito, api } = emulators();
  return {
    outputs: {
      auth: {
        user_pool_id: cognito.userPoolId,
        aws_region: cognito.region,
        user_pool_client_id: cognito.userPoolClientId,
        identity_pool_id: cognito.identityPoolId,
        mfa_methods: [],
        standard_required_attributes: [],
        username_attributes: [],
        user_verification_types: [],
        groups: [],
        mfa_configuration: 'NONE',
        password_policy: { min_length: 8, require_lowercase: false, require_numbers: false, require_symbols: false, require_uppercase: false },
        unauthenticated_identities_enabled: true,
      },
      custom: { API: { myRestApi: { endpoint: `${api.endpoint}/iam/`, region: api.region, apiName: 'myRestApi' } } },
      version: '1.4',
    },
    cognitoEndpoint: cognito.endpoint,
  };
}

/**
 * Polls `probe` in the page until it returns a non-empty string, and returns it; after `timeoutMs`,
 * fails with the page's uncaught errors and last console lines, which say why the app never got there.
 */
export async function until(page: TestPage, what: string, probe: string, timeoutMs = 20_000): Promise<string> {
  const value = await page.evaluate(
    ({ probe, timeoutMs }) =>
      new Promise<string>((resolve) => {
        const read = new Function(`return (${probe});`) as () => unknown;
        const started = Date.now();
        const poll = () => {
          let value: unknown;
          try {
            value = read();
          } catch {
            value = undefined;
          }
          if (typeof value === 'string' && value !== '') resolve(value);
          else if (Date.now() - started > timeoutMs) resolve('');
          else setTimeout(poll, 50);
        };
        poll();
      }),
    { probe, timeoutMs },
  );
  if (value) return value;
  await page.flushErrors();
  throw new Error(`${what}: nothing after ${timeoutMs} ms (${probe}).\nUncaught errors:\n${page.errors.join('\n') || '(none)'}\nConsole (last 10):\n${page.logs.slice(-10).join('\n')}`);
}

/** The emulator's request count, to tell this test's requests from earlier ones. */
export const requestCount = async (): Promise<number> => (await control('/state')).requestCount;

/** Requests the API emulator authorized or refused after request number `after` (not preflights). */
export async function requestsSince(after: number): Promise<any[]> {
  return ((await control('/log')).entries as any[]).filter((e) => e.n > after && !e.preflight && !e.cut);
}

export const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
