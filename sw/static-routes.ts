/// <reference lib="webworker" />
import type { CompiledApi } from './compile-apis';

// Chromium's Service Worker Static Routing API: requests matched here go to the network without
// waking the worker or paying the hop through it. The worker never authorizes navigations or
// asset loads, so those always can, media loads (image, audio, video, no-cors) aside: an API with
// `media: true` needs them. Which URLs are APIs is only known once a page configures them, so
// without an allowlist media loads go straight to the network too, and the worker refuses a
// `media` API (worker-config.ts) rather than let it silently fail. With an allowlist, every URL
// outside it (the beacon aside) goes to the network, and media loads inside it reach the worker.
// Not in lib.dom yet, hence the local types.
type Condition =
  | { requestMode: RequestMode }
  | { requestDestination: RequestDestination }
  | { urlPattern: URLPatternInit }
  | { or: Condition[] }
  | { not: Condition };
interface RouterRule {
  condition: Condition;
  source: 'network';
}
interface URLPatternInit {
  protocol?: string;
  hostname?: string;
  port?: string;
  pathname?: string;
}
type InstallEventWithRoutes = ExtendableEvent & { addRoutes?: (rules: RouterRule | RouterRule[]) => Promise<void> };

// Asset destinations the worker never authorizes (fetch() and XHR have the empty destination).
const ASSETS: RequestDestination[] = ['font', 'manifest', 'script', 'style', 'track', 'worker', 'sharedworker', 'object', 'embed'];
const MEDIA: RequestDestination[] = ['audio', 'image', 'video'];

/** Adds the routes where the browser supports them; elsewhere every request still reaches the fetch listener. */
export function addStaticRoutes(event: ExtendableEvent, allowlist: readonly CompiledApi[] | undefined, beaconUrl: string): void {
  const addRoutes = (event as InstallEventWithRoutes).addRoutes;
  if (typeof addRoutes !== 'function') return;
  const rules: RouterRule[] = [
    { condition: { requestMode: 'navigate' }, source: 'network' },
    { condition: { or: (allowlist ? ASSETS : [...ASSETS, ...MEDIA]).map((requestDestination) => ({ requestDestination })) }, source: 'network' },
  ];
  if (!allowlist) rules.push({ condition: { requestMode: 'no-cors' }, source: 'network' });
  else {
    const keep = [...allowlist.map((api) => prefixPattern(new URL(api.origin), api.pathPrefix, true)), prefixPattern(new URL(beaconUrl), new URL(beaconUrl).pathname, false)];
    rules.push({ condition: { not: { or: keep.map((urlPattern) => ({ urlPattern })) } }, source: 'network' });
  }
  event.waitUntil(addRoutes.call(event, rules).catch((error: unknown) => console.warn('amplify-sw-auth: static routes not added; every request will pass through the worker.', error)));
}

/** A URLPattern for `origin` + `path` (and, for an API, everything below it on a segment boundary). */
function prefixPattern(origin: URL, path: string, below: boolean): URLPatternInit {
  const pathname = escape(path) + (below ? (path === '' ? '/*' : '{/*}?') : '');
  return { protocol: origin.protocol.slice(0, -1), hostname: escape(origin.hostname), port: origin.port, pathname };
}

// URLPattern syntax characters are escaped so an endpoint path is matched literally.
const escape = (text: string) => text.replace(/[\\:*?+(){}[\]]/g, '\\$&');
