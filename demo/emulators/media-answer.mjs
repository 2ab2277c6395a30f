// `?as=png|wav` on any API route: after authorization, the answer is media instead of JSON, so
// tests can load an API URL with <img>, <video> or <audio> (the worker's `media: true`). WAV,
// because every engine decodes it and it is easy to make; a <video> element plays it too. Honours
// a single `Range: bytes=a-b`, as media elements send it, with 206 and Content-Range.

// A 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==', 'base64');
const WAV = wav(8000, 2);

/** 8-bit mono PCM of `seconds` of a quiet square wave. */
function wav(rate, seconds) {
  const samples = rate * seconds;
  const out = Buffer.alloc(44 + samples);
  out.write('RIFF', 0);
  out.writeUInt32LE(36 + samples, 4);
  out.write('WAVEfmt ', 8);
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20); // PCM
  out.writeUInt16LE(1, 22); // mono
  out.writeUInt32LE(rate, 24);
  out.writeUInt32LE(rate, 28);
  out.writeUInt16LE(1, 32);
  out.writeUInt16LE(8, 34);
  out.write('data', 36);
  out.writeUInt32LE(samples, 40);
  for (let i = 0; i < samples; i++) out[44 + i] = i % 40 < 20 ? 120 : 136;
  return out;
}

/** Headers a media element needs from a CORS answer to seek. */
export const MEDIA_EXPOSE_HEADERS = 'content-range,accept-ranges,content-length';

/**
 * Writes the media answer for `as`, or returns false when `as` names none.
 * @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res
 * @param {Record<string, string>} base headers of every answer (CORS, date) @param {unknown} as
 */
export function sendMedia(req, res, base, as) {
  const media = as === 'png' ? { type: 'image/png', bytes: PNG } : as === 'wav' ? { type: 'audio/wav', bytes: WAV } : undefined;
  if (!media) return false;
  const { bytes } = media;
  const headers = { ...base, 'content-type': media.type, 'accept-ranges': 'bytes', 'cache-control': 'no-store' };
  const range = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers.range ?? ''));
  if (range) {
    const start = Number(range[1]);
    const end = Math.min(range[2] === '' ? bytes.length - 1 : Number(range[2]), bytes.length - 1);
    if (start > end) {
      res.writeHead(416, { ...headers, 'content-range': `bytes */${bytes.length}` });
      res.end();
      return true;
    }
    res.writeHead(206, { ...headers, 'content-range': `bytes ${start}-${end}/${bytes.length}`, 'content-length': String(end - start + 1) });
    res.end(bytes.subarray(start, end + 1));
    return true;
  }
  res.writeHead(200, { ...headers, 'content-length': String(bytes.length) });
  res.end(bytes);
  return true;
}
