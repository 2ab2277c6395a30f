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
 * Whether `url` lands on another API than `api` (or none) for a server that decodes the path
 * before routing. WHATWG URL parsing folds `.`, `%2e` and `\` segments, but leaves `..%2F`,
 * `%2e%2e%5C`, double encoding (`%252F`) and Tomcat-style `..;` segments: `/team-a/..%2Fteam-b/x`
 * matches `/team-a` as text and reaches `/team-b` at such a server. So the path is decoded the way
 * one would read it (every `%25` level, then `%2F`, `%5C` and `%2E`; `;` parameters dropped; dot
 * segments resolved) and must match the same API. `/items/a%2Fb` stays within and is fine.
 */
export function leavesApi(url: URL, api: CompiledApi, apis: readonly CompiledApi[]): boolean {
  const { pathname } = url;
  if (pathname.indexOf('%', api.pathPrefix.length) < 0 && pathname.indexOf(';', api.pathPrefix.length) < 0) return false;
  let decoded = pathname;
  for (let i = 0; i < 8 && /%25/i.test(decoded); i++) decoded = decoded.replace(/%25/gi, '%');
  decoded = decoded.replace(/%2f|%5c/gi, '/').replace(/%2e/gi, '.');
  const resolved: string[] = [];
  for (const raw of decoded.split(/[/\\]/).slice(1)) {
    const segment = raw.split(';')[0];
    if (segment === '..') resolved.pop();
    else if (segment !== '.') resolved.push(segment);
  }
  // Segments keep their other escapes, as the endpoint's path does; `?` and `#` are still escaped.
  return matchApi(new URL(`/${resolved.join('/')}`, url.origin), apis) !== api;
}
