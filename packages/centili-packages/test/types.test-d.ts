import { describe, expectTypeOf, it } from 'vitest';
import { createPackagesClient, expectData, type OperatorPackages } from '../src/index.js';

const client = createPackagesClient({ auth: { clientId: 'c', username: 'u', password: 'p' } });

describe('the packages client types', () => {
  it('types responses from the spec', async () => {
    const { data } = await client.GET('/payments/v3/services/packages', { params: { query: { serviceKey: 'k', country: 'es' } } });
    expectTypeOf(data).toEqualTypeOf<OperatorPackages[] | undefined>();
    // expectData: the documented body, never undefined (an empty 2xx is a CarrierParseError).
    expectTypeOf(expectData(client.GET('/payments/v3/services/packages', { params: { query: { serviceKey: 'k', country: 'es' } } }))).resolves.toEqualTypeOf<OperatorPackages[]>();
  });

  it('rejects what the spec does not allow', () => {
    // @ts-expect-error country is required
    void client.GET('/payments/v3/services/packages', { params: { query: { serviceKey: 'k' } } });
    // @ts-expect-error the subscriber endpoint takes msisdn, not country
    void client.GET('/payments/v3/services/packages/subscribers', { params: { query: { serviceKey: 'k', country: 'es' } } });
  });
});
