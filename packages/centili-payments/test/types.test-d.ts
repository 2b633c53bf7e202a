import { describe, expectTypeOf, it } from 'vitest';
import { createPaymentsClient, expectData, type PinRequest, type TransactionReference, type StartTransactionResponse, type Transaction } from '../src/index.js';

const client = createPaymentsClient({ auth: { clientId: 'c', username: 'u', password: 'p' } });

describe('the payments client types', () => {
  it('types responses from the spec', async () => {
    const { data } = await client.GET('/auth/transactions/{transactionId}', { params: { path: { transactionId: 't' } } });
    expectTypeOf(data).toEqualTypeOf<Transaction | undefined>();
    const started = await client.POST('/auth/transactions', { body: { serviceKey: 'k', userIdentifier: {} } });
    expectTypeOf(started.data).toEqualTypeOf<StartTransactionResponse | undefined>();
    expectTypeOf<PinRequest>().toEqualTypeOf<{ pin: string }>();
  });

  it('expectData claims the documented body, never undefined: the spec documents no empty success', () => {
    const released = expectData(client.POST('/auth/transactions/{transactionId}/release', { params: { path: { transactionId: 't' } } }));
    expectTypeOf(released).resolves.toEqualTypeOf<TransactionReference>();
    expectTypeOf(expectData(client.GET('/auth/transactions/{transactionId}', { params: { path: { transactionId: 't' } } }))).resolves.toEqualTypeOf<Transaction>();
  });

  it('rejects what the spec does not allow', () => {
    // @ts-expect-error a path that does not exist
    void client.GET('/auth/transaction/{transactionId}', { params: { path: { transactionId: 't' } } });
    // @ts-expect-error the PIN is a string
    void client.POST('/auth/transactions/{transactionId}/pin', { params: { path: { transactionId: 't' } }, body: { pin: 1234 } });
    // @ts-expect-error the path parameter is required
    void client.POST('/auth/transactions/{transactionId}/pin', { body: { pin: '1' } });
    // @ts-expect-error startTransaction requires serviceKey
    void client.POST('/auth/transactions', { body: { userIdentifier: {} } });
    // @ts-expect-error a nested field of the wrong type (msisdn is a string)
    void client.POST('/auth/transactions', { body: { serviceKey: 'k', userIdentifier: { msisdn: 4366124567 } } });
    // @ts-expect-error Centili takes OAuth2 credentials, not an API key
    createPaymentsClient({ auth: { apiKey: 'k' } });
  });
});
