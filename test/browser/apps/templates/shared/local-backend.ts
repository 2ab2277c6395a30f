// This app's backend is the tests' local emulators (moto's Cognito behind a proxy), not AWS.
// amplify_outputs.json has no field for a Cognito endpoint (Amplify's parseAmplifyOutputs reads
// none), so whenever the app configures Amplify, this adds `userPoolEndpoint` and
// `identityPoolEndpoint` (ResourcesConfig fields Amplify does honour) and configures it again.
// Amplify announces each configure() on the Hub's 'core' channel, synchronously, before
// configure() returns, so the app's next line already sees the endpoints. Nothing else changes.
import { Amplify, type ResourcesConfig } from 'aws-amplify';
import { Hub } from 'aws-amplify/utils';
import backend from '../local-backend.json';

Hub.listen('core', ({ payload }) => {
  if (payload.event !== 'configure') return;
  const config = Amplify.getConfig();
  const cognito = config.Auth?.Cognito;
  if (!cognito || cognito.userPoolEndpoint === backend.cognitoEndpoint) return;
  const Cognito = { ...cognito, userPoolEndpoint: backend.cognitoEndpoint, identityPoolEndpoint: backend.cognitoEndpoint };
  Amplify.configure({ ...config, Auth: { ...config.Auth, Cognito } } as ResourcesConfig);
});
