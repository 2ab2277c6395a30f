import { AwsV4Signer } from 'aws4fetch';
import type { SessionCredentials } from '../src/protocol';
import type { SigningInfo } from './signing-info';

/**
 * A request as the page made it, before any auth was applied. Kept apart from the signed
 * form so that a stored request (an offline queue, a retry after clock skew) can be signed
 * again at send time with the material current then.
 */
export interface UnsignedRequest {
  method: string;
  url: string;
  /** Lower-case names: the merged app + page headers. */
  headers: Record<string, string>;
  /** The exact bytes that will be sent; hashed into the signature. */
  body?: ArrayBuffer;
}

export interface SignOptions {
  credentials: SessionCredentials;
  signing: SigningInfo;
  /** Added to the local clock, for servers whose clock differs (SigV4 allows 5 minutes). */
  clockOffsetMs?: number;
  /** Signing-key cache shared by requests of one session. */
  signingKeys?: Map<string, ArrayBuffer>;
}

// SHA-256 of the empty payload (AWS documents this constant): most API calls have no body, and
// skipping that digest saves a WebCrypto round trip on the hot path.
const EMPTY_PAYLOAD_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

class Signer extends AwsV4Signer {
  override hexBodyHash(): Promise<string> {
    return this.body == null && !this.headers.has('x-amz-content-sha256') ? Promise.resolve(EMPTY_PAYLOAD_SHA256) : super.hexBodyHash();
  }
}

/** SigV4 headers for `request` (aws4fetch: WebCrypto, 31/31 of AWS's test suite). */
export async function signRequest(request: UnsignedRequest, { credentials, signing, clockOffsetMs = 0, signingKeys }: SignOptions): Promise<Headers> {
  const signer = new Signer({
    method: request.method,
    url: request.url,
    headers: request.headers,
    body: request.body,
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    sessionToken: credentials.sessionToken,
    service: signing.service,
    region: signing.region,
    cache: signingKeys,
    datetime: clockOffsetMs === 0 ? undefined : amzDate(Date.now() + clockOffsetMs),
    // Sign content-type too, as Amplify does: the headers were already reduced to those the page set.
    allHeaders: true,
  });
  const { headers } = await signer.sign();
  return headers;
}

/** SigV4's basic ISO 8601 form: 20150830T123600Z. */
function amzDate(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/[:-]|\.\d{3}/g, '');
}
