import { describe, expectTypeOf, it } from 'vitest';
import { createPaymentsSdk, type StartTransactionResponse, type Transaction } from '../src/index.js';

const payments = createPaymentsSdk({ auth: { clientId: 'c', username: 'u', password: 'p' } });

describe('the payments SDK types', () => {
  it('types results from the spec', () => {
    expectTypeOf(payments.getTransaction({ transactionId: 't' })).resolves.toEqualTypeOf<Transaction>();
    expectTypeOf(payments.startTransaction).returns.resolves.toEqualTypeOf<StartTransactionResponse>();
  });

  it('rejects wrong arguments', () => {
    // @ts-expect-error the PIN is a string
    void payments.submitPin({ transactionId: 't', pinRequest: { pin: 1234 } });
    // @ts-expect-error transactionId is required
    void payments.releaseTransaction({});
    // @ts-expect-error no such method
    void payments.refundTransaction({ transactionId: 't' });
  });
});
