import { describe, expect, it } from 'vitest';
import { resolveSigningInfo } from '../../sw/signing-info';

describe('resolveSigningInfo (api-rest parseSigningInfo)', () => {
  it.each([
    ['API Gateway host names the region, which wins over config', 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod', 'us-east-1', undefined, { service: 'execute-api', region: 'eu-west-1' }],
    ['China partition', 'https://abc.execute-api.cn-north-1.amazonaws.com.cn/prod', undefined, undefined, { service: 'execute-api', region: 'cn-north-1' }],
    ['AppSync host', 'https://abc.appsync-api.ap-south-1.amazonaws.com/graphql', undefined, undefined, { service: 'appsync', region: 'ap-south-1' }],
    ['custom domain uses config', 'https://api.example.com/v1', 'eu-central-1', 'lambda', { service: 'lambda', region: 'eu-central-1' }],
    ['custom domain defaults', 'https://api.example.com/v1', undefined, undefined, { service: 'execute-api', region: 'us-east-1' }],
    ['localhost uses config', 'http://localhost:3000/prod', 'us-west-2', undefined, { service: 'execute-api', region: 'us-west-2' }],
    ['lookalike AWS host does not pick the scope', 'https://abc.execute-api.eu-west-1.amazonaws.com.evil.test/prod', 'us-east-1', undefined, { service: 'execute-api', region: 'us-east-1' }],
    ['other AWS service host uses config', 'https://abc.lambda-url.us-west-2.on.aws/', 'us-east-2', undefined, { service: 'execute-api', region: 'us-east-2' }],
  ])('%s', (_, url, region, service, expected) => {
    expect(resolveSigningInfo(new URL(url), region, service)).toEqual(expected);
  });
});
