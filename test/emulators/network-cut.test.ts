// The server-side network cut (demo/emulators/network-switch.mjs): each side fails every
// non-control request as a network error while down, preflights included, and serves again once up.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
// @ts-ignore plain .mjs without type declarations (no allowJs here)
import { startEmulators } from '../../demo/emulators/index.mjs';

type Emu = { cognito: { endpoint: string; identityPoolId: string }; api: { endpoint: string; controlUrl: string }; stop: () => Promise<void> };
let emu: Emu;

const network = async (patch?: unknown) => {
  const res = await fetch(`${emu.api.controlUrl}/network`, patch !== undefined ? { method: 'POST', body: JSON.stringify(patch) } : undefined);
  return { status: res.status, body: (await res.json()) as any };
};
/** 'network-error' when the socket was destroyed, else the HTTP status. */
const outcome = (p: Promise<Response>) => p.then((r) => r.status, (e: Error) => (e instanceof TypeError ? 'network-error' : e.message));
const apiGet = () => outcome(fetch(`${emu.api.endpoint}/open/x`));
const apiPreflight = () => outcome(fetch(`${emu.api.endpoint}/iam/x`, {
  method: 'OPTIONS', headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'GET' },
}));
const cognitoGetId = () => outcome(fetch(`${emu.cognito.endpoint}/`, {
  method: 'POST',
  headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityService.GetId' },
  body: JSON.stringify({ IdentityPoolId: emu.cognito.identityPoolId }),
}));
const cognitoPreflight = () => outcome(fetch(`${emu.cognito.endpoint}/`, {
  method: 'OPTIONS', headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
}));

beforeAll(async () => {
  emu = await startEmulators();
}, 60_000);
afterEach(async () => {
  await network({ api: 'up', cognito: 'up' });
});
afterAll(async () => {
  await emu?.stop();
});

describe('network cut', () => {
  it('starts up on both sides with nothing refused', async () => {
    expect(await network()).toEqual({ status: 200, body: { api: 'up', cognito: 'up', refused: { api: 0, cognito: 0 } } });
    expect([await apiGet(), await apiPreflight(), await cognitoGetId(), await cognitoPreflight()]).toEqual([200, 204, 200, 204]);
  });

  it('api down: API requests and preflights fail as network errors, Cognito still answers, control still works', async () => {
    const before = (await network()).body.refused;
    expect(await network({ api: 'down' })).toMatchObject({ status: 200, body: { api: 'down', cognito: 'up' } });
    expect([await apiGet(), await apiPreflight()]).toEqual(['network-error', 'network-error']);
    expect([await cognitoGetId(), await cognitoPreflight()]).toEqual([200, 204]);
    // Clients may retry a request whose connection dropped, so count at least what we sent.
    const { body } = await network();
    expect(body.refused.api - before.api).toBeGreaterThanOrEqual(2);
    expect(body.refused.cognito).toBe(before.cognito);
    expect((await fetch(`${emu.api.controlUrl}/state`)).status).toBe(200);

    expect(await network({ api: 'up' })).toMatchObject({ status: 200, body: { api: 'up', cognito: 'up' } });
    expect([await apiGet(), await apiPreflight()]).toEqual([200, 204]);
  });

  it('cognito down: Cognito requests and preflights fail as network errors, the API still answers', async () => {
    const before = (await network()).body.refused;
    expect(await network({ cognito: 'down' })).toMatchObject({ status: 200, body: { api: 'up', cognito: 'down' } });
    expect([await cognitoGetId(), await cognitoPreflight()]).toEqual(['network-error', 'network-error']);
    expect([await apiGet(), await apiPreflight()]).toEqual([200, 204]);
    const { body } = await network();
    expect(body.refused.cognito - before.cognito).toBeGreaterThanOrEqual(2);
    expect(body.refused.api).toBe(before.api);

    expect(await network({ cognito: 'up' })).toMatchObject({ status: 200, body: { cognito: 'up' } });
    expect([await cognitoGetId(), await cognitoPreflight()]).toEqual([200, 204]);
  });

  it('a refused request is in the log as cut, and does not count as a request that reached the API', async () => {
    await fetch(`${emu.api.controlUrl}/log`, { method: 'DELETE' });
    const count = ((await (await fetch(`${emu.api.controlUrl}/state`)).json()) as any).requestCount;
    await network({ api: 'down' });
    expect(await outcome(fetch(`${emu.api.endpoint}/open/cut-me`))).toBe('network-error');
    await network({ api: 'up' });
    expect(await outcome(fetch(`${emu.api.endpoint}/open/served`))).toBe(200);
    const log = ((await (await fetch(`${emu.api.controlUrl}/log`)).json()) as any).entries as any[];
    const cut = log.filter((e) => e.path === '/prod/open/cut-me');
    expect(cut.length).toBeGreaterThanOrEqual(1);
    expect(cut.every((e) => e.cut === true && e.status === 0)).toBe(true);
    expect(log.filter((e) => e.path === '/prod/open/served')).toMatchObject([{ status: 200 }]);
    expect(log.find((e) => e.path === '/prod/open/served').cut).toBeUndefined();
    expect(((await (await fetch(`${emu.api.controlUrl}/state`)).json()) as any).requestCount).toBe(count + 1);
  });

  it('a bad patch is refused as a whole and changes nothing', async () => {
    for (const bad of [{ api: 'off' }, { api: 'down', dns: 'down' }, ['down'], 'down']) {
      const r = await network(bad);
      expect(r.status, JSON.stringify(bad)).toBe(400);
    }
    expect((await network()).body).toMatchObject({ api: 'up', cognito: 'up' });
    expect(await apiGet()).toBe(200);
  });
});
