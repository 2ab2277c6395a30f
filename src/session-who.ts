import type { SessionLike } from './types';

/** What names the user of a session: its identity-pool identity and its token subject. */
export interface Who {
  identityId?: string;
  sub?: string;
}

/**
 * Reads, without any network call, who the app's session store says is here: the stored tokens'
 * subject, else (a guest) the stored guest identity id. Supplied for Amplify's own session source
 * (amplify.ts amplifyStoredIdentity); a custom `fetchAuthSession` has no such store.
 */
export type ReadStoredIdentity = () => Promise<Who>;

/** The last session read that named a signed-in user: Amplify keeps that user's identity id in memory only. */
let lastSignedIn: { sub: string; identityId: string } | undefined;

export function sessionWho(session: SessionLike): Who {
  const sub = session.tokens?.accessToken?.payload.sub ?? session.userSub;
  return { ...(session.identityId !== undefined && { identityId: session.identityId }), ...(sub !== undefined && { sub }) };
}

// The same, across reloads: a page opened offline must key its user as when online, or the
// offline queue would hold that user's requests for someone else. An identity id is not a secret
// (Cognito needs the user's tokens to get credentials for it).
const REMEMBERED = 'amplify-sw-auth.identity-id.';

export function rememberSession(session: SessionLike): void {
  const { sub, identityId } = sessionWho(session);
  if (sub === undefined || identityId === undefined || (lastSignedIn?.sub === sub && lastSignedIn.identityId === identityId)) return;
  lastSignedIn = { sub, identityId };
  try {
    localStorage.setItem(REMEMBERED + sub, identityId);
  } catch {
    // storage off or full: this page still remembers it
  }
}

function remembered(sub: string): string | undefined {
  if (lastSignedIn?.sub === sub) return lastSignedIn.identityId;
  try {
    return localStorage.getItem(REMEMBERED + sub) ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * Who a session that could not be read belongs to, so that the same user keeps the same identity
 * key through a network failure. Amplify stores the tokens and a guest's identity id
 * (IdentityIdStore.ts: `type: 'guest'` goes to storage), but keeps a signed-in user's identity id
 * in memory only (`_primaryIdentityId`): that one comes from the last session read for the user the
 * stored tokens name, in this page or an earlier one of this origin (remembered by token subject).
 * A user never signed in online in this browser gets an identity of its own until a read succeeds.
 */
export async function storedWho(read: ReadStoredIdentity | undefined): Promise<Who> {
  const stored = read === undefined ? {} : await read().catch((): Who => ({}));
  if (stored.sub === undefined) return stored.identityId === undefined ? {} : { identityId: stored.identityId };
  const identityId = remembered(stored.sub);
  return identityId === undefined ? { sub: stored.sub } : { identityId, sub: stored.sub };
}

/** For tests: forget the remembered session. */
export function forgetSessions(): void {
  lastSignedIn = undefined;
}
