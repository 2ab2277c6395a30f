// AppSync GraphQL API emulator: POST /graphql {query, variables, operationName} and GET /graphql
// ?query=&variables=&operationName= (queries only), authorized as an API with API key (default),
// IAM, Cognito user pools and a Lambda authorizer (appsync-auth.mjs), then executed for real
// (appsync-schema.mjs). Strict CORS, the shared emulated clock and network cut, and a request log
// at /__control/log (control.mjs) that names the headers seen, never their values.
import http from 'node:http';
import { getOperationAST, graphql, parse } from 'graphql';
import { listenLocalhost } from './loopback.mjs';
import {
  answerPreflight, authHeadersSeen, awsBaseHeaders, parseJson, readBody, sendJson, splitUrl,
} from './http-util.mjs';
import { AwsError } from './sigv4-verify.mjs';
import { createIamVerifier } from './iam-verify.mjs';
import { createAppSyncAuthorizer } from './appsync-auth.mjs';
import { createRoot, SCHEMA } from './appsync-schema.mjs';
import { createRequestLog } from './request-log.mjs';
import { createControl } from './control.mjs';

export const DEFAULT_APPSYNC_API_KEY = 'da2-demoappsynckey0123456789';
/** @type {Readonly<Record<string, string>>} */
export const DEFAULT_LAMBDA_TOKENS = Object.freeze({ 'lambda-token-alice': 'alice', 'lambda-token-bob': 'bob' });
// What GraphQL clients and Amplify send, and x-tenant as an app header (see api-gateway.mjs).
// Not x-amplify-auth-mode: the worker must strip it, so a request carrying it fails the preflight.
export const APPSYNC_CORS_ALLOW_HEADERS =
  'authorization,content-type,x-amz-content-sha256,x-amz-date,x-amz-security-token,x-amz-user-agent,x-api-key,x-tenant';
const CORS_ALLOW_METHODS = 'GET,POST,OPTIONS';
const CORS_EXPOSE_HEADERS = 'date,x-amzn-errortype,x-amzn-requestid';
const PATH = '/graphql';

/**
 * @param {{
 *   region: string, apiKey?: string, lambdaTokens?: Record<string, string>,
 *   registry: import('./credentials.mjs').CredentialRegistry,
 *   verifier: import('./cognito-jwt.mjs').CognitoVerifier,
 *   clock: import('./clock.mjs').Clock,
 *   network: import('./network-switch.mjs').NetworkSwitch,
 *   quiet?: boolean,
 * }} opts
 */
export async function startAppSync(opts) {
  const { region, apiKey = DEFAULT_APPSYNC_API_KEY, lambdaTokens = DEFAULT_LAMBDA_TOKENS } = opts;
  const { registry, verifier, clock, network, quiet = true } = opts;
  const log = createRequestLog({ name: 'appsync', clock, network, quiet });
  const control = createControl({ region, log, registry, verifier, clock, network });
  const verifyIam = createIamVerifier({ registry, clock, region, service: 'appsync' });
  const authorize = createAppSyncAuthorizer({ apiKey, lambdaTokens, verifyIam, verifier });
  const rootValue = createRoot();

  const server = http.createServer(async (req, res) => {
    const { rawPath, rawQuery } = splitUrl(String(req.url ?? '/'));
    const base = awsBaseHeaders(req, clock, CORS_EXPOSE_HEADERS);
    const isControl = rawPath === '/__control' || rawPath.startsWith('/__control/');
    const seen = authHeadersSeen(req);
    /** @type {Record<string, unknown>} */
    const entry = { n: 0, time: '', method: req.method, path: rawPath, status: 0, mode: null, principal: null, seen, amzDate: req.headers['x-amz-date'] ?? null };
    if (!isControl && !log.admit(req, res, entry)) return;
    const send = (/** @type {number} */ status, /** @type {object} */ obj, /** @type {Record<string, string>} */ extra = {}) =>
      sendJson(res, status, obj, { ...base, ...extra });
    /** AppSync's error shape; errorType also in x-amzn-ErrorType. */
    const fail = (/** @type {number} */ status, /** @type {string} */ errorType, /** @type {string} */ message) => {
      entry.error = errorType;
      return send(status, { errors: [{ errorType, message }] }, { 'x-amzn-errortype': errorType });
    };

    try {
      if (req.method === 'OPTIONS') {
        return answerPreflight(req, res, entry, base, { allowHeaders: APPSYNC_CORS_ALLOW_HEADERS, allowMethods: CORS_ALLOW_METHODS });
      }
      const body = await readBody(req);
      if (isControl) return control(String(req.method), rawPath, body, send);
      if (rawPath !== PATH) return fail(404, 'NotFoundException', `No API at ${rawPath}`);
      if (req.method !== 'GET' && req.method !== 'POST') return fail(405, 'MethodNotAllowedException', `${req.method} is not supported`);

      let caller;
      try {
        caller = await authorize(req, rawPath, rawQuery, body);
      } catch (e) {
        if (!(e instanceof AwsError)) throw e;
        return fail(e.status, String(e.type), e.message);
      }
      Object.assign(entry, { mode: caller.mode, principal: caller.principal });

      const request = req.method === 'GET' ? fromQuery(rawQuery) : parseJson(body);
      if (!request || typeof request.query !== 'string') {
        return fail(400, 'MalformedHttpRequestException', 'The request must carry a GraphQL query: POST {"query": ...} or GET ?query=');
      }
      entry.operationName = request.operationName ?? null;
      let document;
      try {
        document = parse(request.query);
      } catch (e) {
        return send(200, { data: null, errors: [{ message: /** @type {Error} */ (e).message, errorType: 'GraphQLParseError' }] });
      }
      // GraphQL over HTTP: a GET may not change anything.
      if (req.method === 'GET' && getOperationAST(document, request.operationName)?.operation === 'mutation') {
        return fail(405, 'MethodNotAllowedException', 'Mutations must be sent with POST');
      }
      const result = await graphql({
        schema: SCHEMA, source: request.query, rootValue,
        variableValues: request.variables ?? undefined, operationName: request.operationName ?? undefined,
        contextValue: { caller, headerNames: seen.headerNames },
      });
      return send(200, result);
    } catch (e) {
      const err = /** @type {any} */ (e);
      if (res.headersSent) return res.destroy();
      return fail(err.status ?? 500, err.status === 413 ? 'RequestEntityTooLarge' : 'InternalFailure', err.message);
    }
  });

  const { port, close } = await listenLocalhost(server);
  return {
    endpoint: `http://localhost:${port}${PATH}`,
    controlUrl: `http://localhost:${port}/__control`,
    region,
    apiKey,
    lambdaTokens: { ...lambdaTokens },
    get log() {
      return log.entries;
    },
    stop: close,
  };
}

/** @param {string} rawQuery @returns {{ query?: unknown, variables?: any, operationName?: string } | undefined} */
function fromQuery(rawQuery) {
  const params = new URLSearchParams(rawQuery);
  const variables = params.get('variables');
  const parsed = variables ? parseJson(Buffer.from(variables)) : undefined;
  if (variables && parsed === undefined) return undefined;
  return { query: params.get('query') ?? undefined, variables: parsed, operationName: params.get('operationName') ?? undefined };
}
