import { describe, expectTypeOf, it } from 'vitest';
import { createPackagesSdk, type SubscriberPackages } from '../src/index.js';

const sdk = createPackagesSdk({ auth: { clientId: 'c', username: 'u', password: 'p' } });

describe('the packages SDK types', () => {
  it('types results and rejects wrong arguments', () => {
    expectTypeOf(sdk.getSubscriberPackages({ serviceKey: 'k', msisdn: '1' })).resolves.toEqualTypeOf<SubscriberPackages>();
    // @ts-expect-error country is required
    void sdk.getCountryPackages({ serviceKey: 'k' });
  });
});
