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
  override name = 'AuthWorkerError';
  constructor(
    readonly code: AuthWorkerErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`amplify-sw-auth: ${message}`, options);
  }
}
