// The API emulator's unauthenticated test hooks (demo/emulators/api-gateway.mjs), from Node.
import { emulators } from './harness';

export const control = (path: string, init?: RequestInit) => fetch(`${emulators().api.controlUrl}${path}`, init).then((r) => r.json());

/** Moves the emulated API clock `offsetMs` away from the real one (0 puts it back). */
export const setClock = (offsetMs: number) => control('/clock', { method: 'POST', body: JSON.stringify({ offsetMs }) });

/**
 * Emulator log entries (not preflights) whose path starts with `prefix`. Requests the network cut
 * refused (`cut: true`, see setNetwork) never reached the API and are left out.
 */
export const logged = async (prefix: string): Promise<any[]> =>
  ((await control('/log')).entries as any[]).filter((e) => e.path.startsWith(prefix) && !e.preflight && !e.cut);

export type LinkState = 'up' | 'down';
export interface NetworkState { api: LinkState; cognito: LinkState; refused: { api: number; cognito: number } }

/**
 * Cuts or restores the network on the server side (demo/emulators/network-switch.mjs): while a
 * side is 'down', every request to it (the API, or Cognito through its proxy), preflights
 * included, fails as a network error in every engine, service workers included. useBrowser()
 * puts both sides back up after each test.
 */
export async function setNetwork(patch: { api?: LinkState; cognito?: LinkState }): Promise<NetworkState> {
  const res = await fetch(`${emulators().api.controlUrl}/network`, { method: 'POST', body: JSON.stringify(patch) });
  const body = await res.json();
  if (res.status !== 200) throw new Error(`setNetwork(${JSON.stringify(patch)}): ${res.status} ${body.message}`);
  return body as NetworkState;
}

/** Both sides' state and how many requests each side's cut refused so far. */
export const networkState = (): Promise<NetworkState> => control('/network');

/** The AppSync emulator's log entries (not preflights, not requests the network cut refused). */
export const appsyncLogged = async (): Promise<any[]> =>
  ((await fetch(`${emulators().appsync.controlUrl}/log`).then((r) => r.json())).entries as any[]).filter((e) => !e.preflight && !e.cut);
