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
