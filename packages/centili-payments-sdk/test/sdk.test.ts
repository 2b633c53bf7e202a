import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '@carrier-api/mock';
import { CarrierApiError } from '@carrier-api/runtime';
import { createPaymentsSdk, type PaymentsApi } from '../src/index.js';

let mock: RunningMock;
let payments: PaymentsApi;
let once: PaymentsApi;
const sent: Request[] = [];
const prefer = (code: number) => async ({ init }: { init: RequestInit }) => ({ ...init, headers: { ...init.headers, Prefer: `code=${code}` } });

beforeAll(async () => {
  mock = await startMock({ apis: ['centili-payments'] });
  const auth = { clientId: 'merchant-app', username: 'merchant', password: 's3cret', tokenUrl: mock.tokenUrl('centili-payments') };
  const recordingFetch = (request: Request) => {
    sent.push(request.clone());
    return fetch(request);
  };
  payments = createPaymentsSdk({ baseUrl: mock.urls['centili-payments'], auth, fetch: recordingFetch as typeof fetch });
  once = createPaymentsSdk({ baseUrl: mock.urls['centili-payments'], auth, retry: false });
});
afterAll(() => mock.close());

const transactionId = '7d1c3f0e-transaction';

describe('createPaymentsSdk against the Prism mock', () => {
  it('startTransaction: token first, then a fresh Idempotency-Key', async () => {
    const started = await payments.startTransaction({ startTransactionRequest: { serviceKey: 'abc', userIdentifier: { msisdn: '4366124567' } } });
    expect(started).toMatchObject({ transactionType: 'CHARGE', action: { type: 'MO' } });
    expect(new URL(sent[0]!.url).pathname).toBe('/auth/realms/api/protocol/openid-connect/token');
    expect(sent.at(-1)!.headers.get('Authorization')).toBe('Bearer eyJhbGciOiJSUzI1NiJ9.access.signature');
    expect(sent.at(-1)!.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('getTransaction', async () => {
    expect(await payments.getTransaction({ transactionId })).toMatchObject({ transactionStatus: 'COMPLETED', item: { currency: 'string' } });
  });

  it('releaseTransaction with the caller’s key', async () => {
    expect(await payments.releaseTransaction({ transactionId, idempotencyKey: 'my-key-7' })).toMatchObject({ transactionId: 'string' });
    expect(sent.at(-1)!.headers.get('Idempotency-Key')).toBe('my-key-7');
  });

  it('submitPin', async () => {
    expect(await payments.submitPin({ transactionId, pinRequest: { pin: '1234' } })).toMatchObject({ clientData: { clientReference: 'string' } });
  });

  it('createToken (the SDK can also call the token endpoint itself)', async () => {
    const token = await payments.createToken(
      { clientId: 'c', grantType: 'password', username: 'u', password: 'p' },
      async ({ init }) => ({ ...init }),
    );
    expect(token.access_token).toBe('eyJhbGciOiJSUzI1NiJ9.access.signature');
  });

  const cases = [
    { operationId: 'startTransaction', statuses: [400, 401, 409, 500, 501], call: (code: number) => once.startTransaction({ startTransactionRequest: { serviceKey: 'k', userIdentifier: {} } }, prefer(code)) },
    { operationId: 'getTransaction', statuses: [400, 401, 404, 409, 500, 501], call: (code: number) => once.getTransaction({ transactionId }, prefer(code)) },
    { operationId: 'releaseTransaction', statuses: [400, 401, 404, 409, 500, 501], call: (code: number) => once.releaseTransaction({ transactionId }, prefer(code)) },
    { operationId: 'submitPin', statuses: [400, 401, 404, 409, 429, 500, 501], call: (code: number) => once.submitPin({ transactionId, pinRequest: { pin: '1' } }, prefer(code)) },
  ].flatMap(({ statuses, ...rest }) => statuses.map((status) => ({ status, ...rest })));

  it.each(cases)('$operationId throws CarrierApiError for a documented $status', async ({ operationId, status, call }) => {
    const error = await call(status).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CarrierApiError);
    expect(error).toMatchObject({ status, operationId, body: { code: expect.any(String), message: expect.any(String) } });
  });
});
