import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '@carrier-api/mock';
import { CarrierApiError, expectData } from '@carrier-api/runtime';
import { createPackagesClient, type PackagesClient } from '../src/index.js';

let mock: RunningMock;
let client: PackagesClient;
let once: PackagesClient;

beforeAll(async () => {
  mock = await startMock({ apis: ['centili-packages'] });
  const auth = { clientId: 'merchant-app', username: 'merchant', password: 's3cret', tokenUrl: mock.tokenUrl('centili-packages') };
  client = createPackagesClient({ baseUrl: mock.urls['centili-packages'], auth });
  once = createPackagesClient({ baseUrl: mock.urls['centili-packages'], auth, retry: false });
});
afterAll(() => mock.close());

const serviceKey = 'f31a355df6dad07e49ba474db7ff9b07';

describe('createPackagesClient against the Prism mock', () => {
  it('getCountryPackages returns the documented operators', async () => {
    const operators = await expectData(client.GET('/payments/v3/services/packages', { params: { query: { serviceKey, country: 'es' } } }));
    expect(operators.map((operator) => operator.operatorCode)).toEqual(['RS_TELENOR', 'RS_VIP', 'RS_MTS']);
    expect(operators[0]!.packages![0]).toEqual({ localPayout: 42.5, unit: 'item', amount: 1, price: 0.41, payout: 0.35, localPrice: 50, flow: 'PIN' });
  });

  it('getSubscriberPackages', async () => {
    const packages = await expectData(client.GET('/payments/v3/services/packages/subscribers', { params: { query: { serviceKey, msisdn: '4477781234567' } } }));
    expect(packages).toMatchObject({ msisdn: '381644150105', operatorName: 'm:ts Serbia' });
    expect(packages.packages).toHaveLength(4);
  });

  it('the documented 404 example', async () => {
    const { error, response } = await once.GET('/payments/v3/services/packages', { params: { query: { serviceKey, country: 'es' } }, headers: { Prefer: 'code=404' } });
    expect(response.status).toBe(404);
    expect(error).toEqual({ code: 'NOT_FOUND', message: 'Packages not found' });
  });

  it('a country that is no ISO 3166-1 alpha-2 code gets the documented 400', async () => {
    const error = await expectData(once.GET('/payments/v3/services/packages', { params: { query: { serviceKey, country: 'ESP' } } })).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, operationId: 'getCountryPackages', body: { code: 'BAD_REQUEST' } });
  });

  const errorCases: { operationId: string; status: number; call: (prefer: string) => Promise<{ response: Response; data?: unknown; error?: unknown }> }[] = [400, 401, 404, 500].flatMap((status) => [
    { operationId: 'getCountryPackages', status, call: (prefer: string) => once.GET('/payments/v3/services/packages', { params: { query: { serviceKey, country: 'es' } }, headers: { Prefer: prefer } }) },
    { operationId: 'getSubscriberPackages', status, call: (prefer: string) => once.GET('/payments/v3/services/packages/subscribers', { params: { query: { serviceKey, msisdn: '4477781234567' } }, headers: { Prefer: prefer } }) },
  ]);
  it.each(errorCases)('$operationId answers $status with the {code, message} body', async ({ operationId, status, call }) => {
    const error = await expectData(call(`code=${status}`)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CarrierApiError);
    expect(error).toMatchObject({ status, operationId, body: { code: expect.any(String), message: expect.any(String) } });
  });
});
