// How an existing Amplify app is configured, pointed at the local emulators. Shared by the demo
// page and the browser tests' harness page, so both run the app the README describes.
import { Amplify } from 'aws-amplify';
import { fetchAuthSession } from 'aws-amplify/auth';

export interface EmulatorConfig {
  cognito: { endpoint: string; region: string; userPoolId: string; userPoolClientId: string; identityPoolId: string; users: { username: string; password: string }[] };
  api: { endpoint: string; region: string; apiKey: string; customTokens: Record<string, string>; controlUrl: string };
}

/** One API per authorization mode of Amplify's "Define authorization rules", each on its emulator route. */
export const ROUTES = {
  iam: 'iam',
  iamAuth: 'iam-auth',
  apikey: 'apikey',
  iamApikey: 'iam-apikey',
  idtoken: 'idtoken',
  accesstoken: 'accesstoken',
  custom: 'custom',
  open: 'open',
} as const;
export type DemoApi = keyof typeof ROUTES;

export async function loadEmulatorConfig(): Promise<EmulatorConfig> {
  const response = await fetch('/emulators.json');
  if (!response.ok) throw new Error(`/emulators.json: ${response.status}`);
  return response.json();
}

export function demoApis(config: EmulatorConfig): Record<DemoApi, { endpoint: string; region: string }> {
  return Object.fromEntries(Object.entries(ROUTES).map(([name, route]) => [name, { endpoint: `${config.api.endpoint}/${route}`, region: config.api.region }])) as Record<DemoApi, { endpoint: string; region: string }>;
}

/** The app's `API.REST.headers`: Amplify calls it with `{ apiName }` only. */
export function demoHeaders(config: EmulatorConfig) {
  return async ({ apiName }: { apiName: string }): Promise<Record<string, string>> => {
    switch (apiName as DemoApi) {
      case 'apikey':
      case 'iamApikey':
        return { 'X-Api-Key': config.api.apiKey };
      case 'idtoken': {
        const token = (await fetchAuthSession()).tokens?.idToken;
        return token ? { Authorization: token.toString() } : {};
      }
      case 'accesstoken': {
        const token = (await fetchAuthSession()).tokens?.accessToken;
        return token ? { Authorization: token.toString() } : {};
      }
      case 'custom':
        return { Authorization: Object.keys(config.api.customTokens)[0] };
      default:
        return {};
    }
  };
}

export function configureAmplify(config: EmulatorConfig): void {
  const { cognito } = config;
  Amplify.configure(
    {
      Auth: {
        Cognito: {
          userPoolId: cognito.userPoolId,
          userPoolClientId: cognito.userPoolClientId,
          identityPoolId: cognito.identityPoolId,
          allowGuestAccess: true,
          userPoolEndpoint: cognito.endpoint,
          identityPoolEndpoint: cognito.endpoint,
        },
      },
      API: { REST: demoApis(config) },
    },
    { API: { REST: { headers: demoHeaders(config) } } },
  );
}
