// What the tarball holds and declares: its files, its exports map, and what publint and
// arethetypeswrong find in it. The tarball is the one packed-app.ts made for the whole project.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { describe, expect, inject, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const { app, tarball, files } = inject('packed');
const pkg = JSON.parse(readFileSync(join(app, 'node_modules/amplify-sw-auth/package.json'), 'utf8'));

/** Classic scripts an app serves (or copies with the CLI), never imports: they have no types. */
const SCRIPTS = ['./amplify-auth-worker.js', './amplify-auth-worker-offline.js', './amplify-sw-auth.iife.js'];

/** The public entry points: types first, ESM only (no `require`, no `default`). */
const EXPORTS = {
  '.': { types: './dist/types/src/index.d.ts', import: './dist/index.js' },
  './sw': { types: './dist/types/sw/index.d.ts', import: './dist/sw.js' },
  './vite': { types: './dist/types/src/node/vite-plugin.d.ts', import: './dist/vite.js' },
  './amplify-auth-worker.js': './dist/amplify-auth-worker.js',
  './amplify-auth-worker-offline.js': './dist/amplify-auth-worker-offline.js',
  './amplify-sw-auth.iife.js': './dist/amplify-sw-auth.iife.js',
  './package.json': './package.json',
};

describe('the tarball', () => {
  it('holds package.json, README.md, LICENSE and dist/ only: bundles, type declarations and the README\'s diagram, no sources, tests or maps', () => {
    expect(files.filter((f) => !f.startsWith('dist/')).sort()).toEqual(['LICENSE', 'README.md', 'package.json']);
    expect(files).toContain('dist/how-it-works.svg');
    const stray = files.filter((f) => f.startsWith('dist/') && f !== 'dist/how-it-works.svg' && !/^dist\/[^/]+\.js$/.test(f) && !/^dist\/types\/.+\.d\.ts$/.test(f));
    expect(stray).toEqual([]);
  });

  it('exports exactly the public entry points, each to a file it holds', () => {
    expect(pkg.exports).toEqual(EXPORTS);
    for (const target of Object.values(EXPORTS).flatMap((t) => (typeof t === 'string' ? [t] : Object.values(t)))) {
      expect(files, target).toContain(target.slice(2));
    }
    expect(files).toContain(pkg.bin['amplify-sw-auth'].replace(/^\.\//, ''));
  });

  it('passes publint with no errors, warnings or suggestions', async () => {
    // Suggestions count too: there are none today, so a new one is a decision to make, not noise.
    const bytes = readFileSync(tarball);
    const packed = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const { messages, pkg: linted } = await publint({ pack: { tarball: packed }, level: 'suggestion', strict: true });
    expect(messages.map((m) => `${m.type}: ${formatMessage(m, linted, { color: false }) ?? m.code}`)).toEqual([]);
  });

  it('passes arethetypeswrong for ESM consumers', () => {
    // --profile esm-only: the package is ESM only ("type": "module", `import` conditions only), so
    // it leaves out node10 (which has no exports map) and require() from CommonJS under node16,
    // which can only ever find ESM here (cjs-resolves-to-esm). Everything else counts.
    // The classic scripts are left out: they are served files, not modules, and have no types.
    const attw = join(root, 'node_modules/@arethetypeswrong/cli/dist/index.js');
    const args = [attw, tarball, '--profile', 'esm-only', '--exclude-entrypoints', ...SCRIPTS, '--format', 'ascii', '--no-color'];
    let report = '';
    let status = 0;
    try {
      execFileSync(process.execPath, args, { encoding: 'utf8', stdio: 'pipe' });
    } catch (error: any) {
      status = error.status;
      report = `${error.stdout}${error.stderr}`;
    }
    expect(report).toBe('');
    expect(status).toBe(0);
  });
});
