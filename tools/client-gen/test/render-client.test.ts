import { describe, expect, it } from 'vitest';
import { bundleApi, listApis } from '@carrier-api/spec-kit';
import { buildApiDefinition, clientFactoryName, renderClient } from '../src/index.ts';

describe('client-gen', () => {
  it('names the factories after the APIs', () => {
    expect(listApis().map(clientFactoryName)).toEqual([
      'createDataGiftingClient',
      'createPackagesClient',
      'createPaymentsClient',
      'createServicesClient',
      'createMtnNgDataGiftingClient',
    ]);
  });

  it.each(listApis())('renders %s the same way twice', async (api) => {
    const document = await bundleApi(api);
    expect(await renderClient(api, document)).toEqual(await renderClient(api, document));
  });

  it.each(listApis())('derives the runtime definition of %s from its spec', async (api) => {
    expect(buildApiDefinition(api, await bundleApi(api))).toMatchSnapshot();
  });

  it('renders the payments client (snapshot of index.ts)', async () => {
    const files = await renderClient('centili-payments', await bundleApi('centili-payments'));
    expect(Object.keys(files)).toEqual(['schema.ts', 'definition.ts', 'index.ts']);
    expect(files['index.ts']).toMatchSnapshot();
    expect(files['schema.ts']).toContain('"/auth/transactions/{transactionId}/pin": {');
  });
});
