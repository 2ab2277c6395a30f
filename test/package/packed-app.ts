// The package as an app installs it, made once for every test file of the package project (a
// vitest globalSetup; packing and installing twice would cost seconds): `npm pack`, then the
// tarball installed into a separate folder. Tests read it through inject('packed').
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

export interface PackedPackage {
  /** The app folder: package.json, node_modules/amplify-sw-auth installed from the tarball. */
  app: string;
  /** Absolute path of the .tgz, inside `app`. */
  tarball: string;
  /** The tarball's file list as `npm pack --json` reports it (what `--dry-run` would list). */
  files: string[];
}

declare module 'vitest' {
  export interface ProvidedContext {
    packed: PackedPackage;
  }
}

const root = resolve(import.meta.dirname, '../..');

export default function setup(project: TestProject) {
  if (!existsSync(join(root, 'dist/index.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does) first.');
  const app = mkdtempSync(join(tmpdir(), 'amplify-sw-auth-app-'));
  const [report] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', app], { cwd: root, encoding: 'utf8' }));
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  // Peers (aws-amplify) are the app's business; dependencies come from the npm cache npm ci filled.
  execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--legacy-peer-deps', join(app, report.filename)], { cwd: app, stdio: 'pipe' });
  // A real app has its peers installed; the consumer type checks need their types (an optional peer
  // such as vite is there when the app uses that entry point). Linked from this repo, not fetched.
  const { peerDependencies = {} } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  for (const name of Object.keys(peerDependencies)) {
    const link = join(app, 'node_modules', name);
    if (existsSync(link)) continue;
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(join(root, 'node_modules', name), link, 'dir');
  }
  project.provide('packed', { app, tarball: join(app, report.filename), files: report.files.map((f: { path: string }) => f.path) });
  return () => rmSync(app, { recursive: true, force: true });
}
