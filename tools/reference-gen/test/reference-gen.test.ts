import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listBundledApis, loadBundledSpec } from '@carrier-api/specs';
import { annotateInferred, fidelityReport, listInferred, renderReference } from '../src/index.ts';

/** A small spec of our own with one inferred element of each kind the reference must show. */
const fixture = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'inferred.json'), 'utf8')) as Record<string, unknown>;

describe('listInferred', () => {
  it('finds every x-inferred element, names its kind and says where it is', () => {
    expect(listInferred(fixture).map(({ kind, label, pointer }) => [kind, label, pointer])).toEqual([
      ['server', 'https://gateway.example', '/servers/0'],
      ['operation', 'GET /items/{itemId}', '/paths/~1items~1{itemId}/get'],
      ['parameter', 'GET /items/{itemId} path itemId', '/paths/~1items~1{itemId}/get/parameters/0'],
      ['response', 'GET /items/{itemId} 404', '/paths/~1items~1{itemId}/get/responses/404'],
      ['field', 'Item.status', '/components/schemas/Item/properties/status'],
    ]);
  });

  it.each([[''], [42], [null]])('refuses an x-inferred that does not say why (%j)', (reason) => {
    expect(() => listInferred({ openapi: '3.0.3', paths: {}, components: { schemas: { A: { type: 'string', 'x-inferred': reason } } } })).toThrow(/x-inferred at \/components\/schemas\/A must say why/);
  });

  it('finds the inferred elements of every real spec (none is left unmarked for the reference)', () => {
    for (const api of listBundledApis()) expect(listInferred(loadBundledSpec(api.name)).length, api.name).toBeGreaterThan(0);
  });
});

describe('annotateInferred', () => {
  it('puts a visible note with the reason on each element, and the whole list in info.description', () => {
    const annotated = annotateInferred(fixture) as { info: { description: string }; paths: Record<string, Record<string, { description: string; parameters: { description: string }[] }>> };
    const operation = annotated.paths['/items/{itemId}']!.get!;
    expect(operation.description).toMatch(/^<p class="carrier-inferred"><strong>Inferred<\/strong>: The document names no URL for reading one item\.<\/p>\n\nReads one item\.$/);
    expect(operation.parameters[0]!.description).toMatch(/^<p class="carrier-inferred">.*digits only &amp; short/);
    expect(annotated.info.description).toContain('| server: https://gateway.example | The document gives no host. |');
    expect((fixture.paths as Record<string, Record<string, { description?: string }>>)['/items/{itemId}']!.get!.description, 'the input is left as it was').toBe('Reads one item.');
  });
});

describe('the fidelity report', () => {
  it('tables every inferred element of a spec (snapshot)', () => {
    expect(fidelityReport('Fixture API', 'vendor document `fixture.txt`', listInferred(fixture))).toMatchSnapshot();
  });

  it('says so when nothing is inferred', () => {
    expect(fidelityReport('Exact API', 'a document', [])).toContain('Every element of this spec is stated by the vendor document.');
  });
});

describe('renderReference', () => {
  it('writes a landing page, and a page, a fidelity report and the spec per API; Redoc without its CDN logo', () => {
    const files = renderReference([{ name: 'fixture-api', document: fixture }], 'var logo = "https://cdn.redoc.ly/redoc/logo-mini.svg";');
    expect(Object.keys(files).sort()).toEqual(['fixture-api/fidelity.md', 'fixture-api/index.html', 'fixture-api/openapi.json', 'index.html', 'redoc.standalone.js']);
    expect(files['redoc.standalone.js']).not.toContain('https://');
    expect(files['index.html']).toContain('<code>npx carrier-mock fixture-api --sandbox</code>');
    expect(files['index.html']).toContain('5 inferred');
    // The spec is inline: the "</script>" in its description must not end the script element early.
    const inline = /<script id="spec" type="application\/json">([\s\S]*?)<\/script>/.exec(files['fixture-api/index.html']!)![1]!;
    expect((JSON.parse(inline) as { info: { description: string } }).info.description).toContain('It mentions </script> once.');
  });
});
