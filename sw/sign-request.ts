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

// Each derived signing key, imported once: aws4fetch imports it again for every signature, and
// each import is a round trip to WebCrypto's thread. Weak, so keys go with their material entry.
const importedKeys = new WeakMap<ArrayBuffer, Promise<CryptoKey>>();
const encoder = new TextEncoder();

class Signer extends AwsV4Signer {
  override hexBodyHash(): Promise<string> {
    return this.body == null && !this.headers.has('x-amz-content-sha256') ? Promise.resolve(EMPTY_PAYLOAD_SHA256) : super.hexBodyHash();
  }

  override async signature(): Promise<string> {
    // aws4fetch 1.0.20 caches kSigning under this key; were that to change, the fallback is its own path.
    const kSigning = this.cache.get([this.secretAccessKey, this.datetime.slice(0, 8), this.region, this.service].join());
    if (kSigning === undefined) return super.signature(); // derives kSigning and caches it
    let key = importedKeys.get(kSigning);
    if (key === undefined) {
      key = crypto.subtle.importKey('raw', kSigning, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
      importedKeys.set(kSigning, key);
      key.catch(() => importedKeys.delete(kSigning)); // a failed import is not kept: the next request tries again
    }
    const [cryptoKey, stringToSign] = await Promise.all([key, this.stringToSign()]);
    return hex(await crypto.subtle.sign('HMAC', cryptoKey, encoder.encode(stringToSign)));
  }
}

function hex(buffer: ArrayBuffer): string {
  let out = '';
  for (const byte of new Uint8Array(buffer)) out += (byte < 16 ? '0' : '') + byte.toString(16);
  return out;
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

/**
 * Signs a throwaway request with a throwaway key. A fresh worker's first signature otherwise also
 * pays for starting WebCrypto and running this code for the first time, about 1 ms, on the
 * critical path of the request that woke it; the worker calls this while it waits for a page.
 */
export function warmUpSigner(): Promise<void> {
  return signRequest(
    { method: 'GET', url: 'https://warm-up.invalid/', headers: {} },
    { credentials: { accessKeyId: 'WARMUP', secretAccessKey: 'warm-up' }, signing: { region: 'us-east-1', service: 'execute-api' } },
  ).then(
    () => undefined,
    () => undefined,
  );
}
