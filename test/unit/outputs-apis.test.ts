import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileApis } from '../../sw/compile-apis';
import { matchApi } from '../../sw/match-api';
import { restApisFromOutputs } from '../../src/outputs-apis';

// The shape `npx ampx sandbox` writes after backend.addOutput({ custom: { API } }) (Amplify Gen2 docs, "Set up a REST API").
const outputs = JSON.parse(readFileSync(resolve(import.meta.dirname, '../fixtures/gen2/amplify_outputs.json'), 'utf8'));

describe('restApisFromOutputs', () => {
  it('reads custom.API by name, keeping the endpoint (stage and trailing slash) and region', () => {
    expect(restApisFromOutputs(outputs)).toEqual({ myRestApi: { endpoint: 'https://a1b2c3d4e5.execute-api.us-west-2.amazonaws.com/prod/', region: 'us-west-2' } });
  });

  it('gives the worker an API that owns the stage, with or without the slash Amplify doubles (endpoint + "/items")', () => {
    const apis = compileApis(restApisFromOutputs(outputs));
    const host = 'https://a1b2c3d4e5.execute-api.us-west-2.amazonaws.com';
    for (const path of ['/prod/items', '/prod//items', '/prod', '/prod/']) expect(matchApi(new URL(host + path), apis)?.apiName, path).toBe('myRestApi');
    for (const path of ['/production/items', '/items', '/prod%2fitems']) expect(matchApi(new URL(host + path), apis), path).toBeUndefined();
    expect(apis[0].signing).toMatchObject({ service: 'execute-api', region: 'us-west-2' });
  });

  it('names the fix when custom.API is missing or malformed', () => {
    const { custom: _custom, ...withoutCustom } = outputs;
    expect(() => restApisFromOutputs(withoutCustom)).toThrow(/neither custom\.API nor data.*backend\.addOutput/);
    // A GraphQL-only backend (data, no custom.API) adds no REST API, and is fine.
    expect(restApisFromOutputs({ ...withoutCustom, data: { url: 'https://abc.appsync-api.us-west-2.amazonaws.com/graphql', aws_region: 'us-west-2' } })).toEqual({});
    expect(() => restApisFromOutputs({ custom: { API: { a: { region: 'x' } } } })).toThrow(/custom\.API\.a` has no `endpoint`/);
    expect(() => restApisFromOutputs({ custom: { API: [] } })).toThrow(/must be an object/);
    for (const bad of [null, 'amplify_outputs.json', [outputs]]) expect(() => restApisFromOutputs(bad)).toThrow(/parsed amplify_outputs\.json/);
  });
});
