import { describe, expect, it } from 'vitest';
import { compileApis } from '../../sw/compile-apis';
import { MutationQueue } from '../../sw/offline/mutation-queue';
import { offlineSettings } from '../../sw/offline/offline-settings';

const apis = compileApis({ orders: { endpoint: 'https://api.example.com/prod' }, GraphQL: { endpoint: 'https://abc.appsync-api.us-east-1.amazonaws.com/graphql', kind: 'graphql' } });
const [orders, graphql] = [apis.find((a) => a.apiName === 'orders')!, apis.find((a) => a.apiName === 'GraphQL')!];
const queue = (apiList?: string[]) => {
  const settings = offlineSettings({ queue: apiList ? { apis: apiList } : true }, ['orders', 'GraphQL']).queue;
  return new MutationQueue({ scope: '/', settings: () => settings, emit: () => undefined, reportAuthError: () => undefined, queued: () => undefined });
};

describe('which requests the offline queue takes', () => {
  it('REST mutations of every API by default, but a GraphQL API only when queue.apis names it (its queries are POSTs too)', () => {
    expect(queue().covers(orders, 'POST')).toBe(true);
    expect(queue().covers(orders, 'GET')).toBe(false);
    expect(queue().covers(graphql, 'POST')).toBe(false);
    expect(queue(['GraphQL']).covers(graphql, 'POST')).toBe(true);
    expect(queue(['GraphQL']).covers(orders, 'POST')).toBe(false);
  });
});
