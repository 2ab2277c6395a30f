// WebKit: Debian's WebKitGTK MiniBrowser, through WebKitWebDriver and npm selenium-webdriver
// (REFERENCE §4). One WebDriver session is one MiniBrowser with an ephemeral store, so a profile
// (newPage) is a session of its own, and WebKitWebDriver holds one session at a time: each profile
// gets its own driver process. They share one Xvfb display per browser (what `xvfb-run -a` would
// start for each). Every http(s) request that is not to loopback goes to a local sink that refuses
// it: nothing leaves the machine. The pages and tabs of a profile: webkit-page.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { Builder } from 'selenium-webdriver';
import type { EngineDriver, TestBrowser } from '../driver';
import { openProfile } from './webkit-page';

export const MINIBROWSER_PATH = process.env.MINIBROWSER_PATH ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

export const webkitDriver: EngineDriver = { engine: 'webkit', launch: launchWebKit };

async function launchWebKit(): Promise<TestBrowser> {
  const sink = await startSink();
  let display: (Child & { name: string }) | undefined;
  const closing = new Set<() => Promise<void>>();
  try {
    display = await startXvfb();
  } catch (error) {
    sink.close();
    throw error;
  }
  return {
    async newPage(url, { waitFor = 'body[data-ready]' } = {}) {
      const server = await startWebDriver(display!.name);
      let shutdown = async () => {
        await server.stop();
      };
      try {
        const session = await new Builder()
          .usingServer(server.url)
          .withCapabilities({
            browserName: 'MiniBrowser',
            'webkitgtk:browserOptions': {
              binary: MINIBROWSER_PATH,
              args: ['--automation', `--proxy=http://127.0.0.1:${sink.port}`, '--ignore-host=localhost', '--ignore-host=127.0.0.1'],
            },
          })
          .build();
        shutdown = async () => {
          await session.quit().catch(() => undefined);
          await server.stop();
        };
        const closeProfile = async () => {
          closing.delete(closeProfile);
          await shutdown();
        };
        closing.add(closeProfile);
        return await openProfile(session, waitFor, closeProfile).open(url);
      } catch (error) {
        await shutdown();
        throw error;
      }
    },
    async close() {
      await Promise.all([...closing].map((close) => close()));
      await display!.stop();
      sink.close();
    },
  };
}

/** A process in a group of its own (it and its children are stopped together), and its stop. */
interface Child {
  process: ChildProcess;
  stop(): Promise<void>;
}

// Whatever is still running when the test process exits (a crash, a timeout) goes with it.
const running = new Set<number>();
process.on('exit', () => {
  for (const group of running) killGroup(group, 'SIGKILL');
});

function killGroup(group: number, signal: NodeJS.Signals) {
  try {
    process.kill(-group, signal);
  } catch {
    // gone already
  }
}

function startChild(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; stdio?: any[] } = {}): Child {
  const child = spawn(command, args, { detached: true, stdio: options.stdio ?? 'ignore', env: options.env });
  const group = child.pid!;
  running.add(group);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    process: child,
    async stop() {
      killGroup(group, 'SIGTERM');
      const timer = setTimeout(() => killGroup(group, 'SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
      killGroup(group, 'SIGKILL'); // MiniBrowser's helper processes, should one outlive its parent
      running.delete(group);
    },
  };
}

/** Xvfb on the first free display (it writes the number it took to fd 3). */
async function startXvfb(): Promise<Child & { name: string }> {
  const xvfb = startChild('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
  const name = await new Promise<string>((resolve, reject) => {
    let text = '';
    xvfb.process.stdio[3]!.on('data', (chunk: Buffer) => {
      text += chunk;
      if (text.includes('\n')) resolve(`:${text.trim()}`);
    });
    xvfb.process.once('exit', (code) => reject(new Error(`Xvfb exited (${code}) before it opened a display; is the xvfb package installed?`)));
    xvfb.process.once('error', reject);
  });
  return { ...xvfb, name };
}

/** WebKitWebDriver on a free loopback port, once it answers. */
async function startWebDriver(display: string): Promise<Child & { url: string }> {
  const port = await freePort();
  const server = startChild('WebKitWebDriver', [`--port=${port}`], { env: { ...process.env, DISPLAY: display } });
  const url = `http://127.0.0.1:${port}`;
  let failed: Error | undefined;
  server.process.once('error', (error) => (failed = error));
  server.process.once('exit', (code) => (failed ??= new Error(`WebKitWebDriver exited (${code}) at start`)));
  const deadline = Date.now() + 15_000;
  while (!failed) {
    try {
      if ((await fetch(`${url}/status`)).ok) return { ...server, url };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) failed = new Error('WebKitWebDriver did not answer within 15 s');
    else await new Promise((r) => setTimeout(r, 50));
  }
  await server.stop();
  throw failed;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** The proxy every non-loopback request goes to: it answers 502 and nothing leaves the machine. */
async function startSink(): Promise<{ port: number; close(): void }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.once('data', () => socket.end('HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\nconnection: close\r\n\r\n'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close() {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}
