import { describe, expect, it } from 'vitest';
import { bundleApi, listApis } from '@carrier-api/spec-kit';
import { buildApiDefinition, clientFactoryName, renderClient } from '../src/index.ts';

describe('client-gen', () => {
  // Rows for the APIs of the documents; an API added with `pnpm new-api` needs no row here.
  it.each([
    ['centili-data-gifting', 'createDataGiftingClient'],
    ['centili-packages', 'createPackagesClient'],
    ['centili-payments', 'createPaymentsClient'],
    ['centili-services', 'createServicesClient'],
    ['mtn-ng-data-gifting', 'createMtnNgDataGiftingClient'],
  ])('names the factory of %s %s', (api, factory) => {
    expect(clientFactoryName(api)).toBe(factory);
  });

  it('gives every API in specs/ a factory of its own', () => {
    const names = listApis().map(clientFactoryName);
    for (const name of names) expect(name).toMatch(/^create[A-Z]\w*Client$/);
    expect(new Set(names).size).toBe(names.length);
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

describe('what the runtime learns of each operation', () => {
  it.each(listApis().filter((api) => api.startsWith('centili-')))('%s: the token endpoint takes a form, on its own server', async (api) => {
    const token = buildApiDefinition(api, await bundleApi(api)).operations.find((operation) => operation.operationId === 'createToken');
    expect(token).toMatchObject({ requestMediaType: 'application/x-www-form-urlencoded', serverUrl: 'https://api.centili.com', authenticated: false });
  });

  it('empty successes, body schemas through a $ref response, and path-level servers come from the document', () => {
    const document = {
      openapi: '3.0.3',
      info: { title: 'Synthetic', version: '1' },
      servers: [{ url: 'https://api.example.test' }],
      components: {
        securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'X-Key' } },
        responses: { Done: { description: 'done', content: { 'application/json': { schema: { type: 'object' } } } } },
      },
      security: [{ key: [] }],
      paths: {
        '/things/{id}': {
          servers: [{ url: 'https://things.example.test/v2' }],
          post: { operationId: 'cancelThing', responses: { '200': { $ref: '#/components/responses/Done' }, '204': { description: 'cancelled, no body' } } },
        },
      },
    };
    const [operation] = buildApiDefinition('synthetic', document as never).operations;
    expect(operation).toMatchObject({
      emptySuccess: [204],
      serverUrl: 'https://things.example.test/v2',
      responseSchemas: { '200': '#/components/responses/Done/content/application~1json/schema' },
    });
    expect(operation).not.toHaveProperty('requestMediaType');
  });
});
