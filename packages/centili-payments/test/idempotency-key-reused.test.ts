import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '@carrier-api/mock';
import { CarrierIdempotencyKeyReusedError, expectData, isCarrierIdempotencyKeyReusedError } from '@carrier-api/runtime';
import { createPaymentsClient, type PaymentsClient } from '../src/index.js';

/**
 * The same Idempotency-Key with a different request (issue 27, input 1), against the sandbox:
 * the client throws a CarrierIdempotencyKeyReusedError carrying the key, sends it once, and the
 * key keeps its first charge.
 */
let sandbox: RunningMock;
let client: PaymentsClient;
const pin = '4321';
const firstCharge = { serviceKey: 'abc', userIdentifier: { msisdn: '4366124567' }, price: '1.99' };

beforeAll(async () => {
  sandbox = await startMock({ apis: ['centili-payments'], sandbox: { pin } });
  client = createPaymentsClient({ baseUrl: sandbox.urls['centili-payments'], auth: { clientId: 'shop', username: 'merchant', password: 's3cret', tokenUrl: sandbox.tokenUrl('centili-payments') } });
});
afterAll(() => sandbox.close());

const start = (key: string, body: typeof firstCharge) => expectData(client.POST('/auth/transactions', { params: { header: { 'Idempotency-Key': key } }, body }));

describe('a key reused with a different request', () => {
  it.each([
    { row: 'another service, subscriber and price (the issue\'s input)', other: { serviceKey: 'zzz999', userIdentifier: { msisdn: '381600000001' }, price: '99.00' } },
    { row: 'another price only', other: { ...firstCharge, price: '2.00' } },
    { row: 'another subscriber only', other: { ...firstCharge, userIdentifier: { msisdn: '381600000001' } } },
  ])('startTransaction, $row: a typed error with the key; the key keeps the first charge', async ({ other }) => {
    const key = `order-${crypto.randomUUID()}`;
    const first = await start(key, firstCharge);
    const error = await start(key, other).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CarrierIdempotencyKeyReusedError);
    expect(isCarrierIdempotencyKeyReusedError(error)).toBe(true);
    expect(error).toMatchObject({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED', idempotencyKey: key, operationId: 'startTransaction', attempts: 1 });
    expect((error as Error).message).toContain(`Idempotency-Key "${key}" was already used with a different request`);
    // Only one charge ran under the key, and it still answers with it.
    expect(await start(key, firstCharge)).toEqual(first);
    const executed = (await sandbox.requests('centili-payments', { operationId: 'startTransaction' })).filter((entry) => entry.headers['idempotency-key'] === key);
    expect(executed.map((entry) => entry.status)).toEqual([200, 422, 200]);
  });

  it('submitPin, the right PIN under the key of a wrong one: refused with the key, and the PIN still confirms under a new key', async () => {
    const transactionId = (await start(`order-${crypto.randomUUID()}`, firstCharge)).transactionId!;
    const key = `pin-${crypto.randomUUID()}`;
    const submit = (value: string, idempotencyKey: string) => expectData(client.POST('/auth/transactions/{transactionId}/pin', { params: { path: { transactionId }, header: { 'Idempotency-Key': idempotencyKey } }, body: { pin: value } }));
    await expect(submit('0000', key)).rejects.toMatchObject({ status: 400 });
    const error = await submit(pin, key).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CarrierIdempotencyKeyReusedError);
    expect(error).toMatchObject({ idempotencyKey: key, operationId: 'submitPin' });
    expect((await submit(pin, `pin-${crypto.randomUUID()}`)).transactionId).toBe(transactionId);
  });
});
