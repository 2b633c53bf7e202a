import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '@carrier-api/mock';
import { CarrierApiError, expectData } from '@carrier-api/runtime';
import { createPaymentsClient, type PaymentsClient } from '../src/index.js';

let mock: RunningMock;
let client: PaymentsClient;
/** Sends every documented error once: no retries, so the mock's answer is what we see. */
let once: PaymentsClient;
const sent: Request[] = [];

beforeAll(async () => {
  mock = await startMock({ apis: ['centili-payments'] });
  const auth = { clientId: 'merchant-app', username: 'merchant', password: 's3cret', tokenUrl: mock.tokenUrl('centili-payments') };
  const recordingFetch = (request: Request) => {
    sent.push(request.clone());
    return fetch(request);
  };
  client = createPaymentsClient({ baseUrl: mock.urls['centili-payments'], auth, fetch: recordingFetch as typeof fetch });
  once = createPaymentsClient({ baseUrl: mock.urls['centili-payments'], auth, retry: false });
});
afterAll(() => mock.close());

const transactionId = '7d1c3f0e-transaction';

describe('createPaymentsClient against the Prism mock', () => {
  it('startTransaction: obtains a token first, then sends a fresh Idempotency-Key', async () => {
    const started = await expectData(
      client.POST('/auth/transactions', { body: { serviceKey: '3586a2363bcd51a2b3c4d5f34918263a', userIdentifier: { msisdn: '4366124567' }, price: '1.00' } }),
    );
    expect(started).toMatchObject({ transactionType: 'CHARGE', transactionId: 'string', action: { type: 'MO' } });
    const [token, call] = sent.slice(-2);
    expect(new URL(token!.url).pathname).toBe('/auth/realms/api/protocol/openid-connect/token');
    expect(call!.headers.get('Authorization')).toBe('Bearer eyJhbGciOiJSUzI1NiJ9.access.signature');
    expect(call!.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('getTransaction', async () => {
    const transaction = await expectData(client.GET('/auth/transactions/{transactionId}', { params: { path: { transactionId } } }));
    expect(transaction).toMatchObject({ transactionType: 'RENEW', transactionStatus: 'COMPLETED', notificationStatus: 'DELIVERED' });
  });

  it('releaseTransaction, keeping the caller’s Idempotency-Key', async () => {
    const released = await expectData(
      client.POST('/auth/transactions/{transactionId}/release', { params: { path: { transactionId }, header: { 'Idempotency-Key': 'my-key-42' } } }),
    );
    expect(released).toEqual({ clientData: { clientUserId: 'string', clientReference: 'string' }, transactionId: 'string' });
    expect(sent.at(-1)!.headers.get('Idempotency-Key')).toBe('my-key-42');
  });

  it('submitPin', async () => {
    const confirmed = await expectData(client.POST('/auth/transactions/{transactionId}/pin', { params: { path: { transactionId } }, body: { pin: '1234' } }));
    expect(confirmed.transactionId).toBe('string');
  });

  it('an invalid request gets the documented 400 body, as a typed CarrierApiError', async () => {
    // A wrong type only gets past the compiler on purpose: the mock validates like the server.
    const pending = once.POST('/auth/transactions/{transactionId}/pin', { params: { path: { transactionId } }, body: { pin: 1234 as unknown as string } });
    const error = await expectData(pending).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CarrierApiError);
    expect(error).toMatchObject({ status: 400, operationId: 'submitPin', body: { code: 'string', message: 'string' } });
  });
});

describe('documented error codes (Prefer: code=)', () => {
  const calls = {
    startTransaction: {
      statuses: [400, 401, 409, 500, 501],
      call: (prefer: string) => once.POST('/auth/transactions', { body: { serviceKey: 'abc', userIdentifier: {} }, headers: { Prefer: prefer } }),
    },
    getTransaction: {
      statuses: [400, 401, 404, 409, 500, 501],
      call: (prefer: string) => once.GET('/auth/transactions/{transactionId}', { params: { path: { transactionId } }, headers: { Prefer: prefer } }),
    },
    releaseTransaction: {
      statuses: [400, 401, 404, 409, 500, 501],
      call: (prefer: string) => once.POST('/auth/transactions/{transactionId}/release', { params: { path: { transactionId } }, headers: { Prefer: prefer } }),
    },
    submitPin: {
      statuses: [400, 401, 404, 409, 429, 500, 501],
      call: (prefer: string) => once.POST('/auth/transactions/{transactionId}/pin', { params: { path: { transactionId } }, body: { pin: '1' }, headers: { Prefer: prefer } }),
    },
  };
  const cases = Object.entries(calls).flatMap(([operationId, { statuses, call }]) => statuses.map((status) => ({ operationId, status, call })));

  it.each(cases)('$operationId answers $status with the {code, message} body', async ({ operationId, status, call }) => {
    const error = await expectData(call(`code=${status}`)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CarrierApiError);
    expect(error).toMatchObject({ status, operationId, body: { code: expect.any(String), message: expect.any(String) } });
  });

  it('429 on submitPin carries the documented message', async () => {
    const { error } = await once.POST('/auth/transactions/{transactionId}/pin', { params: { path: { transactionId } }, body: { pin: '1' }, headers: { Prefer: 'code=429' } });
    expect(error).toEqual({ code: 'TOO_MANY_ATTEMPTS', message: 'Number of attempts over the max retry limit, request can not be retried.' });
  });
});
