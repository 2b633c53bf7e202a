import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '@carrier-api/mock';
import { CarrierApiError, expectData } from '@carrier-api/runtime';
import { createDataGiftingClient, type DataGiftingClient } from '../src/index.js';

let mock: RunningMock;
let client: DataGiftingClient;
let once: DataGiftingClient;

beforeAll(async () => {
  mock = await startMock({ apis: ['centili-data-gifting'] });
  const auth = { clientId: 'merchant-app', username: 'merchant', password: 's3cret', tokenUrl: mock.tokenUrl('centili-data-gifting') };
  client = createDataGiftingClient({ baseUrl: mock.urls['centili-data-gifting'], auth });
  once = createDataGiftingClient({ baseUrl: mock.urls['centili-data-gifting'], auth, retry: false });
});
afterAll(() => mock.close());

const serviceKey = '3586a2363bcd51a2b3c4d5f34918263a';

describe('createDataGiftingClient against the Prism mock', () => {
  it('assignData', async () => {
    const assigned = await expectData(client.POST('/datagifting/v1/service/transaction', { body: { serviceKey, msisdn: '4366124567', clientId: '454585', amount: 500 } }));
    expect(assigned).toMatchObject({ serviceKey, msisdn: '4366124567', amount: 500 });
  });

  it('listTransactions, with and without msisdn', async () => {
    const all = await expectData(client.GET('/datagifting/v1/transaction', { params: { query: { serviceKey } } }));
    const one = await expectData(client.GET('/datagifting/v1/transaction', { params: { query: { serviceKey, msisdn: '4366124567' } } }));
    expect(all[0]).toMatchObject({ transactionId: '98231', amount: 500 });
    expect(one).toEqual(all);
  });

  it('listServices', async () => {
    const services = await expectData(client.GET('/datagifting/v1/services', { params: { query: { merchantId: '11111' } } }));
    expect(services[0]).toMatchObject({ serviceKey, packages: [{ operator: 'FR_ORANGE', amount: 500 }] });
  });

  it('getBalance', async () => {
    const pools = await expectData(client.GET('/datagifting/v1/services/balance', { params: { query: { serviceKey, operator: 'FR_ORANGE' } } }));
    expect(pools[0]).toEqual({ totalAmount: 100000, assignedAmount: 2500, expirationDate: '2024-12-31 23:59:59' });
  });

  it('a request breaking the spec (no operator) gets the documented 400', async () => {
    const error = await expectData(once.GET('/datagifting/v1/services/balance', { params: { query: { serviceKey } as { serviceKey: string; operator: string } } })).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, operationId: 'getBalance', body: { code: 'BAD_REQUEST' } });
  });

  const errorCases: { operationId: string; status: number; call: (prefer: string) => Promise<{ response: Response; data?: unknown; error?: unknown }> }[] = [400, 401, 500].flatMap((status) => [
    { operationId: 'assignData', status, call: (prefer: string) => once.POST('/datagifting/v1/service/transaction', { body: { serviceKey, msisdn: '4366124567', clientId: '1', amount: 1 }, headers: { Prefer: prefer } }) },
    { operationId: 'listTransactions', status, call: (prefer: string) => once.GET('/datagifting/v1/transaction', { params: { query: { serviceKey } }, headers: { Prefer: prefer } }) },
    { operationId: 'listServices', status, call: (prefer: string) => once.GET('/datagifting/v1/services', { headers: { Prefer: prefer } }) },
    { operationId: 'getBalance', status, call: (prefer: string) => once.GET('/datagifting/v1/services/balance', { params: { query: { serviceKey, operator: 'FR_ORANGE' } }, headers: { Prefer: prefer } }) },
  ]);
  it.each(errorCases)('$operationId answers $status with the {code, message} body', async ({ operationId, status, call }) => {
    const error = await expectData(call(`code=${status}`)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CarrierApiError);
    expect(error).toMatchObject({ status, operationId, body: { code: expect.any(String), message: expect.any(String) } });
  });
});
