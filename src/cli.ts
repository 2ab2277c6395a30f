// `npx amplify-sw-auth init <publicDir>`: copies the ready worker script next to the app's other
// static files, where it must be served from for its default scope to cover the app.
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = 'amplify-auth-worker.js';
const USAGE = `Usage: amplify-sw-auth init <publicDir>

Copies ${SCRIPT} into <publicDir> (e.g. public/ for Vite, Next.js, Create React App),
so the app serves it at /${SCRIPT}, the default URL of registerAuthWorker().`;

function main(args: string[]): number {
  const [command, publicDir, ...rest] = args;
  if (command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (command !== 'init' || publicDir === undefined || rest.length > 0) {
    console.error(USAGE);
    return 2;
  }
  const target = resolve(publicDir);
  if (existsSync(target) && !statSync(target).isDirectory()) {
    console.error(`amplify-sw-auth: ${target} is not a directory.`);
    return 1;
  }
  mkdirSync(target, { recursive: true });
  const source = join(dirname(fileURLToPath(import.meta.url)), SCRIPT);
  copyFileSync(source, join(target, SCRIPT));
  console.log(`amplify-sw-auth: wrote ${join(target, SCRIPT)}. Run this again after upgrading the package.`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
