// The API emulator's unauthenticated test hooks (demo/emulators/api-gateway.mjs), from Node.
import { emulators } from './harness';

export const control = (path: string, init?: RequestInit) => fetch(`${emulators().api.controlUrl}${path}`, init).then((r) => r.json());

/** Moves the emulated API clock `offsetMs` away from the real one (0 puts it back). */
export const setClock = (offsetMs: number) => control('/clock', { method: 'POST', body: JSON.stringify({ offsetMs }) });

/** Emulator log entries (not preflights) whose path starts with `prefix`. */
export const logged = async (prefix: string): Promise<any[]> => ((await control('/log')).entries as any[]).filter((e) => e.path.startsWith(prefix) && !e.preflight);
