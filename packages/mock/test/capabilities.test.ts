import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundledSpec } from '@carrier-api/specs';
import { startMock, type MockCapabilities, type RunningMock } from '../src/index.js';
import { apiNames, send } from './support/requests.js';

/**
 * `GET /__admin/capabilities`: what each server says it checks and keeps, for every API found in
 * the specs, plain and sandboxed. The contract tests skip what a server says it does not keep.
 */
type Operation = { operationId?: string; 'x-behaviour'?: unknown };
const specOf = (api: string) => loadBundledSpec(api) as { components?: { securitySchemes?: Record<string, unknown> }; paths: Record<string, Record<string, Operation>> };
const schemeNames = (api: string) => Object.keys(specOf(api).components?.securitySchemes ?? {}).sort();
const operationsOf = (api: string) => Object.values(specOf(api).paths).flatMap((item) => Object.values(item).filter((operation): operation is Operation => typeof operation === 'object' && operation !== null && 'responses' in operation));

describe.each([
  { mode: 'mock' as const, sandbox: false },
  { mode: 'sandbox' as const, sandbox: true },
])('GET /__admin/capabilities, $mode', ({ mode, sandbox }) => {
  let mock: RunningMock;
  beforeAll(async () => {
    mock = await startMock({ sandbox });
  });
  afterAll(() => mock?.close());

  it.each(apiNames)('%s says which credentials, behaviour and Idempotency-Key promises it keeps', async (api) => {
    const response = await send(mock.urls[api]!, { method: 'GET', path: '/__admin/capabilities', headers: {} });
    expect(response.status).toBe(200);
    const capabilities = response.json as MockCapabilities;
    expect(capabilities).toMatchObject({ server: 'carrier-mock', mode, api });
    expect(Object.keys(capabilities.credentials).sort()).toEqual(schemeNames(api));
    if (mode === 'mock') {
      expect(Object.values(capabilities.credentials).every((check) => check === 'presence')).toBe(true);
      expect(capabilities).toMatchObject({ behaviour: [], idempotency: false });
      return;
    }
    // Every operation whose spec states a behaviour is one the sandbox keeps.
    const stated = operationsOf(api).filter((operation) => operation['x-behaviour']).map((operation) => operation.operationId);
    expect(capabilities.behaviour.sort()).toEqual(stated.sort());
    const declaresKey = JSON.stringify(specOf(api)).includes('"name":"Idempotency-Key"');
    expect(capabilities.idempotency).toBe(declaresKey);
  });
});

it('tells a sandbox that takes any X-API-Key from one that takes only the listed keys', async () => {
  const any = await startMock({ apis: ['mtn-ng-data-gifting'], sandbox: true });
  const listed = await startMock({ apis: ['mtn-ng-data-gifting'], sandbox: { apiKeys: ['k1'] } });
  try {
    const read = async (mock: RunningMock) => (await send(mock.urls['mtn-ng-data-gifting']!, { method: 'GET', path: '/__admin/capabilities', headers: {} })).json as MockCapabilities;
    expect(Object.values((await read(any)).credentials)).toEqual(['any']);
    expect(Object.values((await read(listed)).credentials)).toEqual(['listed']);
  } finally {
    await Promise.all([any.close(), listed.close()]);
  }
});
