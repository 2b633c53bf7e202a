import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleApi, listApis, repoRoot, type OpenApiDocument } from '@carrier-api/spec-kit';
import { addToRegistries, boilerplateFiles, clientCallSource, exampleCall, identityOf, packageOf, sdkRequestSource, starterFiles, toSource } from '../src/index.ts';

const fixtures = join(import.meta.dirname, 'fixtures');

describe('the scaffold is the one source of the packages’ boilerplate', () => {
  // Every API's packages are what `carrier-new-api <api> --refresh` writes: a change to one of them
  // belongs in the templates (src/templates.ts), and then in all of them.
  it.each(listApis())('packages/%s and its -sdk are what the templates write', async (api) => {
    const title = (await bundleApi(api)).info.title;
    const files = boilerplateFiles(api, { client: identityOf(repoRoot, api, 'client', title), sdk: identityOf(repoRoot, api, 'sdk', title) });
    for (const [path, contents] of Object.entries(files)) expect(readFileSync(join(repoRoot, path), 'utf8'), path).toBe(contents);
  });

  it('a build reads its own spec folder, specs/shared and its generator, and waits for the runtime only', () => {
    const turbo = JSON.parse(boilerplateFiles('acme-pay', { client: { version: '0.0.0', description: '', keywords: [] }, sdk: { version: '0.0.0', description: '', keywords: [] } })['packages/acme-pay-sdk/turbo.json']!);
    expect(turbo.tasks.build.dependsOn).toEqual(['@carrier-api/runtime#build']);
    expect(turbo.tasks.build.inputs).toEqual(expect.arrayContaining(['$TURBO_ROOT$/specs/acme-pay/**', '$TURBO_ROOT$/specs/shared/**', '$TURBO_ROOT$/tools/sdk-gen/src/**']));
    expect(turbo.tasks.build.inputs.filter((input: string) => input.startsWith('$TURBO_ROOT$/specs/') && !/specs\/(acme-pay|shared)\//.test(input))).toEqual([]);
  });
});

describe('the example call of a spec', () => {
  it('takes the first operation with the API’s credentials, and the documented examples', async () => {
    const document = await bundleApi('example-topup', fixtures);
    const call = exampleCall(document);
    expect({ operationId: call.operation.operationId, status: call.status, auth: call.auth }).toEqual({ operationId: 'createTopup', status: 201, auth: { type: 'apiKey' } });
    expect(clientCallSource(call)).toBe("client.POST('/topups', { body: { msisdn: '2348012345678', amount: 500, currency: 'NGN' } })");
    expect(sdkRequestSource(call, document)).toBe("{ topupRequest: { msisdn: '2348012345678', amount: 500, currency: 'NGN' } }");
  });

  it('skips the OAuth2 token endpoint, leaves Idempotency-Key to the runtime, and camel-cases SDK parameters', async () => {
    const call = exampleCall(await bundleApi('centili-payments'));
    expect(call.operation.security.length).toBeGreaterThan(0);
    expect(call.auth).toEqual({ type: 'oauth2' });
    expect(JSON.stringify(call.params).toLowerCase()).not.toContain('idempotency-key');
  });

  it.each(listApis())('%s has one', async (api) => {
    const document = await bundleApi(api);
    const call = exampleCall(document);
    expect(call.status).toBeGreaterThanOrEqual(200);
    expect(Object.keys(starterFiles(api, document))).toHaveLength(7);
  });

  it('gives the SDK a Date where the schema says date or date-time (typescript-fetch types it so), the client the string', () => {
    const document = {
      openapi: '3.0.3',
      info: { title: 'Dates', version: '1' },
      paths: {
        '/reports/{day}': {
          post: {
            operationId: 'createReport',
            security: [{ key: [] }],
            parameters: [{ name: 'day', in: 'path', required: true, schema: { type: 'string', format: 'date' }, example: '2026-11-29' }],
            requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Report' }, example: { from: '2026-11-29T10:00:00Z', tags: ['a'], window: { until: '2026-11-30T00:00:00Z' } } } } },
            responses: { '201': { description: 'made' } },
          },
        },
      },
      components: {
        securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'X-Key' } },
        schemas: {
          Report: {
            type: 'object',
            properties: { from: { type: 'string', format: 'date-time' }, tags: { type: 'array', items: { type: 'string' } }, window: { allOf: [{ $ref: '#/components/schemas/Window' }] } },
          },
          Window: { type: 'object', properties: { until: { type: 'string', format: 'date-time' } } },
        },
      },
    } as unknown as OpenApiDocument;
    const call = exampleCall(document);
    expect(sdkRequestSource(call, document)).toBe(
      "{ day: new Date('2026-11-29'), report: { from: new Date('2026-11-29T10:00:00Z'), tags: ['a'], window: { until: new Date('2026-11-30T00:00:00Z') } } }",
    );
    expect(clientCallSource(call)).toBe("client.POST('/reports/{day}', { params: { path: { day: '2026-11-29' } }, body: { from: '2026-11-29T10:00:00Z', tags: ['a'], window: { until: '2026-11-30T00:00:00Z' } } })");
  });

  it('writes values as TypeScript', () => {
    expect(toSource({ a: 1, 'b-c': ["it's", true, null], d: undefined })).toBe("{ a: 1, \"b-c\": ['it\\'s', true, null] }");
  });
});

