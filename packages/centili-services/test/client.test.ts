import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '@carrier-api/mock';
import { CarrierApiError, expectData } from '@carrier-api/runtime';
import { createServicesClient, type ServicesClient } from '../src/index.js';

let mock: RunningMock;
let client: ServicesClient;
let once: ServicesClient;

beforeAll(async () => {
  mock = await startMock({ apis: ['centili-services'] });
  const auth = { clientId: 'merchant-app', username: 'merchant', password: 's3cret', tokenUrl: mock.tokenUrl('centili-services') };
  client = createServicesClient({ baseUrl: mock.urls['centili-services'], auth });
  once = createServicesClient({ baseUrl: mock.urls['centili-services'], auth, retry: false });
});
afterAll(() => mock.close());

const serviceKey = '0fc073fbcba49xzc9155dd57a08454b2';

describe('createServicesClient against the Prism mock', () => {
  it('searchServices with the documented request', async () => {
    const services = await expectData(client.POST('/v1/services', { body: { serviceKey: '2ea0e6c989b433d6c591633f91c67e07', optInTrid: '4970484531', msisdn: '66876696573' } }));
    expect(services).toMatchObject({ name: 'Games Unlimited', contentType: 'Adult content', timeCreated: '2017-08-07 12:44:19' });
  });

  it('searchCountries with a {gt, lt} date range', async () => {
    const countries = await expectData(
      client.POST('/v1/services/{serviceKey}/countries', {
        params: { path: { serviceKey } },
        body: { active: '', approvalStatus: '', countryCode: '', timeLaunched: { gt: '2017-09-07 15:17:12', lt: '2017-09-07 19:17:12' } },
      }),
    );
    expect(countries).toMatchObject({ countryCode: 'pt', countryName: 'Portugal', approvalStatus: 'APPROVED' });
  });

  it('searchPackages with a {gt, lt} price range', async () => {
    const packages = await expectData(client.POST('/v1/services/{serviceKey}/{countryCode}/packages', { params: { path: { serviceKey, countryCode: 'pt' } }, body: { price: { gt: '5.00', lt: '5.00' } } }));
    expect(packages).toEqual({ amount: '1', currency: 'EUR', paymentType: 'mobile', price: '5.00', unit: 'token' });
  });

  it('a date outside yyyy-MM-dd HH:mm:ss gets the documented 400', async () => {
    const error = await expectData(once.POST('/v1/services', { body: { timeCreated: { gt: '2017-08-07T12:44:19Z' } } })).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, operationId: 'searchServices' });
  });

  const errorCases: { operationId: string; status: number; call: (prefer: string) => Promise<{ response: Response; data?: unknown; error?: unknown }> }[] = [400, 401, 500].flatMap((status) => [
    { operationId: 'searchServices', status, call: (prefer: string) => once.POST('/v1/services', { body: {}, headers: { Prefer: prefer } }) },
    { operationId: 'searchCountries', status, call: (prefer: string) => once.POST('/v1/services/{serviceKey}/countries', { params: { path: { serviceKey } }, body: {}, headers: { Prefer: prefer } }) },
    { operationId: 'searchPackages', status, call: (prefer: string) => once.POST('/v1/services/{serviceKey}/{countryCode}/packages', { params: { path: { serviceKey, countryCode: 'pt' } }, body: {}, headers: { Prefer: prefer } }) },
  ]);
  it.each(errorCases)('$operationId answers $status with the {code, message} body', async ({ operationId, status, call }) => {
    const error = await expectData(call(`code=${status}`)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CarrierApiError);
    expect(error).toMatchObject({ status, operationId, body: { code: expect.any(String), message: expect.any(String) } });
  });
});
