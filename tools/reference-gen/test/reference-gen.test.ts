import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listBundledApis, loadBundledSpec } from '@carrier-api/specs';
import { annotateBehaviour, annotateInferred, behaviourSection, fidelityReport, listBehaviour, listInferred, renderReference } from '../src/index.ts';

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

/** A spec of our own whose operations carry `x-behaviour` with and without its `x-inferred`, and one without any. */
const behaviourFixture = {
  openapi: '3.0.3',
  info: { title: 'Behaviour API', version: '1.0.0', description: 'Source: vendor document `001_fixture.txt`.' },
  paths: {
    '/pins': {
      post: {
        operationId: 'submitPin',
        description: 'Confirms with the PIN.',
        'x-behaviour': {
          implements: '001 "Submit PIN" … "Status 200 PIN correct"; "429 | Number of attempts over the max retry limit, request can not be retried."',
          'x-inferred': 'The correct PIN is the `pin` of the seed (default 1234).',
        },
        responses: { '200': { description: 'PIN correct.' } },
      },
      get: { operationId: 'listPins', 'x-behaviour': { implements: '001/000: "List PINs"' }, responses: { '200': { description: 'The PINs.' } } },
      delete: { operationId: 'deletePins', description: 'No behaviour here.', responses: { '204': { description: 'Deleted.' } } },
    },
  },
} as Record<string, unknown>;

type Operations = Record<string, Record<string, { description?: string; 'x-behaviour': { description?: string } }>>;

describe('the behaviour of an operation (x-behaviour)', () => {
  it('lists every operation that carries x-behaviour, in document order', () => {
    expect(listBehaviour(behaviourFixture).map(({ label, operationId, pointer, inferred }) => [label, operationId, pointer, inferred !== undefined])).toEqual([
      ['POST /pins', 'submitPin', '/paths/~1pins/post', true],
      ['GET /pins', 'listPins', '/paths/~1pins/get', false],
    ]);
  });

  it.each([
    ['implements only', { implements: '001 "Release transaction"' }, ['<strong>Implements</strong> (vendor document 001): &quot;Release transaction&quot;</p>'], ['carrier-inferred']],
    [
      'implements and x-inferred',
      { implements: '001 "Submit PIN" … "Status 200 PIN correct"', inferred: 'Only a PENDING transaction takes a PIN.' },
      ['(vendor document 001): &quot;Submit PIN&quot; … &quot;Status 200 PIN correct&quot;</p>', '<p class="carrier-inferred"><strong>Inferred</strong>: Only a PENDING transaction takes a PIN.</p>'],
      [],
    ],
    ['two documents', { implements: '001/000: "grant_type | Name of the flow"' }, ['(vendor document 001/000): &quot;grant_type | Name of the flow&quot;</p>'], []],
    ['no document number', { implements: '"Unnumbered"' }, ['<strong>Implements</strong>: &quot;Unnumbered&quot;</p>'], ['vendor document']],
    [
      'quotes, |, markdown and HTML specials, a blank line',
      { implements: '003 transactionId: "between 5 and 20 characters | +, /, =, and -" *not* _em_ # `code` <b>&', inferred: 'The `pin` option.\n\n| a | b |\n* item' },
      ['(vendor document 003): transactionId: &quot;between 5 and 20 characters | +, /, =, and -&quot; *not* _em_ # `code` &lt;b&gt;&amp;</p>', '<strong>Inferred</strong>: The `pin` option. | a | b | * item</p>'],
      ['<b>', '\n\n'],
    ],
  ])('renders %s as one visible HTML block, the sentences as written', (_, behaviour, contains, absent) => {
    const section = behaviourSection(behaviour);
    expect(section).toMatch(/^<div class="carrier-behaviour">\n<p><strong>Behaviour \(sandbox\)<\/strong>: [^\n]+<\/p>\n<p class="carrier-implements">[^\n]+<\/p>\n(<p class="carrier-inferred">[^\n]+<\/p>\n)?<\/div>$/);
    for (const text of contains) expect(section).toContain(text);
    for (const text of absent) expect(section).not.toContain(text);
  });

  it('puts the section after the spec\'s own description, and leaves an operation without x-behaviour as it was (snapshot)', () => {
    const operations = (annotateBehaviour(annotateInferred(behaviourFixture)) as { paths: Operations }).paths['/pins']!;
    expect(operations.post!.description).toMatch(/^Confirms with the PIN\.\n\n<div class="carrier-behaviour">/);
    expect(operations.get!.description).toMatch(/^<div class="carrier-behaviour">/);
    expect(operations.delete!.description).toBe('No behaviour here.');
    expect(operations.post!.description).toMatchSnapshot();
    expect((behaviourFixture.paths as Operations)['/pins']!.post!.description, 'the input is left as it was').toBe('Confirms with the PIN.');
  });

  it('reports the x-inferred of a behaviour once, labelled with its operation, and shows it once on the page: in the section, not on x-behaviour', () => {
    const inferred = listInferred(behaviourFixture);
    expect(inferred.map(({ kind, label, pointer }) => [kind, label, pointer])).toEqual([['behaviour', 'POST /pins behaviour (sandbox)', '/paths/~1pins/post/x-behaviour']]);
    expect(fidelityReport('Behaviour API', 'a document', inferred)).toContain('| behaviour | POST /pins behaviour (sandbox) | The correct PIN is the `pin` of the seed (default 1234). | `/paths/~1pins/post/x-behaviour` |');
    const post = (annotateBehaviour(annotateInferred(behaviourFixture, inferred)) as { paths: Operations }).paths['/pins']!.post!;
    expect(post['x-behaviour'].description).toBeUndefined();
    expect(post.description!.split('The correct PIN is').length - 1).toBe(1);
  });

  it('is on the page of the real centili-payments spec, for submitPin, and counted on the landing page', () => {
    const document = loadBundledSpec('centili-payments');
    const submitPin = listBehaviour(document).find((behaviour) => behaviour.operationId === 'submitPin');
    expect(submitPin?.implements).toContain('Number of attempts over the max retry limit');
    expect(listInferred(document).filter((element) => element.pointer === `${submitPin!.pointer}/x-behaviour`).map((element) => element.label)).toEqual(['POST /auth/transactions/{transactionId}/pin behaviour (sandbox)']);
    const files = renderReference([{ name: 'centili-payments', document }], '');
    expect(files['centili-payments/index.html']).toContain('&quot;429 | Number of attempts over the max retry limit, request can not be retried.&quot;');
    expect(files['index.html']).toContain(`${listBehaviour(document).length} behaviour rule(s)`);
  });
});
