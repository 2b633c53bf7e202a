import { describe, expectTypeOf, it } from 'vitest';
import { createDataGiftingClient, type DataPool } from '../src/index.js';

const client = createDataGiftingClient({ auth: { accessToken: () => 'token' } });

describe('the data gifting client types', () => {
  it('types responses from the spec', async () => {
    const { data } = await client.GET('/datagifting/v1/services/balance', { params: { query: { serviceKey: 'k', operator: 'FR_ORANGE' } } });
    expectTypeOf(data).toEqualTypeOf<DataPool[] | undefined>();
  });

  it('rejects what the spec does not allow', () => {
    // @ts-expect-error amount is a number of MB
    void client.POST('/datagifting/v1/service/transaction', { body: { serviceKey: 'k', msisdn: '1', clientId: '1', amount: '500' } });
    // @ts-expect-error serviceKey is required
    void client.GET('/datagifting/v1/transaction', { params: { query: { msisdn: '1' } } });
    // @ts-expect-error the method is POST
    void client.GET('/datagifting/v1/service/transaction');
  });
});
