// `npx amplify-sw-auth init <publicDir> [--allow <endpoint>]...`: copies the ready worker script
// next to the app's other static files, where it must be served from for its default scope to cover
// the app, optionally with an allowlist of API endpoints baked in.
import { copyFileSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { endpointProblem, readyWorkerSource, WORKER_SCRIPTS } from './ready-worker';

const [SCRIPT, OFFLINE_SCRIPT] = WORKER_SCRIPTS;
const DROP_IN = 'amplify-sw-auth.iife.js';
const USAGE = `Usage: amplify-sw-auth init <publicDir> [--allow <endpoint>]... [--drop-in]

Copies ${SCRIPT} and ${OFFLINE_SCRIPT} into <publicDir> (e.g. public/ for Vite,
Next.js, Create React App), so the app serves them at /${SCRIPT}, the default URL of
registerAuthWorker(), and /${OFFLINE_SCRIPT}, its default when given \`offline\`.

  --allow <endpoint>  Bake an allowlist into the worker: pages may only configure APIs at or
                      under these endpoints (repeatable), e.g.
                      --allow https://abc123.execute-api.eu-west-1.amazonaws.com/prod
  --drop-in           Also copy ${DROP_IN}, the page side with aws-amplify bundled in,
                      for pages with no build step (a global \`amplifySwAuth\`).`;

function main(args: string[]): number {
  if (['--help', '-h', 'help'].includes(args[0])) {
    console.log(USAGE);
    return 0;
  }
  const [command, ...rest] = args;
  const allow: string[] = [];
  const positional: string[] = [];
  let dropIn = false;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--drop-in') dropIn = true;
    else if (rest[i] === '--allow' && rest[i + 1] !== undefined) allow.push(rest[++i]);
    else if (rest[i].startsWith('--allow=')) allow.push(rest[i].slice('--allow='.length));
    else positional.push(rest[i]);
  }
  if (command !== 'init' || positional.length !== 1 || positional[0].startsWith('-')) {
    console.error(USAGE);
    return 2;
  }
  for (const endpoint of allow) {
    const problem = endpointProblem(endpoint);
    if (problem) {
      console.error(`amplify-sw-auth: --allow ${endpoint}: ${problem}`);
      return 2;
    }
  }
  const target = resolve(positional[0]);
  if (existsSync(target) && !statSync(target).isDirectory()) {
    console.error(`amplify-sw-auth: ${target} is not a directory.`);
    return 1;
  }
  mkdirSync(target, { recursive: true });
  for (const name of WORKER_SCRIPTS) writeFileSync(join(target, name), readyWorkerSource(name, allow));
  if (dropIn) copyFileSync(new URL(`./${DROP_IN}`, import.meta.url), join(target, DROP_IN));
  const written = [SCRIPT, OFFLINE_SCRIPT, ...(dropIn ? [DROP_IN] : [])];
  console.log(`amplify-sw-auth: wrote ${written.slice(0, -1).join(', ')} and ${written.at(-1)} to ${target}${allow.length > 0 ? ` (allowed endpoints: ${allow.join(', ')})` : ''}. Run this again after upgrading the package.`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
