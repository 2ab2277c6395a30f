// `<img>`, `<video>`, `<audio>` and CSS `url()` (an image) loads: what `media: true` authorizes.
// Only GETs; a no-cors `fetch()` has the empty destination and is never one.
const MEDIA: ReadonlySet<RequestDestination> = new Set(['image', 'audio', 'video']);

export const isMediaLoad = (request: Request): boolean => request.method === 'GET' && MEDIA.has(request.destination);
