// Loopback-only listening helpers. Nothing here may bind a public interface.
import net from 'node:net';

/** @returns {Promise<number>} a port that was free on 127.0.0.1 a moment ago */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
  });
}

/**
 * @param {net.Server} server
 * @param {number} port
 * @param {string} host
 * @returns {Promise<void>}
 */
function listenOnce(server, port, host) {
  return new Promise((resolve, reject) => {
    const onError = (/** @type {Error} */ err) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/**
 * Listen on 127.0.0.1 on a fresh port.
 * @param {import('node:http').Server} server
 * @returns {Promise<{ port: number, close: () => Promise<void> }>}
 */
export async function listenLoopback(server) {
  await listenOnce(server, 0, '127.0.0.1');
  const { port } = /** @type {net.AddressInfo} */ (server.address());
  return { port, close: () => closeServer(server) };
}

/**
 * Listen on 127.0.0.1 and, best effort, on [::1] with the same port, so that
 * 'http://localhost:PORT' reaches us whichever address 'localhost' resolves to
 * first. Here /etc/hosts maps localhost to 127.0.0.1 only, but on hosts where
 * it resolves to ::1 first Chromium (and Node's fetch without happy-eyeballs
 * fallback) would otherwise hit a closed port, or a stranger's server on ::1.
 * The [::1] listener hands its sockets to the same HTTP server.
 * @param {import('node:http').Server} server
 * @returns {Promise<{ port: number, ipv6: boolean, close: () => Promise<void> }>}
 */
export async function listenLocalhost(server) {
  for (let attempt = 0; attempt < 5; attempt++) {
    await listenOnce(server, 0, '127.0.0.1');
    const { port } = /** @type {net.AddressInfo} */ (server.address());
    const v6 = net.createServer((socket) => server.emit('connection', socket));
    try {
      await listenOnce(v6, port, '::1');
      return {
        port,
        ipv6: true,
        close: async () => {
          await Promise.all([closeServer(server), closeNet(v6)]);
        },
      };
    } catch (err) {
      const code = /** @type {NodeJS.ErrnoException} */ (err).code;
      if (code === 'EADDRINUSE') {
        // Someone else owns [::1]:port; 'localhost' could reach them. Pick another port.
        await closeServer(server);
        continue;
      }
      // No IPv6 loopback on this machine (EADDRNOTAVAIL/EAFNOSUPPORT): then localhost cannot be ::1 either.
      return { port, ipv6: false, close: () => closeServer(server) };
    }
  }
  throw new Error('could not find a port free on both 127.0.0.1 and [::1]');
}

/** @param {import('node:http').Server} server */
export function closeServer(server) {
  return new Promise((resolve) => {
    if (!server.listening) return resolve(undefined);
    server.close(() => resolve(undefined));
    // Keep-alive sockets would hold close() open forever.
    server.closeAllConnections?.();
  });
}

/** @param {net.Server} server */
function closeNet(server) {
  return new Promise((resolve) => {
    if (!server.listening) return resolve(undefined);
    server.close(() => resolve(undefined));
  });
}
