// Runs moto_server (Cognito user pools + identity pools) as a loopback child process.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from './loopback.mjs';

export const MOTO_MISSING =
  "moto_server not found on PATH: install moto[server] 5.2.1 (pip install 'moto[server]==5.2.1')";

/** @param {string} name @returns {string | undefined} */
function findOnPath(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {}
  }
  return undefined;
}

/** Process groups of every moto we started, killed when this process goes away. */
const live = new Set();
let hooked = false;

/** @param {number} pid */
function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {}
}

function hookExit() {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => live.forEach(killGroup));
  for (const sig of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
    const onSignal = () => {
      live.forEach(killGroup);
      live.clear();
      process.off(sig, onSignal);
      // Nobody else handles it: restore the default (die by the signal).
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
    };
    process.on(sig, onSignal);
  }
}

/**
 * Start moto_server on a free 127.0.0.1 port and wait until it answers.
 * @param {{ quiet?: boolean, timeoutMs?: number }} [opts]
 * @returns {Promise<{ url: string, port: number, pid: number, stop: () => Promise<void>, output: () => string }>}
 */
export async function startMoto({ quiet = true, timeoutMs = 30000 } = {}) {
  const bin = findOnPath('moto_server');
  if (!bin) throw new Error(MOTO_MISSING);
  hookExit();
  const port = await freePort();
  // A sh wrapper: a watcher reads our stdin pipe, so when this Node process dies
  // in any way (even SIGKILL) the pipe closes, `cat` returns and moto is killed.
  // sh itself waits for moto, so a moto that dies at startup is seen at once.
  // (fd 3 because a background list's stdin would otherwise be /dev/null.)
  // detached makes sh a process-group leader so stop() can kill the whole group.
  const script =
    `exec 3<&0; "$0" -H 127.0.0.1 -p ${port} </dev/null 3<&- & m=$!; ` +
    `(cat >/dev/null; kill $m 2>/dev/null) <&3 & exec 3<&-; wait $m`;
  const child = spawn('sh', ['-c', script, bin], {
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const pid = /** @type {number} */ (child.pid);
  live.add(pid);
  // Keep the last output for error messages; werkzeug logs each request, so always drain.
  let tail = '';
  const keep = (/** @type {Buffer} */ chunk) => {
    tail = (tail + chunk.toString()).slice(-8000);
    if (!quiet) process.stderr.write(chunk);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  // Do not keep the event loop alive because of moto.
  child.unref();
  /** @type {any} */ (child.stdout).unref?.();
  /** @type {any} */ (child.stderr).unref?.();
  /** @type {any} */ (child.stdin).unref?.();
  child.stdin.on('error', () => {});

  let exited = false;
  const exitedPromise = new Promise((resolve) => child.once('exit', () => {
    exited = true;
    live.delete(pid);
    resolve(undefined);
  }));

  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (exited) return;
    killGroup(pid);
    const timer = setTimeout(() => { try { process.kill(-pid, 'SIGKILL'); } catch {} }, 3000);
    await exitedPromise;
    // sh dies at once; moto itself may take a moment. Return once its port is closed.
    for (let i = 0; i < 30; i++) {
      try {
        await fetch(`${url}/moto-api/`, { signal: AbortSignal.timeout(500) }).then((r) => r.arrayBuffer());
      } catch {
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    clearTimeout(timer);
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) {
      killGroup(pid); // the stdin watcher
      throw new Error(`moto_server exited during startup:\n${tail}`);
    }
    try {
      // Any HTTP answer means werkzeug is serving.
      const res = await fetch(`${url}/moto-api/`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      break;
    } catch {}
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`moto_server did not answer on ${url} within ${timeoutMs} ms:\n${tail}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, port, pid, stop, output: () => tail };
}

/**
 * One AWS JSON 1.1 call to moto. The dummy SigV4 Authorization is there only
 * because moto reads the region (and service) from its credential scope.
 * @param {string} motoUrl
 * @param {'cognito-idp' | 'cognito-identity'} service
 * @param {string} target full X-Amz-Target, e.g. 'AWSCognitoIdentityProviderService.InitiateAuth'
 * @param {object} body
 * @returns {Promise<{ status: number, body: any }>}
 */
export async function motoCall(motoUrl, service, target, body) {
  const res = await fetch(`${motoUrl}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': target,
      authorization: `AWS4-HMAC-SHA256 Credential=test/20200101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    json = { __type: 'NonJsonResponse', message: text.slice(0, 500) };
  }
  return { status: res.status, body: json };
}

/** @param {Awaited<ReturnType<typeof motoCall>>} r @param {string} what */
function must(r, what) {
  if (r.status !== 200) throw new Error(`moto ${what} failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

export const DEMO_USERS = [
  { username: 'alice', password: 'Passw0rd!alice', email: 'alice@example.com' },
  { username: 'bob', password: 'Passw0rd!bob', email: 'bob@example.com' },
];

/**
 * Create the demo user pool, app client, users and identity pool on moto.
 * @param {string} motoUrl
 * @returns {Promise<{ region: string, userPoolId: string, userPoolClientId: string, identityPoolId: string, users: { username: string, password: string, email: string }[] }>}
 */
export async function setupCognito(motoUrl) {
  const idp = (/** @type {string} */ op, /** @type {object} */ body) =>
    motoCall(motoUrl, 'cognito-idp', `AWSCognitoIdentityProviderService.${op}`, body).then((r) => must(r, op));
  const identity = (/** @type {string} */ op, /** @type {object} */ body) =>
    motoCall(motoUrl, 'cognito-identity', `AWSCognitoIdentityService.${op}`, body).then((r) => must(r, op));

  const pool = await idp('CreateUserPool', {
    PoolName: 'amplify-sw-auth-demo',
    UsernameAttributes: [],
    AutoVerifiedAttributes: ['email'],
  });
  const userPoolId = pool.UserPool.Id;
  const client = await idp('CreateUserPoolClient', {
    UserPoolId: userPoolId,
    ClientName: 'amplify-sw-auth-demo-web',
    GenerateSecret: false,
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  });
  const userPoolClientId = client.UserPoolClient.ClientId;
  for (const u of DEMO_USERS) {
    await idp('AdminCreateUser', {
      UserPoolId: userPoolId,
      Username: u.username,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: u.email },
        { Name: 'email_verified', Value: 'true' },
      ],
    });
    // Permanent: otherwise sign-in answers with a NEW_PASSWORD_REQUIRED challenge.
    await idp('AdminSetUserPassword', {
      UserPoolId: userPoolId,
      Username: u.username,
      Password: u.password,
      Permanent: true,
    });
  }
  const ip = await identity('CreateIdentityPool', {
    IdentityPoolName: 'amplify_sw_auth_demo',
    AllowUnauthenticatedIdentities: true,
    CognitoIdentityProviders: [
      {
        ProviderName: `cognito-idp.us-east-1.amazonaws.com/${userPoolId}`,
        ClientId: userPoolClientId,
        ServerSideTokenCheck: false,
      },
    ],
  });
  return {
    region: 'us-east-1',
    userPoolId,
    userPoolClientId,
    identityPoolId: ip.IdentityPoolId,
    users: DEMO_USERS.map((u) => ({ ...u })),
  };
}
