import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pageUrl, useBrowser } from './harness';

describe('the demo page', () => {
  const { open } = useBrowser();

  it('loads, signs in, and every call (fetch and XHR, every mode) succeeds and shows in the request log; screenshot in test-results/', async () => {
    const page = await open(`${pageUrl()}/demo/`);
    await page.evaluate(() => new Promise<void>((r) => { const t = setInterval(() => document.body.dataset.lastRun && (clearInterval(t), r()), 50); }));
    // Signed out, the user-only routes must fail: the table shows real results.
    const guest = await page.evaluate(() => [...document.querySelectorAll('#calls tbody tr')].map((r) => r.className));
    expect(guest).toContain('fail');

    await page.evaluate(async () => {
      const button = [...document.querySelectorAll('#auth-buttons button')].find((b) => b.textContent === 'Sign in as alice') as HTMLButtonElement;
      button.click();
      await new Promise<void>((r) => { const t = setInterval(() => document.getElementById('who')!.textContent === 'alice' && (clearInterval(t), r()), 50); });
      const last = document.body.dataset.lastRun;
      (document.getElementById('run-all') as HTMLButtonElement).click();
      await new Promise<void>((r) => { const t = setInterval(() => document.body.dataset.lastRun !== last && (clearInterval(t), r()), 50); });
    });
    const rows = await page.evaluate(() =>
      [...document.querySelectorAll('#calls tbody tr')].map((r) => ({ state: r.className, text: r.textContent })),
    );
    expect(rows.length).toBeGreaterThanOrEqual(17);
    for (const row of rows) expect(row.state, row.text!).toBe('ok');
    expect(await page.evaluate(() => document.getElementById('errors')!.textContent)).toBe('');
    // The live request log (debug on): a row per call of both runs, each with its mode and why.
    const log = await page.evaluate(() => [...document.querySelectorAll('#request-log tbody tr')].map((r) => [...(r as HTMLTableRowElement).cells].map((c) => c.textContent)));
    expect(log.length).toBeGreaterThanOrEqual(2 * rows.length);
    const modes = new Set(log.map((cells) => cells[4]));
    for (const mode of ['iam', 'iam+api-key', 'token']) expect(modes, [...modes].join()).toContain(mode);
    expect(log.every((cells) => cells[5] !== '' && cells[6] !== '')).toBe(true);
    const dir = resolve(import.meta.dirname, '../../test-results');
    mkdirSync(dir, { recursive: true });
    await page.screenshot(resolve(dir, 'demo.png'));
  });
});
