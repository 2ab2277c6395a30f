// Serves the PWA's production build (PWA_OUT) at PWA_BASE, as a static host would, from a
// middleware of the dev server (demo/dev-server.mjs).
//
// TEST-ONLY: `POST /__pwa/network` with `{"down": true}` cuts PWA_BASE on the server side: every
// request under it then has its connection destroyed, as if the host were unreachable, until
// `{"down": false}`. It works in every engine (none needs an offline mode) and leaves the
// emulators and /emulators.json reachable, so the browser tests can show that the shell comes from
// the worker's precache. Like the API emulator's control URL it is unauthenticated, on loopback.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, resolve, sep } from 'node:path';
import { PWA_BASE, PWA_OUT } from './vite.config.mjs';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.webmanifest': 'application/manifest+json',
  '.json': 'application/json',
  '.png': 'image/png',
};

let down = false;

/** The file PWA_OUT holds for `path` (under PWA_BASE): a file, or index.html for app routes without an extension. */
function fileFor(path) {
  const file = resolve(PWA_OUT, `.${decodeURIComponent(path.slice(PWA_BASE.length - 1))}`);
  if (file !== PWA_OUT && !file.startsWith(PWA_OUT + sep)) return undefined;
  if (existsSync(file) && statSync(file).isFile()) return file;
  return extname(file) === '' ? resolve(PWA_OUT, 'index.html') : undefined;
}

/** Connect middleware: the network switch, then the build. `headers` go on every response. */
export function servePwa(headers = {}) {
  return (req, res, next) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/__pwa/network' && req.method === 'POST') return setNetwork(req, res);
    if (path !== PWA_BASE.slice(0, -1) && !path.startsWith(PWA_BASE)) return next();
    if (down) return req.socket.destroy();
    if (!existsSync(resolve(PWA_OUT, 'index.html'))) {
      res.statusCode = 503;
      return res.end('The PWA is not built: demo/pwa/build.mjs buildPwa() (npm run demo does).');
    }
    if (path === PWA_BASE.slice(0, -1)) {
      res.writeHead(301, { location: PWA_BASE });
      return res.end();
    }
    const file = fileFor(path);
    if (file === undefined) {
      res.statusCode = 404;
      return res.end();
    }
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    res.setHeader('content-type', TYPES[extname(file)] ?? 'application/octet-stream');
    // Hashed build assets never change; everything else (index.html, sw.js, the manifest) is revalidated.
    res.setHeader('cache-control', file.startsWith(resolve(PWA_OUT, 'assets') + sep) ? 'public, max-age=31536000, immutable' : 'no-cache');
    res.end(readFileSync(file));
  };
}

function setNetwork(req, res) {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    try {
      down = JSON.parse(body).down === true;
    } catch {
      res.statusCode = 400;
      return res.end('expected {"down": boolean}');
    }
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ down }));
  });
}
