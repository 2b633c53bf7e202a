import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '@carrier-api/mock';
import { CarrierIdempotencyKeyReusedError } from '@carrier-api/runtime';
import { createPaymentsSdk, type PaymentsApi } from '../src/index.js';

/**
 * The same Idempotency-Key with a different request (issue 27, input 1), through the classic SDK
 * against the sandbox: the same typed error as the light client, carrying the key, sent once.
 */
let sandbox: RunningMock;
let payments: PaymentsApi;
const firstCharge = { serviceKey: 'abc', userIdentifier: { msisdn: '4366124567' }, price: '1.99' };

beforeAll(async () => {
  sandbox = await startMock({ apis: ['centili-payments'], sandbox: { pin: '4321' } });
  payments = createPaymentsSdk({ baseUrl: sandbox.urls['centili-payments'], auth: { clientId: 'shop', username: 'merchant', password: 's3cret', tokenUrl: sandbox.tokenUrl('centili-payments') } });
});
afterAll(() => sandbox.close());

describe('a key reused with a different request, through the SDK', () => {
  it.each([
    { row: 'another service, subscriber and price', other: { serviceKey: 'zzz999', userIdentifier: { msisdn: '381600000001' }, price: '99.00' } },
    { row: 'another price only', other: { ...firstCharge, price: '2.00' } },
  ])('startTransaction, $row: CarrierIdempotencyKeyReusedError with the key; the key keeps the first charge', async ({ other }) => {
    const idempotencyKey = `order-${crypto.randomUUID()}`;
    const first = await payments.startTransaction({ startTransactionRequest: firstCharge, idempotencyKey });
    const error = await payments.startTransaction({ startTransactionRequest: other, idempotencyKey }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CarrierIdempotencyKeyReusedError);
    expect(error).toMatchObject({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED', idempotencyKey, operationId: 'startTransaction', attempts: 1 });
    expect((await payments.startTransaction({ startTransactionRequest: firstCharge, idempotencyKey })).transactionId).toBe(first.transactionId);
    const underKey = (await sandbox.requests('centili-payments', { operationId: 'startTransaction' })).filter((entry) => entry.headers['idempotency-key'] === idempotencyKey);
    expect(underKey.map((entry) => entry.status)).toEqual([200, 422, 200]);
  });
});
