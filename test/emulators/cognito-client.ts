// Cognito through the emulators' proxy, from Node, the way Amplify's clients call it: sign-in with
// USER_PASSWORD_AUTH and identity-pool credentials (guest, or for a signed-in user's id token).
// Shared by the emulator test files.
import { expect } from 'vitest';

export type Creds = { identityId: string; accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: number };
export type Tokens = { AccessToken: string; IdToken: string; RefreshToken: string; ExpiresIn: number; TokenType: string };
export type CognitoConfig = { endpoint: string; region: string; userPoolId: string; userPoolClientId: string; identityPoolId: string };

export function cognitoClient(config: CognitoConfig) {
  /** An unsigned AWS JSON call through the proxy, the way Amplify's Cognito clients make it. */
  async function cognito(target: string, body: object, headers: Record<string, string> = {}) {
    const res = await fetch(config.endpoint + '/', {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target, ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as any };
  }

  async function signIn(username: string, password: string): Promise<Tokens> {
    const r = await cognito('AWSCognitoIdentityProviderService.InitiateAuth', {
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: config.userPoolClientId,
      AuthParameters: { USERNAME: username, PASSWORD: password },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.AuthenticationResult;
  }

  async function identityCreds(idToken?: string): Promise<Creds> {
    const Logins = idToken ? { [`cognito-idp.${config.region}.amazonaws.com/${config.userPoolId}`]: idToken } : undefined;
    const id = await cognito('AWSCognitoIdentityService.GetId', { IdentityPoolId: config.identityPoolId, Logins });
    expect(id.status, JSON.stringify(id.body)).toBe(200);
    const c = await cognito('AWSCognitoIdentityService.GetCredentialsForIdentity', { IdentityId: id.body.IdentityId, Logins });
    expect(c.status, JSON.stringify(c.body)).toBe(200);
    const k = c.body.Credentials;
    return { identityId: c.body.IdentityId, accessKeyId: k.AccessKeyId, secretAccessKey: k.SecretKey, sessionToken: k.SessionToken, expiration: k.Expiration };
  }

  /** The first two users' pool tokens, and identity-pool credentials for the guest and the first user. */
  async function sessions(users: { username: string; password: string }[]) {
    const [a, b] = users;
    const aliceTokens = await signIn(a.username, a.password);
    const bobTokens = await signIn(b.username, b.password);
    return { aliceTokens, bobTokens, guest: await identityCreds(), alice: await identityCreds(aliceTokens.IdToken) };
  }

  return { cognito, signIn, identityCreds, sessions };
}
