import { describe, expect, it } from 'vitest';
import { call, registered, signIn, useBrowser } from './harness';

describe('session changes', () => {
  const { open } = useBrowser();

  it('sign-in switches identity on the very next request', async () => {
    const page = await registered(open);
    const guest = await call(page, 'iam');
    expect(guest.body.auth).toMatchObject({ role: 'guest' });
    await signIn(page, 'alice');
    const alice = await call(page, 'iam');
    expect(alice.body.auth).toMatchObject({ role: 'authenticated', username: 'alice' });
    // The API saw new credentials: Amplify signs in on the guest identity, which Cognito links to alice.
    expect(alice.body.auth!.accessKeyId).not.toBe(guest.body.auth!.accessKeyId);
  });

  it('after sign-out resolves, no request carries the old identity (4 sign-in/sign-out cycles)', async () => {
    const page = await registered(open);
    for (const user of ['alice', 'bob', 'alice', 'bob']) {
      await signIn(page, user);
      expect((await call(page, 'iam')).body.auth).toMatchObject({ username: user });
      expect((await call(page, 'idtoken')).body.auth).toMatchObject({ username: user });

      // Sign out and fire requests in the same task, before anything else can run.
      const [iam, idtoken, accesstoken, iamAuth] = await page.evaluate(async () => {
        const h = (window as any).harness;
        await h.signOut();
        return Promise.all([
          h.call(h.apis.iam.endpoint + '/after'),
          h.call(h.apis.idtoken.endpoint + '/after'),
          h.call(h.apis.accesstoken.endpoint + '/after'),
          h.call(h.apis.iamAuth.endpoint + '/after'),
        ]);
      });
      expect(iam.body.auth, user).toMatchObject({ role: 'guest' });
      expect(iam.body.auth.username).toBeUndefined();
      // No token any more: as in Amplify, the request falls back to the guest's SigV4 signature.
      for (const r of [idtoken, accesstoken]) {
        expect(r.status, user).toBe(401);
        expect(r.body.seen.authorizationKind, user).toBe('sigv4');
      }
      expect(iamAuth.status, user).toBe(403);
      expect(iamAuth.body.auth?.username).toBeUndefined();
    }
  });
});
