import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '@carrier-api/mock';
import { CarrierApiError, CarrierValidationError } from '@carrier-api/runtime';
import { createMtnNgDataGiftingSdk, type MtnNgDataGiftingApi } from '../src/index.js';

let mock: RunningMock;
let sdk: MtnNgDataGiftingApi;
let once: MtnNgDataGiftingApi;
const sent: Request[] = [];
const prefer = (code: number) => async ({ init }: { init: RequestInit }) => ({ ...init, headers: { ...init.headers, Prefer: `code=${code}` } });

beforeAll(async () => {
  mock = await startMock({ apis: ['mtn-ng-data-gifting'] });
  const recordingFetch = (request: Request) => {
    sent.push(request.clone());
    return fetch(request);
  };
  sdk = createMtnNgDataGiftingSdk({ baseUrl: mock.urls['mtn-ng-data-gifting'], auth: { apiKey: 'mtn-key' }, fetch: recordingFetch as typeof fetch });
  once = createMtnNgDataGiftingSdk({ baseUrl: mock.urls['mtn-ng-data-gifting'], auth: { apiKey: 'mtn-key' }, retry: false });
});
afterAll(() => mock.close());

const gift = { senderMsisdn: '2349062058464', nodeid: 'partner-node-01', dataGiftingRequest: { receiverMsisdn: '2349062058463', productCode: 'NACT_NG_Data_1234', sendSms: true } };

describe('createMtnNgDataGiftingSdk against the Prism mock', () => {
  it('giftData with X-API-Key and a generated transactionId', async () => {
    expect(await sdk.giftData(gift)).toMatchObject({ data: { amtCharged: 1 }, _link: { self: { href: 'string' } } });
    expect(sent.at(-1)!.headers.get('X-API-Key')).toBe('mtn-key');
    expect(sent.at(-1)!.headers.get('transactionId')).toMatch(/^[A-Za-z0-9+/=-]{5,20}$/);
  });

  it('an invalid transactionId is refused before sending', async () => {
    const count = sent.length;
    const error = await sdk.giftData({ ...gift, transactionId: 'no spaces allowed' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CarrierValidationError);
    expect(error).toMatchObject({ field: 'transactionId' });
    expect(sent.length).toBe(count);
  });

  it.each([400, 401, 403, 404, 405, 406, 415, 500])('giftData throws CarrierApiError for a documented %i', async (status) => {
    const error = await once.giftData(gift, prefer(status)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CarrierApiError);
    expect(error).toMatchObject({ status, operationId: 'giftData', statusCode: 'string', body: { path: 'string' } });
  });
});
