// The PWA demo's DOM: what the app shows. No logic of its own.
import type { OfflineEvent, PendingRequest } from 'amplify-sw-auth';

const $ = (id: string) => document.getElementById(id)!;

function button(label: string, onclick: () => unknown) {
  const b = document.createElement('button');
  b.textContent = label;
  b.onclick = () => void Promise.resolve(onclick()).catch((error) => showError(String(error)));
  return b;
}

export function showWorkerState(text: string) {
  $('worker-state').textContent = text;
}

export function showNetwork(online: boolean) {
  $('network').textContent = online ? 'online' : 'offline';
}

export function showError(text: string) {
  $('errors').textContent += `${text}\n`;
}

/** Who the API emulator says it authenticated, or its message. */
function who(body: any): string {
  const auth = body?.auth;
  if (!auth) return body?.message ?? JSON.stringify(body);
  return [auth.type, auth.role, auth.username ?? auth.principal].filter(Boolean).join(' ');
}

export function showAnswer(what: string, result: { status: number; queued?: string | null; cache?: string | null; body: unknown }) {
  const notes = [result.queued ? `queued as ${result.queued}, will sync` : '', result.cache === 'hit' ? 'from the offline cache' : ''].filter(Boolean);
  $('answer').textContent = `${what} → ${result.status}${notes.length ? ` (${notes.join(', ')})` : ''}: ${who(result.body)}`;
}

export function renderSession(username: string | undefined, users: { username: string }[], actions: { signIn: (username: string) => unknown; signOut: () => unknown }) {
  $('who').textContent = username ?? 'nobody (guest)';
  const buttons = username ? [button('Sign out', actions.signOut)] : users.map((u) => button(`Sign in as ${u.username}`, () => actions.signIn(u.username)));
  $('auth-buttons').replaceChildren(...buttons);
}

export function renderActions(actions: { label: string; run: () => unknown }[]) {
  $('actions').replaceChildren(...actions.map((a) => button(a.label, a.run)));
}

export function renderPending(pending: PendingRequest[]) {
  $('pending').replaceChildren(
    ...pending.map((p) => {
      const li = document.createElement('li');
      li.textContent = `${p.method} ${p.url} (${new Date(p.time).toLocaleTimeString()})${p.held ? ', held for its user' : ''}`;
      return li;
    }),
  );
}

export function renderEvent(event: OfflineEvent) {
  const li = document.createElement('li');
  li.textContent = [event.type, event.method, event.url, event.status, event.count === undefined ? '' : `×${event.count}`].filter((x) => x !== undefined && x !== '').join(' ');
  $('events').append(li);
}
