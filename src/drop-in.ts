// dist/amplify-sw-auth.iife.js: the page side for pages with no build step. One classic script,
// aws-amplify bundled in, exposed as the global `amplifySwAuth`:
//   <script src="/amplify-sw-auth.iife.js"></script>
//   <script>amplifySwAuth.configure(outputs); amplifySwAuth.registerAuthWorker();</script>
// Apps with a bundler import 'amplify-sw-auth' instead, and keep their own copy of aws-amplify.
import { Amplify } from 'aws-amplify';
import type { AmplifyOutputsLike } from './outputs-apis';
import { registerAuthWorker as register } from './register-auth-worker';
import type { AuthWorker, RegisterAuthWorkerOptions } from './types';

export { fetchAuthSession, getCurrentUser, signIn, signOut } from 'aws-amplify/auth';
export { AuthWorkerError } from './auth-worker-error';

let configured: AmplifyOutputsLike | undefined;

/**
 * Amplify.configure(), and remembers Gen2 outputs so registerAuthWorker() finds their `custom.API`
 * without being told (Amplify itself ignores that section).
 */
export function configure(...args: Parameters<typeof Amplify.configure>): void {
  Amplify.configure(...args);
  const [config] = args;
  configured = typeof config === 'object' && config !== null && 'custom' in config && (config as AmplifyOutputsLike).custom?.API !== undefined ? (config as AmplifyOutputsLike) : undefined;
}

/** registerAuthWorker() of the package, with the outputs given to configure() as its default `outputs`. */
export function registerAuthWorker(options: RegisterAuthWorkerOptions = {}): Promise<AuthWorker> {
  return register({ ...(configured !== undefined && { outputs: configured }), ...options });
}
