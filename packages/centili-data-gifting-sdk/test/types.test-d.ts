import { describe, expectTypeOf, it } from 'vitest';
import { createDataGiftingSdk, type DataPool } from '../src/index.js';

const sdk = createDataGiftingSdk({ auth: { accessToken: 'token' } });

describe('the data gifting SDK types', () => {
  it('types results from the spec', () => {
    expectTypeOf(sdk.getBalance({ serviceKey: 'k', operator: 'o' })).resolves.toEqualTypeOf<DataPool[]>();
  });
  it('rejects wrong arguments', () => {
    // @ts-expect-error amount is a number of MB
    void sdk.assignData({ assignDataRequest: { serviceKey: 'k', msisdn: '1', clientId: '1', amount: '500' } });
    // @ts-expect-error operator is required
    void sdk.getBalance({ serviceKey: 'k' });
  });
});
