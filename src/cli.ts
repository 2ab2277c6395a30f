// `npx amplify-sw-auth init <publicDir> [--allow <endpoint>]...`: copies the ready worker script
// next to the app's other static files, where it must be served from for its default scope to cover
// the app, optionally with an allowlist of API endpoints baked in.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = 'amplify-auth-worker.js';
// The same worker with the offline queue and read cache: registerAuthWorker({ offline }) registers it.
const OFFLINE_SCRIPT = 'amplify-auth-worker-offline.js';
const USAGE = `Usage: amplify-sw-auth init <publicDir> [--allow <endpoint>]...

Copies ${SCRIPT} and ${OFFLINE_SCRIPT} into <publicDir> (e.g. public/ for Vite,
Next.js, Create React App), so the app serves them at /${SCRIPT}, the default URL of
registerAuthWorker(), and /${OFFLINE_SCRIPT}, its default when given \`offline\`.

  --allow <endpoint>  Bake an allowlist into the worker: pages may only configure APIs at or
                      under these endpoints (repeatable), e.g.
                      --allow https://abc123.execute-api.eu-west-1.amazonaws.com/prod`;

function main(args: string[]): number {
  if (['--help', '-h', 'help'].includes(args[0])) {
    console.log(USAGE);
    return 0;
  }
  const [command, ...rest] = args;
  const allow: string[] = [];
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--allow' && rest[i + 1] !== undefined) allow.push(rest[++i]);
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
  const baked = allow.length > 0 ? `self.AMPLIFY_SW_AUTH_ALLOWED_ENDPOINTS = ${JSON.stringify(allow)};\n` : '';
  for (const name of [SCRIPT, OFFLINE_SCRIPT]) {
    const script = readFileSync(join(dirname(fileURLToPath(import.meta.url)), name), 'utf8');
    writeFileSync(join(target, name), baked + script);
  }
  console.log(`amplify-sw-auth: wrote ${SCRIPT} and ${OFFLINE_SCRIPT} to ${target}${allow.length > 0 ? ` (allowed endpoints: ${allow.join(', ')})` : ''}. Run this again after upgrading the package.`);
  return 0;
}

function endpointProblem(endpoint: string): string | undefined {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return 'not an absolute URL.';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `must be https, got ${url.protocol}`;
  // The worker refuses plain http off loopback (tokens would cross the wire in clear), so would never install.
  if (url.protocol === 'http:' && !['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) return 'plain http is only allowed for localhost.';
  if (url.username || url.password || url.search || url.hash) return 'must not contain credentials, a query or a fragment.';
  return undefined;
}

process.exitCode = main(process.argv.slice(2));
