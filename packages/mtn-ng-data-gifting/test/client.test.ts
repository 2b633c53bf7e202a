import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '@carrier-api/mock';
import { CarrierApiError, CarrierValidationError, expectData } from '@carrier-api/runtime';
import { createMtnNgDataGiftingClient, type MtnNgDataGiftingClient } from '../src/index.js';

let mock: RunningMock;
let client: MtnNgDataGiftingClient;
let once: MtnNgDataGiftingClient;
const sent: Request[] = [];

beforeAll(async () => {
  mock = await startMock({ apis: ['mtn-ng-data-gifting'] });
  const recordingFetch = (request: Request) => {
    sent.push(request.clone());
    return fetch(request);
  };
  client = createMtnNgDataGiftingClient({ baseUrl: mock.urls['mtn-ng-data-gifting'], auth: { apiKey: 'mtn-key' }, fetch: recordingFetch as typeof fetch });
  once = createMtnNgDataGiftingClient({ baseUrl: mock.urls['mtn-ng-data-gifting'], auth: { apiKey: 'mtn-key' }, retry: false });
});
afterAll(() => mock.close());

const gift = { receiverMsisdn: '2349062058463', productCode: 'NACT_NG_Data_1234', sendSms: true };
const path = '/v1/datagifting/customers/{senderMsisdn}/dataGifting' as const;
const params = { path: { senderMsisdn: '2349062058464' }, query: { nodeid: 'partner-node-01' } };

describe('createMtnNgDataGiftingClient against the Prism mock', () => {
  it('giftData sends X-API-Key and a generated transactionId', async () => {
    const result = await expectData(client.POST(path, { params, body: gift }));
    expect(result.data).toEqual({ productName: 'string', amtCharged: 1, notification: 'string' });
    expect(sent.at(-1)!.headers.get('X-API-Key')).toBe('mtn-key');
    expect(sent.at(-1)!.headers.get('transactionId')).toMatch(/^[A-Za-z0-9+/=-]{5,20}$/);
  });

  it('keeps a caller transactionId, and refuses an invalid one before sending', async () => {
    await expectData(client.POST(path, { params: { ...params, header: { transactionId: 'order-0042' } }, body: gift }));
    expect(sent.at(-1)!.headers.get('transactionId')).toBe('order-0042');
    const count = sent.length;
    const error = await client.POST(path, { params: { ...params, header: { transactionId: 'x' } }, body: gift }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CarrierValidationError);
    expect((error as CarrierValidationError).field).toBe('transactionId');
    expect(sent.length).toBe(count);
  });

  it('a missing nodeid gets the documented 400 error body', async () => {
    const error = await expectData(once.POST(path, { params: { path: params.path } as typeof params, body: gift })).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, operationId: 'giftData', body: { transactionId: 'string', statusCode: 'string' } });
  });

  it.each([400, 401, 403, 404, 405, 406, 415, 500])('giftData answers %i with the MTN error body', async (status) => {
    const error = await expectData(once.POST(path, { params, body: gift, headers: { Prefer: `code=${status}` } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CarrierApiError);
    expect(error).toMatchObject({ status, operationId: 'giftData', statusCode: 'string', body: { error: 'string', message: 'string', path: 'string' } });
    expect((error as CarrierApiError).requestReference).toMatch(/^[A-Za-z0-9+/=-]{5,20}$/);
  });
});
