// Issue 12, capability 5: a failed session fetch is not a session. With only Cognito cut, the
// page's fetchAuthSession() fails and the request goes out unsigned, as in Amplify; once Cognito is
// back, the next request after the short backoff is signed again, not minutes later.
import { describe, expect, it } from 'vitest';
import { call, registered, signIn, useBrowser } from './harness';
import { networkState, setNetwork } from './emulator-control';

/** Past the first backoff window (1 s, sw/failed-material.ts), with room for a slow engine. */
const PAST_BACKOFF_MS = 1_500;

describe('a failed session fetch is not a session', () => {
  const { open } = useBrowser();

  for (const who of ['guest', 'alice'] as const) {
    it(`${who}: Cognito cut, the request goes out unsigned; Cognito back, the next request after the backoff is signed`, async () => {
      const page = await registered(open);
      if (who === 'alice') await signIn(page, 'alice');
      const role = who === 'guest' ? 'guest' : 'authenticated';
      const before = await call(page, 'iam', '/before');
      expect(before.status, JSON.stringify(before.body)).toBe(200);
      expect(before.body.auth).toMatchObject({ type: 'iam', role });

      const refusedBefore = (await setNetwork({ cognito: 'down' })).refused.cognito;
      // The app's AuthWorker.refresh(): the worker drops its material and the page drops Amplify's
      // in-memory credentials, so the next request needs Cognito, which is unreachable.
      await page.evaluate(() => (window as any).harness.worker().refresh());
      const questions = await page.evaluate(() => (window as any).harness.bridgeRequests());
      const during = await call(page, 'iam', '/during');
      expect(during.status).toBe(403);
      expect(during.body.seen.authorization).toBe(false);
      expect((await networkState()).refused.cognito, 'Amplify tried Cognito and was cut').toBeGreaterThan(refusedBefore);
      // Inside the backoff window the failed answer serves: a burst does not become a storm of questions.
      const burst = await page.evaluate(() => {
        const h = (window as any).harness;
        return Promise.all([1, 2, 3, 4, 5].map((i) => h.call(`${h.apis.iam.endpoint}/burst/${i}`)));
      });
      expect(burst.map((r: { status: number }) => r.status)).toEqual([403, 403, 403, 403, 403]);
      expect(await page.evaluate(() => (window as any).harness.bridgeRequests()) - questions).toBeLessThanOrEqual(2);

      await setNetwork({ cognito: 'up' });
      await new Promise((resolve) => setTimeout(resolve, PAST_BACKOFF_MS));
      const after = await call(page, 'iam', '/after');
      expect(after.status, JSON.stringify(after.body)).toBe(200);
      expect(after.body.seen.authorizationKind).toBe('sigv4');
      expect(after.body.auth).toMatchObject({ type: 'iam', role });
      if (who === 'alice') expect(after.body.auth).toMatchObject({ username: 'alice', identityId: before.body.auth!.identityId });
    });
  }
});
