import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '@carrier-api/mock';
import { CarrierApiError } from '@carrier-api/runtime';
import { createServicesSdk, type ServicesApi } from '../src/index.js';

let mock: RunningMock;
let sdk: ServicesApi;
let once: ServicesApi;
const prefer = (code: number) => async ({ init }: { init: RequestInit }) => ({ ...init, headers: { ...init.headers, Prefer: `code=${code}` } });

beforeAll(async () => {
  mock = await startMock({ apis: ['centili-services'] });
  const auth = { clientId: 'merchant-app', username: 'merchant', password: 's3cret', tokenUrl: mock.tokenUrl('centili-services') };
  sdk = createServicesSdk({ baseUrl: mock.urls['centili-services'], auth });
  once = createServicesSdk({ baseUrl: mock.urls['centili-services'], auth, retry: false });
});
afterAll(() => mock.close());

const serviceKey = '0fc073fbcba49xzc9155dd57a08454b2';

describe('createServicesSdk against the Prism mock', () => {
  it('searchServices', async () => {
    expect(await sdk.searchServices({ serviceFilter: { serviceKey: '2ea0e6c989b433d6c591633f91c67e07', optInTrid: '4970484531', msisdn: '66876696573' } })).toMatchObject({ merchant: 'Go4Mobile' });
  });
  it('searchCountries with a date range', async () => {
    const countries = await sdk.searchCountries({ serviceKey, countryFilter: { timeLaunched: { gt: '2017-09-07 15:17:12', lt: '2017-09-07 19:17:12' } } });
    expect(countries).toMatchObject({ countryCode: 'pt', countryName: 'Portugal' });
  });
  it('searchPackages with a price range', async () => {
    expect(await sdk.searchPackages({ serviceKey, countryCode: 'pt', packageFilter: { price: { gt: '5.00', lt: '5.00' } } })).toMatchObject({ price: '5.00', paymentType: 'mobile' });
  });

  const cases = [400, 401, 500].flatMap((status) => [
    { operationId: 'searchServices', status, call: () => once.searchServices({ serviceFilter: {} }, prefer(status)) },
    { operationId: 'searchCountries', status, call: () => once.searchCountries({ serviceKey, countryFilter: {} }, prefer(status)) },
    { operationId: 'searchPackages', status, call: () => once.searchPackages({ serviceKey, countryCode: 'pt', packageFilter: {} }, prefer(status)) },
  ]);
  it.each(cases)('$operationId throws CarrierApiError for a documented $status', async ({ operationId, status, call }) => {
    const error = await call().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CarrierApiError);
    expect(error).toMatchObject({ status, operationId, body: { code: expect.any(String) } });
  });
});
