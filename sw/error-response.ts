/** A response the worker makes up, marked so an app can tell it from the API's own. */
export function errorResponse(status: number, message: string): Response {
  return new Response(JSON.stringify({ message }), {
    status,
    headers: { 'content-type': 'application/json', 'x-amplify-sw-auth-error': '1' },
  });
}
