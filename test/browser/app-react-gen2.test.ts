// Issue 13's second way in: a Vite + React app on a Gen2 backend, `amplifySwAuth({ outputs })` in
// its vite.config and `registerAuthWorker({ outputs })` in a component, installing the packed package.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TestPage } from './driver';
import { emulators, useBrowser } from './harness';
import { gen2Backend, requestCount, requestsSince, servedApp, until } from './apps/app-test-kit';

const { open } = useBrowser();
const served = servedApp('react-gen2');

/** Clicks the app's "Load items" button (a plain fetch) and returns the emulator's answer it shows. */
async function loadItems(page: TestPage, n: number) {
  const before = await requestCount();
  await page.evaluate(() => (document.getElementById('load-items') as HTMLButtonElement).click());
  await until(page, `answer ${n}`, `document.querySelector('output[data-n="${n}"]')?.dataset.status`);
  const shown = await page.evaluate((n) => {
    const output = document.querySelector(`output[data-n="${n}"]`) as HTMLOutputElement;
    return { status: Number(output.dataset.status), body: JSON.parse(output.textContent!) };
  }, n);
  const requests = await requestsSince(before);
  expect(requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([`GET /prod/iam/items ${shown.status}`]);
  return shown;
}

describe('a Vite + React app on Amplify Gen2 outputs', () => {
  it('its plain fetch to the trailing-slash endpoint is signed as the IAM guest, then as alice once signed in', async () => {
    const page = await open(`${served.url}/`, { waitFor: '' });
    expect(await until(page, 'registerAuthWorker({ outputs })', `document.querySelector('main')?.dataset.worker.replace('registering', '')`)).toBe('ready');

    const guest = await loadItems(page, 1);
    expect(guest.status).toBe(200);
    expect(guest.body).toMatchObject({ path: '/prod/iam/items', auth: { type: 'iam', role: 'guest' } });

    // The test types alice's credentials into the app's sign-in form and submits it.
    const alice = emulators().cognito.users.find((u) => u.username === 'alice')!;
    await page.evaluate(({ username, password }) => {
      const form = document.querySelector('form')!;
      (form.elements.namedItem('username') as HTMLInputElement).value = username;
      (form.elements.namedItem('password') as HTMLInputElement).value = password;
      form.requestSubmit();
    }, alice);
    expect(await until(page, 'signIn', `document.querySelector('main')?.dataset.user`)).toBe('alice');

    const signedIn = await loadItems(page, 2);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toMatchObject({ path: '/prod/iam/items', auth: { type: 'iam', role: 'authenticated', username: 'alice' } });
    expect(signedIn.body.auth.identityId).not.toBe(guest.body.auth.identityId);
  });

  it('its build bakes the outputs\' endpoints into the worker as its allowlist, which refuses a page asking for another API', async () => {
    const { custom } = gen2Backend().outputs;
    for (const name of ['amplify-auth-worker.js', 'amplify-auth-worker-offline.js']) {
      // The first line only, cut short: a failure should not print 32 kB of worker.
      const firstLine = readFileSync(join(served.app.site, name), 'utf8').split('\n')[0].slice(0, 300);
      expect(firstLine, name).toBe(`self.AMPLIFY_SW_AUTH_ALLOWED_ENDPOINTS = ${JSON.stringify([custom.API.myRestApi.endpoint])};`);
    }
    const page = await open(`${served.url}/other-api.html`, { waitFor: '' });
    expect(await until(page, 'registerAuthWorker() for another API', 'document.body.dataset.outcome')).toBe('config-rejected');
  });
});
