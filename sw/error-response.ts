/**
 * A response the worker makes up, marked so an app can tell it from the API's own. For a GraphQL
 * API the body also has the `errors` list every GraphQL client reads (the GraphQL over HTTP shape,
 * with AppSync's `errorType`).
 */
export function errorResponse(status: number, message: string, graphqlErrorType?: string): Response {
  const body = graphqlErrorType === undefined ? { message } : { message, errors: [{ message, errorType: graphqlErrorType }] };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'x-amplify-sw-auth-error': '1' },
  });
}
