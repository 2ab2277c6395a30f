// A consumer's `tsc --strict` over the public types, as an app on each module resolution compiles
// them: the fixtures in consumers/ are copied into the app that installed the tarball and checked
// with this repo's TypeScript, skipLibCheck off, so the shipped .d.ts files are checked as well.
import { execFile } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, inject, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const { app } = inject('packed');
const consumers = join(app, 'consumers');

beforeAll(() => cpSync(join(import.meta.dirname, 'consumers'), consumers, { recursive: true }));

describe.concurrent('the public types, compiled by a strict consumer', () => {
  for (const resolution of ['bundler', 'node16']) {
    it(`type-check on moduleResolution ${resolution}`, async () => {
      const tsc = join(root, 'node_modules/typescript/bin/tsc');
      const result = await promisify(execFile)(process.execPath, [tsc, '-p', join(consumers, resolution, 'tsconfig.json'), '--pretty', 'false'], { cwd: app, encoding: 'utf8' }).catch((error) => error);
      expect(`${result.stdout}${result.stderr}`).toBe('');
    });
  }
});
