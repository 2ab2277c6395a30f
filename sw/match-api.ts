import type { CompiledApi } from './compile-apis';

/**
 * The API a URL belongs to, or undefined. The security boundary of the package:
 * exact origin (scheme, host and port), then a path prefix that ends on a segment
 * boundary, so `/prod` never matches `/prod-evil` and `api.example.com` never
 * matches `api.example.com.evil.test`. `apis` is longest-prefix first.
 */
export function matchApi(url: URL, apis: readonly CompiledApi[]): CompiledApi | undefined {
  // fetch() refuses URLs with credentials, but never trust that alone.
  if (url.username || url.password) return undefined;
  const { origin, pathname } = url;
  for (const api of apis) {
    if (api.origin !== origin) continue;
    const prefix = api.pathPrefix;
    if (prefix === '' || pathname === prefix || (pathname.startsWith(prefix) && pathname.charCodeAt(prefix.length) === 47 /* '/' */)) {
      return api;
    }
  }
  return undefined;
}

/**
 * Whether `url`'s path, once a gateway or proxy percent-decodes it, leaves `api`'s endpoint.
 * WHATWG URL parsing folds `.`, `%2e` and `\` segments, but leaves `..%2F` and `%2e%2e%5C`:
 * `/team-a/..%2Fteam-b/x` matches `/team-a` as text, and reaches `/team-b` at a server that decodes
 * before routing. An encoded `/` inside a segment (`/items/a%2Fb`) stays within and is fine.
 */
export function escapesApi(url: URL, api: CompiledApi): boolean {
  const rest = url.pathname.slice(api.pathPrefix.length);
  if (!rest.includes('%')) return false; // the parser already resolved every literal dot segment
  let depth = 0;
  for (const segment of rest.replace(/%2f|%5c/gi, '/').split(/[/\\]/)) {
    const name = segment.replace(/%2e/gi, '.');
    if (name === '..') depth--;
    else if (name !== '.' && name !== '') depth++;
    if (depth < 0) return true;
  }
  return false;
}