describe('the lists of every API', () => {
  it('gets the new packages where every other API’s client and SDK are listed, and a README row, once', () => {
    const root = mkdtempSync(join(tmpdir(), 'new-api-registries-'));
    try {
      const write = (path: string, value: unknown) => {
        mkdirSync(join(root, path, '..'), { recursive: true });
        writeFileSync(join(root, path), typeof value === 'string' ? value : `${JSON.stringify(value, null, 2)}\n`);
      };
      const all = { '@carrier-api/a': 'workspace:*', '@carrier-api/a-sdk': 'workspace:*', '@carrier-api/b': 'workspace:*', '@carrier-api/b-sdk': 'workspace:*', zod: '1.0.0' };
      write('tools/bench/package.json', { name: 'bench', devDependencies: all });
      write('tools/some/package.json', { name: 'some', dependencies: { '@carrier-api/a': 'workspace:^' } });
      write('packages/a/package.json', { name: '@carrier-api/a' });
      write('README.md', '# x\n\n| API | contract | light client | SDK |\n| --- | --- | --- | --- |\n| A | a | a | a |\n| B | b | b | b |\n\nafter\n');
      write('packages/specs/README.md', '# specs\n\n| API | name |\n| --- | --- |\n| A | `a` |\n\n```ts\n```\n');
      const changed = addToRegistries(root, 'acme-pay', 'Acme Pay', ['a', 'b']);
      expect(changed.sort()).toEqual(['README.md', 'packages/specs/README.md', 'tools/bench/package.json']);
      expect(readFileSync(join(root, 'packages/specs/README.md'), 'utf8')).toBe('# specs\n\n| API | name |\n| --- | --- |\n| A | `a` |\n| Acme Pay | `acme-pay` |\n\n```ts\n```\n');
      expect(Object.keys(JSON.parse(readFileSync(join(root, 'tools/bench/package.json'), 'utf8')).devDependencies)).toEqual([
        '@carrier-api/a',
        '@carrier-api/a-sdk',
        '@carrier-api/acme-pay',
        '@carrier-api/acme-pay-sdk',
        '@carrier-api/b',
        '@carrier-api/b-sdk',
        'zod',
      ]);
      expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain(`| B | b | b | b |\n| Acme Pay | [\`specs/acme-pay\`](specs/acme-pay/openapi.yaml) | [\`${packageOf('acme-pay', 'client').name}\`](packages/acme-pay) | [\`-sdk\`](packages/acme-pay-sdk) |\n\nafter`);
      expect(addToRegistries(root, 'acme-pay', 'Acme Pay', ['a', 'b'])).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
