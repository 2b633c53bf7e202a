import { describe, expect, it } from 'vitest';
import { listApis } from '../src/apis.ts';
import { bundleApi } from '../src/bundle.ts';
import { createSpecValidator, formatIssues } from '@carrier-api/schema-validator';
import type { OpenApiDocument } from '../src/openapi.ts';

interface ExampleCase {
  where: string;
  schemaPointer: string;
  value: unknown;
}

const escape = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

/** Every example of a bundle, paired with the schema it must satisfy. */
function collectExamples(document: OpenApiDocument): ExampleCase[] {
  const cases: ExampleCase[] = [];
  const visit = (node: unknown, pointer: string) => {
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if ('schema' in record && record.schema && typeof record.schema === 'object') {
      const schemaPointer = `${pointer}/schema`;
      if ('example' in record) cases.push({ where: `${pointer}/example`, schemaPointer, value: record.example });
      for (const [name, example] of Object.entries((record.examples as Record<string, { value: unknown }>) ?? {})) {
        cases.push({ where: `${pointer}/examples/${escape(name)}`, schemaPointer, value: example.value });
      }
    }
    const isSchemaMap = pointer === '#/components/schemas';
    for (const [key, child] of Object.entries(record)) {
      const childPointer = `${pointer}/${escape(key)}`;
      if (isSchemaMap && child && typeof child === 'object' && 'example' in child) {
        cases.push({ where: `${childPointer}/example`, schemaPointer: childPointer, value: (child as { example: unknown }).example });
      }
      if (key === 'example' || key === 'examples') continue;
      visit(child, childPointer);
    }
  };
  visit(document, '#');
  return cases;
}

// Per API found in specs/; a spec without examples (a new API's may have none) has nothing to check.
describe.each(listApis())('examples of %s', (api) => {
  it('all validate against their schemas (ajv)', async () => {
    const document = await bundleApi(api);
    const validator = createSpecValidator(document);
    const cases = collectExamples(document);
    const failures = cases
      .map((example) => ({ ...example, issues: validator.validate(example.schemaPointer, example.value) }))
      .filter((example) => example.issues.length > 0)
      .map((example) => `${example.where}: ${formatIssues(example.issues)}`);
    expect(failures).toEqual([]);
  });
});

describe('the example collector', () => {
  // A collector that finds nothing would pass every test above.
  it('finds the examples of the specs', async () => {
    let found = 0;
    for (const api of listApis()) found += collectExamples(await bundleApi(api)).length;
    expect(found).toBeGreaterThan(3);
  });
});

describe('the validator', () => {
  it('rejects what the schemas forbid, naming pointer and rule', async () => {
    const validator = createSpecValidator(await bundleApi('mtn-ng-data-gifting'));
    expect(validator.validate('#/components/schemas/Msisdn', '(0906) 205 8464')).toEqual([expect.objectContaining({ instancePath: '/', rule: 'pattern' })]);
    expect(validator.validate('#/components/schemas/DataGiftingRequest', { receiverMsisdn: '234', sendSms: 'yes' })).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ instancePath: '/', rule: 'required' }),
        expect.objectContaining({ instancePath: '/receiverMsisdn', rule: 'pattern' }),
        expect.objectContaining({ instancePath: '/sendSms', rule: 'type' }),
      ]),
    );
  });
});
