import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '@carrier-api/mock';
import { CarrierApiError } from '@carrier-api/runtime';
import { createPackagesSdk, type PackagesApi } from '../src/index.js';

let mock: RunningMock;
let sdk: PackagesApi;
let once: PackagesApi;
const prefer = (code: number) => async ({ init }: { init: RequestInit }) => ({ ...init, headers: { ...init.headers, Prefer: `code=${code}` } });

beforeAll(async () => {
  mock = await startMock({ apis: ['centili-packages'] });
  const auth = { clientId: 'merchant-app', username: 'merchant', password: 's3cret', tokenUrl: mock.tokenUrl('centili-packages') };
  sdk = createPackagesSdk({ baseUrl: mock.urls['centili-packages'], auth });
  once = createPackagesSdk({ baseUrl: mock.urls['centili-packages'], auth, retry: false });
});
afterAll(() => mock.close());

const serviceKey = 'f31a355df6dad07e49ba474db7ff9b07';

describe('createPackagesSdk against the Prism mock', () => {
  it('getCountryPackages', async () => {
    const operators = await sdk.getCountryPackages({ serviceKey, country: 'es' });
    expect(operators.map((operator) => operator.operatorName)).toEqual(['Telenor Serbia', 'VIP Mobile Serbia', 'm:ts Serbia']);
  });
  it('getSubscriberPackages', async () => {
    expect(await sdk.getSubscriberPackages({ serviceKey, msisdn: '4477781234567' })).toMatchObject({ operatorCode: 'RS_MTS', msisdn: '381644150105' });
  });
  it('the documented 404 body', async () => {
    const error = await once.getCountryPackages({ serviceKey, country: 'es' }, prefer(404)).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 404, code: 'NOT_FOUND', body: { message: 'Packages not found' } });
  });

  const cases = [400, 401, 404, 500].flatMap((status) => [
    { operationId: 'getCountryPackages', status, call: () => once.getCountryPackages({ serviceKey, country: 'es' }, prefer(status)) },
    { operationId: 'getSubscriberPackages', status, call: () => once.getSubscriberPackages({ serviceKey, msisdn: '4477781234567' }, prefer(status)) },
  ]);
  it.each(cases)('$operationId throws CarrierApiError for a documented $status', async ({ operationId, status, call }) => {
    const error = await call().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CarrierApiError);
    expect(error).toMatchObject({ status, operationId, body: { code: expect.any(String) } });
  });
});
