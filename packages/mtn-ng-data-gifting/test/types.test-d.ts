import { describe, expectTypeOf, it } from 'vitest';
import { createMtnNgDataGiftingClient, type DataGiftingResponse } from '../src/index.js';

const client = createMtnNgDataGiftingClient({ auth: { apiKey: 'k' } });
const params = { path: { senderMsisdn: '2349062058464' }, query: { nodeid: 'n' } };

describe('the MTN client types', () => {
  it('types responses from the spec', async () => {
    const { data } = await client.POST('/v1/datagifting/customers/{senderMsisdn}/dataGifting', { params, body: { receiverMsisdn: '1', productCode: 'p', sendSms: true } });
    expectTypeOf(data).toEqualTypeOf<DataGiftingResponse | undefined>();
  });

  it('rejects what the spec does not allow', () => {
    // @ts-expect-error sendSms is required
    void client.POST('/v1/datagifting/customers/{senderMsisdn}/dataGifting', { params, body: { receiverMsisdn: '1', productCode: 'p' } });
    // @ts-expect-error nodeid is required
    void client.POST('/v1/datagifting/customers/{senderMsisdn}/dataGifting', { params: { path: params.path }, body: { receiverMsisdn: '1', productCode: 'p', sendSms: true } });
    // @ts-expect-error MTN takes an API key, not OAuth2 credentials
    createMtnNgDataGiftingClient({ auth: { clientId: 'c', username: 'u', password: 'p' } });
  });
});
