import { describe, it } from 'vitest';
import { createServicesSdk } from '../src/index.js';

const sdk = createServicesSdk({ auth: { clientId: 'c', username: 'u', password: 'p' } });

describe('the services SDK types', () => {
  it('rejects wrong arguments', () => {
    // @ts-expect-error paymentType is mobile or wallet
    void sdk.searchPackages({ serviceKey: 'k', countryCode: 'pt', packageFilter: { paymentType: 'card' } });
    // @ts-expect-error the filter body is required
    void sdk.searchCountries({ serviceKey: 'k' });
  });
});
