/// <reference lib="webworker" />

/**
 * `fetch()`, with a failure (no network, a refused redirect, an abort) handed to the page as the
 * network error it would have got without a worker. A rejected `respondWith()` promise means the
 * same to the page, but the browser also reports it as an unhandled rejection in the worker.
 */
export const sendUpstream = (request: Request): Promise<Response> => fetch(request).catch(() => Response.error());
