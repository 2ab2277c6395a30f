// The demo's live request log: one row per request the worker answered (registerAuthWorker({ debug: true })).
import type { RequestLogEntry } from 'amplify-sw-auth';

const MAX_ROWS = 200;

function material(e: RequestLogEntry): string {
  if (e.material === 'round-trip') return `asked the page: ${e.materialMs} ms`;
  if (e.material === 'failed') return `failed: ${e.materialError}`;
  return e.material === 'cached' ? 'cached' : '–';
}

/** Adds `entry` at the top of the table's body; the oldest rows go past MAX_ROWS. */
export function showRequest(tbody: HTMLTableSectionElement, e: RequestLogEntry): void {
  const url = new URL(e.url);
  const cells = [
    new Date(e.time).toLocaleTimeString(),
    e.method,
    url.pathname,
    e.apiName,
    e.mode,
    e.why,
    material(e),
    [e.retry, e.offline].filter(Boolean).join(', ') || '–',
    e.status === 0 ? 'network error' : String(e.status),
    String(e.ms),
  ];
  const row = document.createElement('tr');
  row.className = e.status >= 200 && e.status < 300 ? 'ok' : 'fail';
  for (const text of cells) row.insertCell().textContent = text;
  row.cells[8].className = 'status';
  tbody.prepend(row);
  while (tbody.rows.length > MAX_ROWS) tbody.lastElementChild!.remove();
}
