/** SigV4 scope for one API. */
export interface SigningInfo {
  service: string;
  region: string;
}

// Amplify v6 api-rest utils/parseSigningInfo.ts: an AWS default host (`<id>.execute-api.<region>.amazonaws.com`,
// or AppSync's `appsync-api`) names service and region, and the URL's region wins over config.
// Any other host (custom domain, localhost) uses `API.REST[apiName].service/region`, defaulting to
// `execute-api` / `us-east-1`. Amplify's pattern is unanchored at the end; ours is anchored so a
// lookalike host cannot pick the signing scope.
const AWS_HOST = /^.+\.([a-z0-9-]+)\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

export function resolveSigningInfo(url: URL, region = 'us-east-1', service = 'execute-api'): SigningInfo {
  const [, hostService, hostRegion] = AWS_HOST.exec(url.hostname) ?? [];
  if (hostService === 'execute-api') return { service: hostService, region: hostRegion };
  if (hostService === 'appsync-api') return { service: 'appsync', region: hostRegion };
  return { service, region };
}
