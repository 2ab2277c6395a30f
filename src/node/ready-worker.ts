// The ready worker scripts as an app serves them, for the CLI and the Vite plugin: read from this
// package's dist/ (next to the built cli.js and vite.js), optionally with an allowlist baked in.
import { readFileSync } from 'node:fs';

/** The default script and its twin with the offline queue and read cache (registerAuthWorker's default `url`s). */
export const WORKER_SCRIPTS = ['amplify-auth-worker.js', 'amplify-auth-worker-offline.js'] as const;
export type WorkerScript = (typeof WORKER_SCRIPTS)[number];

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];

/** Why an allowlist entry would make the worker refuse to install, or undefined if it is fine (sw/compile-apis.ts). */
export function endpointProblem(endpoint: string): string | undefined {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return 'not an absolute URL.';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `must be https, got ${url.protocol}`;
  // The worker refuses plain http off loopback (tokens would cross the wire in clear), so would never install.
  if (url.protocol === 'http:' && !LOOPBACK.includes(url.hostname)) return 'plain http is only allowed for localhost.';
  if (url.username || url.password || url.search || url.hash) return 'must not contain credentials, a query or a fragment.';
  // As the worker's own check (sw/compile-apis.ts): it would refuse the entry at start-up, failing the registration.
  if (/%2f|%5c|%2e|%25|;/i.test(url.pathname)) return 'has an encoded "/", "\\", "." or "%", or a ";", in its path; write the path decoded.';
  return undefined;
}

/**
 * The script's source. With an allowlist, pages may only configure APIs at or under those
 * endpoints (sw/auth-worker.ts reads the global before anything else runs).
 */
export function readyWorkerSource(name: WorkerScript, allow: readonly string[] = []): string {
  const script = readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');
  return allow.length > 0 ? `self.AMPLIFY_SW_AUTH_ALLOWED_ENDPOINTS = ${JSON.stringify(allow)};\n${script}` : script;
}
