import { describe, expect, it } from 'vitest';
import { graphqlApiFromConfig, graphqlApiFromOutputs } from '../../src/graphql-api';

describe('the GraphQL API of Amplify\'s config or Gen2 outputs', () => {
  it('reads a Gen2 data section as Amplify.configure() does (parseAmplifyOutputs: default_authorization_type to the mode)', () => {
    const outputs = { version: '1.4', data: { url: 'https://abc.appsync-api.us-west-2.amazonaws.com/graphql', aws_region: 'us-west-2', default_authorization_type: 'AMAZON_COGNITO_USER_POOLS', api_key: 'da2-key', authorization_types: ['API_KEY', 'AWS_IAM'] } };
    expect(graphqlApiFromOutputs(outputs)).toEqual({ config: { endpoint: 'https://abc.appsync-api.us-west-2.amazonaws.com/graphql', region: 'us-west-2', kind: 'graphql', defaultAuthMode: 'userPool' }, apiKey: 'da2-key' });
    for (const [type, mode] of [['AWS_IAM', 'iam'], ['API_KEY', 'apiKey'], ['AWS_LAMBDA', 'lambda'], ['OPENID_CONNECT', 'oidc']]) {
      expect(graphqlApiFromOutputs({ data: { ...outputs.data, default_authorization_type: type } })?.config.defaultAuthMode).toBe(mode);
    }
    expect(graphqlApiFromOutputs({ custom: {} })).toBeUndefined();
  });

  it('takes API.GraphQL, with Amplify\'s default mode iam; a customEndpoint only with its region, signed as execute-api', () => {
    expect(graphqlApiFromConfig({ endpoint: 'https://x.example/graphql', region: 'eu-west-1' })).toEqual({ config: { endpoint: 'https://x.example/graphql', region: 'eu-west-1', kind: 'graphql', defaultAuthMode: 'iam' } });
    expect(graphqlApiFromConfig({ endpoint: 'https://x.example/graphql', customEndpoint: 'https://api.example.com/graphql', customEndpointRegion: 'eu-west-1', defaultAuthMode: 'userPool' })?.config).toEqual({ endpoint: 'https://api.example.com/graphql', region: 'eu-west-1', service: 'execute-api', kind: 'graphql', defaultAuthMode: 'userPool' });
    // Amplify adds no auth to a custom endpoint without a region: neither does the worker, which leaves it alone.
    expect(graphqlApiFromConfig({ endpoint: 'https://x.example/graphql', customEndpoint: 'https://api.example.com/graphql' })).toBeUndefined();
    expect(graphqlApiFromConfig(undefined)).toBeUndefined();
    expect(graphqlApiFromConfig({ region: 'eu-west-1' })).toBeUndefined();
  });
});
