/**
 * Why `registerAuthWorker()` failed: `unsupported` (no service workers here, e.g. not a secure
 * context), `no-apis` (nothing to authorize), `bad-outputs` (the `outputs` option is not a usable
 * amplify_outputs.json; the message names the fix), `register-failed` (script missing or not JavaScript,
 * bad scope), `out-of-scope` (this page is outside the scope), `install-failed`, `not-controlled`
 * (the worker did not take control of this page), `config-rejected` (the worker refused the API
 * config; the message names the API and field) or `no-reply` (the worker did not answer).
 */
export type AuthWorkerErrorCode =
  | 'unsupported'
  | 'no-apis'
  | 'bad-outputs'
  | 'register-failed'
  | 'out-of-scope'
  | 'install-failed'
  | 'not-controlled'
  | 'config-rejected'
  | 'no-reply';

/** Every error registerAuthWorker() rejects with: a stable `code` and a message that says what to do. */
export class AuthWorkerError extends Error {
  /** Always `'AuthWorkerError'`. */
  override name = 'AuthWorkerError';
  constructor(
    /** What went wrong, stable across versions: branch on this, not on the message. */
    readonly code: AuthWorkerErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`amplify-sw-auth: ${message}`, options);
  }
}
