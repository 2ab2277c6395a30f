// Small HTTP helpers shared by the proxy and the API emulator.

const MAX_BODY = 32 * 1024 * 1024;

/**
 * The exact request bytes: SigV4 hashes them, so no decoding or re-serializing.
 * @param {import('node:http').IncomingMessage} req
 * @returns {Promise<Buffer>}
 */
export function readBody(req) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    req.on('data', (/** @type {Buffer} */ c) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(Object.assign(new Error('request body too large'), { status: 413 }));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** @param {Buffer} buf */
export function parseJson(buf) {
  try {
    return buf.length ? JSON.parse(buf.toString('utf8')) : {};
  } catch {
    return undefined;
  }
}
