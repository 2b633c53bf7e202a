import { describe, expectTypeOf, it } from 'vitest';
import { createServicesClient, type Package } from '../src/index.js';

const client = createServicesClient({ auth: { clientId: 'c', username: 'u', password: 'p' } });

describe('the services client types', () => {
  it('types the single-or-list answers the document leaves open', async () => {
    const { data } = await client.POST('/v1/services/{serviceKey}/{countryCode}/packages', { params: { path: { serviceKey: 'k', countryCode: 'pt' } }, body: {} });
    expectTypeOf(data).toEqualTypeOf<Package | Package[] | undefined>();
  });

  it('rejects what the spec does not allow', () => {
    // @ts-expect-error paymentType is mobile or wallet
    void client.POST('/v1/services/{serviceKey}/{countryCode}/packages', { params: { path: { serviceKey: 'k', countryCode: 'pt' } }, body: { paymentType: 'card' } });
    // @ts-expect-error contentType is one of the documented values
    void client.POST('/v1/services', { body: { contentType: 'Casino' } });
    // @ts-expect-error countryCode is required in the path
    void client.POST('/v1/services/{serviceKey}/{countryCode}/packages', { params: { path: { serviceKey: 'k' } }, body: {} });
  });
});
