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

export function rememberSession(session: SessionLike): void {
  const { sub, identityId } = sessionWho(session);
  if (sub !== undefined && identityId !== undefined) lastSignedIn = { sub, identityId };
}

/**
 * Who a session that could not be read belongs to, so that the same user keeps the same identity
 * key through a network failure. Amplify stores the tokens and a guest's identity id
 * (IdentityIdStore.ts: `type: 'guest'` goes to storage), but keeps a signed-in user's identity id
 * in memory only (`_primaryIdentityId`): that one comes from the last session this page read, and
 * only while the stored tokens still name the same user. A page that never read a signed-in
 * session (opened offline) cannot know it, and gets an identity of its own until it can.
 */
export async function storedWho(read: ReadStoredIdentity | undefined): Promise<Who> {
  const stored = read === undefined ? {} : await read().catch((): Who => ({}));
  if (stored.sub === undefined) return stored.identityId === undefined ? {} : { identityId: stored.identityId };
  return lastSignedIn?.sub === stored.sub ? { ...lastSignedIn } : { sub: stored.sub };
}

/** For tests: forget the remembered session. */
export function forgetSessions(): void {
  lastSignedIn = undefined;
}
