// SigV4 signer microbenchmark in Node, signatures per second for a GET and 1 KiB / 1 MiB POSTs:
//   amplify-sw-auth    the worker's own signRequest (sw/sign-request.ts): aws4fetch, with the empty-payload
//                      hash as a constant and each derived key imported once
//   aws4fetch          the library as is (WebCrypto: Node's crypto.subtle here), signing-key cache on
//   smithy             @smithy/signature-v4 with @smithy/hash-node's Hash (Node's OpenSSL sha256)
//   amplify-internal   signRequest from @aws-amplify/core/internals/aws-client-utils (pure-JS sha256)
// Same credentials, URL and headers for all; each case runs for a fixed time after a warm-up.
import { signRequest } from '@aws-amplify/core/internals/aws-client-utils';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { AwsV4Signer } from 'aws4fetch';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'vite';
import { round } from './stats.mjs';

const root = join(import.meta.dirname, '../..');

/** sw/sign-request.ts compiled for Node: the worker's signer is internal, not in dist/. */
async function workerSigner() {
  const outDir = join(root, '.tmp/bench/signer');
  await build({
    configFile: false,
    root,
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true, minify: false, target: 'es2022', lib: { entry: join(root, 'sw/sign-request.ts'), formats: ['es'], fileName: () => 'sign-request.mjs' } },
  });
  return /** @type {typeof import('../../sw/sign-request').signRequest} */ ((await import(pathToFileURL(join(outDir, 'sign-request.mjs')).href)).signRequest);
}
/** @type {Awaited<ReturnType<typeof workerSigner>>} */
let signWorker;

const credentials = {
  accessKeyId: 'ASIABENCHMARKEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN',
};
const region = 'us-east-1';
const service = 'execute-api';
const url = new URL('https://abc123.execute-api.us-east-1.amazonaws.com/prod/items/1');

const CASES = {
  get: { method: 'GET', body: undefined },
  '1kib': { method: 'POST', body: new Uint8Array(1024).fill(97) },
  '1mib': { method: 'POST', body: new Uint8Array(1024 * 1024).fill(97) },
};
const headersFor = (/** @type {Uint8Array | undefined} */ body) => (body ? { 'content-type': 'application/octet-stream' } : {});

/**
 * Each signer as a factory of "sign once, return the Authorization header"; `date` pins the
 * signing time for the cross-check, the timed runs use the current time.
 * @type {Record<string, (c: { method: string, body?: Uint8Array }, date?: Date) => () => Promise<string> | string>}
 */
const SIGNERS = {
  'amplify-sw-auth': ({ method, body }, date) => {
    const signingKeys = new Map();
    const request = { method, url: url.href, headers: headersFor(body), body: body && body.slice().buffer };
    // It signs at Date.now() + clockOffsetMs: mid-second of `date`, so the second cannot roll over.
    const at = date && date.getTime() + 500;
    return async () => (await signWorker(request, { credentials, signing: { region, service }, signingKeys, clockOffsetMs: at === undefined ? 0 : at - Date.now() })).get('authorization') ?? '';
  },
  aws4fetch: ({ method, body }, date) => {
    const cache = new Map();
    const datetime = date && date.toISOString().replace(/[:-]|\.\d{3}/g, '');
    return async () => {
      const signer = new AwsV4Signer({ method, url: url.href, headers: headersFor(body), body, ...credentials, region, service, cache, datetime, allHeaders: true });
      return String((await signer.sign()).headers.get('authorization'));
    };
  },
  smithy: ({ method, body }, date) => {
    const signer = new SignatureV4({ credentials, region, service, sha256: Hash.bind(null, 'sha256'), applyChecksum: false });
    const request = { method, protocol: url.protocol, hostname: url.hostname, path: url.pathname, query: {}, headers: { host: url.host, ...headersFor(body) }, body };
    return async () => String((await signer.sign(request, { signingDate: date })).headers.authorization);
  },
  'amplify-internal': ({ method, body }, date) => () =>
    signRequest({ method, url, headers: headersFor(body), body }, { credentials, signingRegion: region, signingService: service, signingDate: date }).headers.authorization,
};

/** All must produce the same signature, or the rates would compare different work. */
async function crossCheck() {
  const date = new Date('2026-01-01T00:00:00Z');
  for (const [label, c] of Object.entries(CASES)) {
    const signatures = await Promise.all(Object.values(SIGNERS).map((make) => make(c, date)()));
    if (new Set(signatures).size !== 1) throw new Error(`signers disagree on the ${label} case: ${signatures.join(' | ')}`);
  }
}

/** ops/s of `op` (sync or async) over `ms` of wall time, after `ms / 5` of warm-up. */
async function rate(/** @type {() => unknown} */ op, /** @type {number} */ ms) {
  const until = async (/** @type {number} */ deadline) => {
    let n = 0;
    while (performance.now() < deadline) {
      await op();
      n++;
    }
    return n;
  };
  await until(performance.now() + ms / 5);
  const t0 = performance.now();
  const n = await until(t0 + ms);
  return (n * 1000) / (performance.now() - t0);
}

/** `{ <signer>: { get_per_s, 1kib_per_s, 1mib_per_s } }` */
export async function signerBenchmark({ msPerCase = 1000 } = {}) {
  signWorker ??= await workerSigner();
  await crossCheck();
  /** @type {Record<string, Record<string, number>>} */
  const out = {};
  for (const [name, make] of Object.entries(SIGNERS)) {
    out[name] = {};
    for (const [label, c] of Object.entries(CASES)) out[name][`${label}_per_s`] = round(await rate(make(c), msPerCase), 1);
  }
  return out;
}
