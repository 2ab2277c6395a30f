// IAM (SigV4) authorization as AWS front doors apply it, shared by the API Gateway emulator
// (service `execute-api`) and the AppSync emulator (service `appsync`): the key must be one the
// Cognito proxy minted (credentials.mjs), with its session token, not expired, scoped to this
// service and region, dated within 5 minutes of the emulated clock, and its signature recomputed
// over the exact bytes received (sigv4-verify.mjs). Throws AwsError with AWS's own wording.
import {
  AwsError, MISMATCH_MESSAGE, parseAuthorization, parseAmzDate, formatAmzDate, signatureMatches,
} from './sigv4-verify.mjs';

const SKEW_MS = 5 * 60 * 1000;

/**
 * @typedef {{ type: 'iam', accessKeyId: string, identityId: string, role: 'guest'|'authenticated', username?: string }} IamCaller
 */

/**
 * @param {{
 *   registry: import('./credentials.mjs').CredentialRegistry,
 *   clock: import('./clock.mjs').Clock,
 *   region: string,
 *   service: string,
 * }} opts
 */
export function createIamVerifier({ registry, clock, region, service }) {
  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {string} rawPath @param {string} rawQuery @param {Buffer} body
   * @returns {Promise<IamCaller>}
   */
  return async function verifyIam(req, rawPath, rawQuery, body) {
    const header = req.headers.authorization;
    if (!header) throw new AwsError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
    const auth = parseAuthorization(header);
    if (!auth.signedHeaders.includes('host')) {
      throw new AwsError(403, 'IncompleteSignatureException', "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
    }
    const creds = registry.get(auth.accessKeyId);
    if (!creds || req.headers['x-amz-security-token'] !== creds.sessionToken) {
      throw new AwsError(403, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
    }
    if (registry.isExpired(creds)) throw new AwsError(403, 'ExpiredTokenException', 'The security token included in the request is expired');
    if (auth.service !== service) {
      throw new AwsError(403, 'InvalidSignatureException', `Credential should be scoped to correct service: '${service}'. `);
    }
    if (auth.region !== region) {
      throw new AwsError(403, 'InvalidSignatureException', `Credential should be scoped to a valid region, not '${auth.region}'. `);
    }
    const amzDate = String(req.headers['x-amz-date'] ?? '');
    const signingDate = parseAmzDate(amzDate);
    if (!signingDate) {
      throw new AwsError(403, 'IncompleteSignatureException',
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
    }
    const now = clock.now();
    // AWS's own wording; Amplify's skew correction keys off this error type and the Date header.
    if (signingDate.getTime() < now - SKEW_MS) {
      throw new AwsError(403, 'InvalidSignatureException',
        `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(new Date(now - SKEW_MS))} (${formatAmzDate(new Date(now))} - 5 min.)`);
    }
    if (signingDate.getTime() > now + SKEW_MS) {
      throw new AwsError(403, 'InvalidSignatureException',
        `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(new Date(now + SKEW_MS))} (${formatAmzDate(new Date(now))} + 5 min.)`);
    }
    if (auth.shortDate !== amzDate.slice(0, 8)) {
      throw new AwsError(403, 'InvalidSignatureException', `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.shortDate}' != '${amzDate.slice(0, 8)}'`);
    }
    const ok = await signatureMatches({
      method: String(req.method), rawPath, rawQuery, headers: req.headers, body, auth,
      secretAccessKey: creds.secretAccessKey, sessionToken: creds.sessionToken, signingDate,
    });
    if (!ok) throw new AwsError(403, 'InvalidSignatureException', MISMATCH_MESSAGE);
    return {
      type: 'iam',
      accessKeyId: creds.accessKeyId,
      identityId: creds.identityId,
      role: creds.role,
      ...(creds.username ? { username: creds.username } : {}),
    };
  };
}
