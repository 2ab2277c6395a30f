// The package as an app installs it: packed with `npm pack`, installed into a separate folder (packed-app.ts).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Script } from 'node:vm';
import { describe, expect, inject, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
// Packed and installed once for the whole project (packed-app.ts).
const { app } = inject('packed');

describe('the packed package', () => {
  it('resolves its entry points and types through the exports map', () => {
    const script = `
      const r = (s) => import.meta.resolve(s);
      console.log(JSON.stringify([r('amplify-sw-auth'), r('amplify-sw-auth/sw'), r('amplify-sw-auth/amplify-auth-worker.js'), r('amplify-sw-auth/amplify-auth-worker-offline.js')]));`;
    const resolved: string[] = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: app, encoding: 'utf8' }));
    expect(resolved.map((u) => u.replace(/^.*node_modules\/amplify-sw-auth\//, ''))).toEqual(['dist/index.js', 'dist/sw.js', 'dist/amplify-auth-worker.js', 'dist/amplify-auth-worker-offline.js']);
    const pkg = JSON.parse(readFileSync(join(app, 'node_modules/amplify-sw-auth/package.json'), 'utf8'));
    for (const entry of ['.', './sw']) expect(existsSync(join(app, 'node_modules/amplify-sw-auth', pkg.exports[entry].types)), entry).toBe(true);
  });

  it('keeps aws-amplify out of the page bundle, so the app\'s own configured copy is used', () => {
    const page = readFileSync(join(app, 'node_modules/amplify-sw-auth/dist/index.js'), 'utf8');
    expect(page).toMatch(/from ["']aws-amplify["']/);
    expect(page).not.toMatch(/class AmplifyClass|NO_HUBCALLBACK_PROVIDED_EXCEPTION/);
  });

  for (const name of ['amplify-auth-worker.js', 'amplify-auth-worker-offline.js']) {
    it(`ships ${name} as a self-contained classic script`, () => {
      const source = readFileSync(join(app, `node_modules/amplify-sw-auth/dist/${name}`), 'utf8');
      expect(() => new Script(source, { filename: name })).not.toThrow();
      expect(source).not.toMatch(/\bimport\s*\(|\bimportScripts\s*\(|^\s*import\s|^\s*export\s/m);
    });
  }

  it('leaves the offline modules out of the default ready worker only', () => {
    const read = (name: string) => readFileSync(join(app, `node_modules/amplify-sw-auth/dist/${name}`), 'utf8');
    // The read cache's and the queue's own names: present only where offline is built in.
    for (const marker of ['amplify-sw-auth-reads', 'amplify-sw-auth-queue']) {
      expect(read('amplify-auth-worker.js')).not.toContain(marker);
      expect(read('amplify-auth-worker-offline.js')).toContain(marker);
      expect(read('sw.js')).toContain(marker);
    }
  });

  it('`npx amplify-sw-auth init <publicDir>` copies both worker scripts', () => {
    const out = execFileSync('npx', ['--no-install', 'amplify-sw-auth', 'init', 'public'], { cwd: app, encoding: 'utf8' });
    for (const name of ['amplify-auth-worker.js', 'amplify-auth-worker-offline.js']) {
      expect(out).toContain(name);
      expect(readFileSync(join(app, `public/${name}`))).toEqual(readFileSync(join(root, `dist/${name}`)));
    }
    expect(existsSync(join(app, 'public/amplify-sw-auth.iife.js'))).toBe(false);
  });

  it('`init <dir> --drop-in` also copies the no-bundler drop-in', () => {
    const out = execFileSync('npx', ['--no-install', 'amplify-sw-auth', 'init', 'static', '--drop-in'], { cwd: app, encoding: 'utf8' });
    expect(out).toContain('amplify-sw-auth.iife.js');
    expect(readFileSync(join(app, 'static/amplify-sw-auth.iife.js'))).toEqual(readFileSync(join(root, 'dist/amplify-sw-auth.iife.js')));
    expect(existsSync(join(app, 'static/amplify-auth-worker.js'))).toBe(true);
  });

  it('`--allow` bakes an allowlist into the copy, still a classic script', () => {
    execFileSync('npx', ['--no-install', 'amplify-sw-auth', 'init', 'baked', '--allow', 'https://abc.execute-api.eu-west-1.amazonaws.com/prod'], { cwd: app, encoding: 'utf8' });
    const source = readFileSync(join(app, 'baked/amplify-auth-worker.js'), 'utf8');
    expect(source.split('\n')[0]).toBe('self.AMPLIFY_SW_AUTH_ALLOWED_ENDPOINTS = ["https://abc.execute-api.eu-west-1.amazonaws.com/prod"];');
    expect(() => new Script(source)).not.toThrow();
  });

  it('the CLI explains its usage on bad arguments', () => {
    let status = 0;
    let stderr = '';
    try {
      execFileSync('npx', ['--no-install', 'amplify-sw-auth', 'copy'], { cwd: app, encoding: 'utf8', stdio: 'pipe' });
    } catch (error: any) {
      status = error.status;
      stderr = String(error.stderr);
    }
    expect(status).toBe(2);
    expect(stderr).toContain('Usage: amplify-sw-auth init <publicDir>');
    try {
      execFileSync('npx', ['--no-install', 'amplify-sw-auth', 'init', 'public', '--allow', 'not a url'], { cwd: app, encoding: 'utf8', stdio: 'pipe' });
      status = 0;
    } catch (error: any) {
      status = error.status;
      stderr = String(error.stderr);
    }
    expect(status).toBe(2);
    expect(stderr).toContain('--allow not a url: not an absolute URL.');
  });
});
