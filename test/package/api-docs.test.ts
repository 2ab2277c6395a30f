// The API reference (`npm run docs`, TypeDoc over the public entry points in typedoc.json) builds
// without a warning: every exported type, option and method has a doc comment, every {@link}
// resolves, and nothing public refers to a type the package does not export.
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

it('the API reference builds with every public declaration documented', async () => {
  // typedoc.json turns warnings into errors; --emit none runs the conversion and its validation only.
  const typedoc = join(root, 'node_modules/typedoc/bin/typedoc');
  const result = await promisify(execFile)(process.execPath, [typedoc, '--emit', 'none', '--logLevel', 'Warn'], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } }).catch((error) => error);
  expect(`${result.stdout}${result.stderr}`).toBe('');
  expect(result.code ?? 0).toBe(0);
});
