// `x-amplify-auth-mode` on REST APIs (issue 14, capability 2): Amplify's per-request authMode for
// code that cannot call Amplify. Applied by the worker, never seen by the API, never silently ignored.
import { describe, expect, it } from 'vitest';
import { control, logged } from './emulator-control';
import { registered, useBrowser } from './harness';

describe('x-amplify-auth-mode on REST APIs', () => {
  const { open } = useBrowser();

  it('none sends the request unsigned, iam signs it; the header never reaches the API, nor its preflight', async () => {
    const page = await registered(open);
    const statuses = await page.evaluate(async () => {
      const h = (window as any).harness;
      const send = (path: string, mode: string) => fetch(h.apis.iam.endpoint + path, { headers: { 'X-Amplify-Auth-Mode': mode, 'x-tenant': 't' } }).then((r) => r.status);
      return [await send('/mode-none', 'none'), await send('/mode-iam', 'iam'), await send('/mode-pool', 'identityPool')];
    });
    expect(statuses).toEqual([403, 200, 200]);
    const [none] = await logged('/prod/iam/mode-none');
    expect(none.seen).toMatchObject({ authorization: false, xAmzDate: false, xAmzSecurityToken: false });
    for (const path of ['/prod/iam/mode-none', '/prod/iam/mode-iam', '/prod/iam/mode-pool']) {
      const entries = ((await control('/log')).entries as any[]).filter((e) => e.path === path);
      for (const e of entries) {
        expect(e.seen?.headerNames ?? [], path).not.toContain('x-amplify-auth-mode');
        expect(String(e.requestHeaders ?? ''), path).not.toContain('x-amplify-auth-mode');
      }
    }
    expect((await logged('/prod/iam/mode-iam'))[0].seen.authorizationKind).toBe('sigv4');
  });

  it('an unknown mode, or one REST does not have, is refused with a 400 naming the modes, and reported', async () => {
    const page = await registered(open);
    const answers = await page.evaluate(async () => {
      const h = (window as any).harness;
      const send = async (path: string, mode: string) => {
        const r = await fetch(h.apis.iam.endpoint + path, { headers: { 'x-amplify-auth-mode': mode } });
        return { status: r.status, marked: r.headers.get('x-amplify-sw-auth-error'), message: (await r.json()).message };
      };
      const result = [await send('/mode-bad', 'IAM'), await send('/mode-pool-rest', 'userPool')];
      return { result, errors: await h.waitForAuthErrors(2) };
    });
    expect(answers.result[0]).toMatchObject({ status: 400, marked: '1', message: expect.stringContaining('"IAM" is not an auth mode of API "iam"; use one of iam, none.') });
    expect(answers.result[1].message).toContain('REST APIs take Amplify REST\'s modes');
    expect(answers.errors.map((e: any) => [e.code, e.outcome])).toEqual([['bad-auth-mode', 'error-response'], ['bad-auth-mode', 'error-response']]);
    // Never sent: no silent fallback to the default mode.
    expect(await logged('/prod/iam/mode-bad')).toEqual([]);
    expect(await logged('/prod/iam/mode-pool-rest')).toEqual([]);
  });
});
