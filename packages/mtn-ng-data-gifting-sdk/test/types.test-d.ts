import { describe, expectTypeOf, it } from 'vitest';
import { createMtnNgDataGiftingSdk, type DataGiftingResponse } from '../src/index.js';

const sdk = createMtnNgDataGiftingSdk({ auth: { apiKey: 'k' } });

describe('the MTN SDK types', () => {
  it('types results and rejects wrong arguments', () => {
    expectTypeOf(sdk.giftData).returns.resolves.toEqualTypeOf<DataGiftingResponse>();
    // @ts-expect-error nodeid is required
    void sdk.giftData({ senderMsisdn: '1', dataGiftingRequest: { receiverMsisdn: '1', productCode: 'p', sendSms: true } });
    // @ts-expect-error MTN takes an API key
    createMtnNgDataGiftingSdk({ auth: { clientId: 'c', username: 'u', password: 'p' } });
  });
});
