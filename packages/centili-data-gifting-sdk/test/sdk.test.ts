import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '@carrier-api/mock';
import { CarrierApiError } from '@carrier-api/runtime';
import { createDataGiftingSdk, type DataGiftingApi } from '../src/index.js';

let mock: RunningMock;
let sdk: DataGiftingApi;
let once: DataGiftingApi;
const prefer = (code: number) => async ({ init }: { init: RequestInit }) => ({ ...init, headers: { ...init.headers, Prefer: `code=${code}` } });

beforeAll(async () => {
  mock = await startMock({ apis: ['centili-data-gifting'] });
  const auth = { clientId: 'merchant-app', username: 'merchant', password: 's3cret', tokenUrl: mock.tokenUrl('centili-data-gifting') };
  sdk = createDataGiftingSdk({ baseUrl: mock.urls['centili-data-gifting'], auth });
  once = createDataGiftingSdk({ baseUrl: mock.urls['centili-data-gifting'], auth, retry: false });
});
afterAll(() => mock.close());

const serviceKey = '3586a2363bcd51a2b3c4d5f34918263a';

describe('createDataGiftingSdk against the Prism mock', () => {
  it('assignData', async () => {
    expect(await sdk.assignData({ assignDataRequest: { serviceKey, msisdn: '4366124567', clientId: '454585', amount: 500 } })).toMatchObject({ amount: 500, status: 'SUCCESS' });
  });
  it('listTransactions', async () => {
    expect((await sdk.listTransactions({ serviceKey, msisdn: '4366124567' }))[0]).toMatchObject({ transactionId: '98231' });
  });
  it('listServices', async () => {
    expect((await sdk.listServices({ merchantId: '11111' }))[0]).toMatchObject({ serviceKey });
  });
  it('getBalance', async () => {
    expect(await sdk.getBalance({ serviceKey, operator: 'FR_ORANGE' })).toEqual([{ totalAmount: 100000, assignedAmount: 2500, expirationDate: '2024-12-31 23:59:59' }]);
  });

  const cases = [400, 401, 500].flatMap((status) => [
    { operationId: 'assignData', status, call: () => once.assignData({ assignDataRequest: { serviceKey, msisdn: '4366124567', clientId: '1', amount: 1 } }, prefer(status)) },
    { operationId: 'listTransactions', status, call: () => once.listTransactions({ serviceKey }, prefer(status)) },
    { operationId: 'listServices', status, call: () => once.listServices({}, prefer(status)) },
    { operationId: 'getBalance', status, call: () => once.getBalance({ serviceKey, operator: 'FR_ORANGE' }, prefer(status)) },
  ]);
  it.each(cases)('$operationId throws CarrierApiError for a documented $status', async ({ operationId, status, call }) => {
    const error = await call().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CarrierApiError);
    expect(error).toMatchObject({ status, operationId, body: { code: expect.any(String) } });
  });
});
