// Issue 13's first way in, as a user takes it: a fresh Vite + vanilla TS app whose vite.config.ts
// and src/main.ts are the README's quick start, copied as written, installing the packed package.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../demo/emulators/loopback.mjs';
import { useBrowser } from './harness';
import { requestCount, requestsSince, servedApp, until } from './apps/app-test-kit';

const { open } = useBrowser();
const served = servedApp('vanilla-ts');
const packaged = (name: string) => readFileSync(join(served.app.root, 'node_modules/amplify-sw-auth/dist', name));

/** Opens the app at `url` and checks its one request, `${endpoint}items`, was signed as the IAM guest. */
async function expectGuestRequest(url: string) {
  const before = await requestCount();
  const page = await open(url, { waitFor: '' });
  expect(await until(page, 'the quick start', 'document.body.dataset.status')).toBe('200');
  const [request, ...more] = await requestsSince(before);
  expect(more).toEqual([]);
  expect(request).toMatchObject({ method: 'GET', path: '/prod/iam/items', status: 200, auth: { type: 'iam', role: 'guest' } });
}

describe('a fresh Vite + vanilla TS app with the README quick start', () => {
  it('built with its own `tsc && vite build`, gets its request signed as the IAM guest', async () => {
    await expectGuestRequest(`${served.url}/`);
  });

  it('its build holds both ready workers, byte for byte the installed package\'s (no allowlist was asked for)', () => {
    for (const name of ['amplify-auth-worker.js', 'amplify-auth-worker-offline.js']) {
      expect(readFileSync(join(served.app.site, name)).equals(packaged(name)), name).toBe(true);
    }
  });

  it('in dev, its own `vite` serves both workers from the installed package, and the page is authorized', async () => {
    const dev = await startViteDev(served.app.root);
    try {
      for (const name of ['amplify-auth-worker.js', 'amplify-auth-worker-offline.js']) {
        const response = await fetch(`${dev.url}/${name}`);
        expect(response.headers.get('content-type'), name).toMatch(/javascript/);
        expect(Buffer.from(await response.arrayBuffer()).equals(packaged(name)), name).toBe(true);
      }
      await expectGuestRequest(`${dev.url}/`);
    } finally {
      await dev.stop();
    }
  });
});

/** `vite` in the app's folder, as `npm run dev` starts it, on a free loopback port. */
async function startViteDev(cwd: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn(join(cwd, 'node_modules/.bin/vite'), ['--host', 'localhost', '--port', String(port), '--strictPort'], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    // CI runs with colours on (CI, FORCE_COLOR or a terminal turns on Vite's picocolors), which
    // splits the URL with escape codes.
    env: { ...process.env, NO_COLOR: '1' },
  });
  const stop = () => new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill();
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`vite dev did not start in 30 s:\n${output}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk;
      if (stripVTControlCharacters(output).includes(`localhost:${port}`)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => reject(new Error(`vite dev exited with ${code}:\n${output}`)));
  }).catch(async (error) => {
    await stop();
    throw error;
  });
  return { url: `http://localhost:${port}`, stop };
}
