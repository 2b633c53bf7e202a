import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listBundledApis, loadBundledSpec } from '@carrier-api/specs';
import { escapeHtml } from '../src/html.ts';
import { annotateBehaviour, annotateInferred, behaviourSection, fidelityReport, listBehaviour, listInferred, placeInferred, renderReference } from '../src/index.ts';

/** The annotated spec a page gives Redoc, from its inline script element. */
const inlineSpec = (html: string): unknown => JSON.parse(/<script id="spec" type="application\/json">([\s\S]*?)<\/script>/.exec(html)![1]!);

/** A small spec of our own with one inferred element of each kind the reference must show. */
const fixture = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'inferred.json'), 'utf8')) as Record<string, unknown>;

describe('listInferred', () => {
  it('finds every x-inferred element, names its kind and says where it is', () => {
    expect(listInferred(fixture).map(({ kind, label, pointer }) => [kind, label, pointer])).toEqual([
      ['document', 'the whole document', ''],
      ['server', 'https://gateway.example', '/servers/0'],
      ['operation', 'GET /items/{itemId}', '/paths/~1items~1{itemId}/get'],
      ['parameter', 'GET /items/{itemId} path itemId', '/paths/~1items~1{itemId}/get/parameters/0'],
      ['link', 'GET /items/{itemId} 200 → self', '/paths/~1items~1{itemId}/get/responses/200/links/self'],
      ['response', 'GET /items/{itemId} 404', '/paths/~1items~1{itemId}/get/responses/404'],
      ['security scheme', 'gatewayKey', '/components/securitySchemes/gatewayKey'],
      ['schema', 'Item', '/components/schemas/Item'],
      ['field', 'Item.status', '/components/schemas/Item/properties/status'],
      ['schema', 'Unused', '/components/schemas/Unused'],
    ]);
  });

  it.each([[''], [42], [null]])('refuses an x-inferred that does not say why (%j)', (reason) => {
    expect(() => listInferred({ openapi: '3.0.3', paths: {}, components: { schemas: { A: { type: 'string', 'x-inferred': reason } } } })).toThrow(/x-inferred at \/components\/schemas\/A must say why/);
  });

  it.each(listBundledApis().map((api) => [api.name]))('%s: finds every x-inferred of the real spec (none is left unmarked for the reference)', (name) => {
    const document = loadBundledSpec(name);
    let marked = 0;
    JSON.stringify(document, (key, value: unknown) => (key === 'x-inferred' && marked++, value));
    expect(listInferred(document)).toHaveLength(marked);
  });
});

describe('annotateInferred', () => {
  it('puts a visible note with the reason on each element, the anchor the summary links to, and the document\'s own note at the top of info.description', () => {
    const annotated = annotateInferred(fixture) as { info: { description: string }; paths: Record<string, Record<string, { description: string; parameters: { description: string }[] }>> };
    const operation = annotated.paths['/items/{itemId}']!.get!;
    expect(operation.description).toBe('<p class="carrier-inferred" data-section-id="inferred/paths/~1items~1{itemId}/get"><strong>Inferred</strong>: The document names no URL for reading one item.</p>\n\nReads one item.');
    expect(operation.parameters[0]!.description).toMatch(/^<p class="carrier-inferred" data-section-id="inferred\/paths\/~1items~1\{itemId\}\/get\/parameters\/0">.*digits only &amp; short/);
    expect(annotated.info.description).toMatch(/^<p class="carrier-inferred" data-section-id="inferred"><strong>Inferred<\/strong>: The document has no title page; [^\n]+<\/p>\n\nA spec with one inferred element/);
    expect(annotated, 'Redoc shows no description of the document itself').not.toHaveProperty('description');
    expect((fixture.paths as Record<string, Record<string, { description?: string }>>)['/items/{itemId}']!.get!.description, 'the input is left as it was').toBe('Reads one item.');
  });

  it('lists every element in info.description, one entry each: kind, name linking to where it is shown, reason (raw HTML, no table)', () => {
    const { description } = (annotateInferred(fixture) as { info: { description: string } }).info;
    const summary = description.slice(description.indexOf('## Inferred by carrier-api'));
    expect(summary).not.toMatch(/^\|/m);
    const entries = summary.split('\n').filter((line) => line.startsWith('<li'));
    expect(entries).toHaveLength(listInferred(fixture).length);
    expect(entries).toContain(
      '<li class="carrier-entry"><p class="carrier-element"><span class="carrier-kind">parameter</span> <a href="#inferred/paths/~1items~1%7BitemId%7D/get/parameters/0">GET /items/{itemId} path itemId</a></p><p class="carrier-why">The document shows digits only &amp; short ids.</p></li>',
    );
    expect(entries).toContain(
      '<li class="carrier-entry"><p class="carrier-element"><span class="carrier-kind">server</span> <a href="#operation/getItem">https://gateway.example</a> <span class="carrier-where">in the URL list of GET /items/{itemId}</span></p><p class="carrier-why">The document gives no host.</p></li>',
    );
    expect(entries).toContain('<li class="carrier-entry"><p class="carrier-element"><span class="carrier-kind">schema</span> Unused <span class="carrier-where">used by no operation</span></p><p class="carrier-why">Kept for a later version; no operation uses it yet.</p></li>');
  });
});

describe('placeInferred: where the summary links each element to', () => {
  // Rows: the element, and where a reader finds it: its own note where Redoc shows the element's
  // description, else the first operation that shows the element (and where on it), else nowhere.
  it.each([
    ['', 'inferred', undefined],
    ['/servers/0', 'operation/getItem', 'the URL list of GET /items/{itemId}'],
    ['/paths/~1items~1{itemId}/get', 'inferred/paths/~1items~1{itemId}/get', undefined],
    ['/paths/~1items~1{itemId}/get/parameters/0', 'inferred/paths/~1items~1{itemId}/get/parameters/0', undefined],
    ['/paths/~1items~1{itemId}/get/responses/200/links/self', 'operation/getItem', undefined],
    ['/paths/~1items~1{itemId}/get/responses/404', 'inferred/paths/~1items~1{itemId}/get/responses/404', undefined],
    ['/components/securitySchemes/gatewayKey', 'operation/getItem', 'Authorizations of GET /items/{itemId}'],
    ['/components/schemas/Item', 'operation/getItem', 'GET /items/{itemId}'],
    ['/components/schemas/Item/properties/status', 'inferred/components/schemas/Item/properties/status', undefined],
    ['/components/schemas/Unused', undefined, undefined],
  ])('%j → %s', (pointer, anchor, where) => {
    const inferred = listInferred(fixture);
    const place = placeInferred(fixture, inferred)[inferred.findIndex((element) => element.pointer === pointer)];
    expect(place).toEqual(anchor === undefined ? undefined : { anchor, ...(where ? { where } : {}) });
  });

  it('links a server to the first operation that uses the document\'s servers, not one with servers of its own', () => {
    const document = structuredClone(fixture) as { paths: Record<string, unknown> };
    document.paths = { '/token': { servers: [{ url: 'https://auth.example' }], post: { operationId: 'createToken', responses: {} } }, ...document.paths };
    const inferred = listInferred(document);
    expect(placeInferred(document, inferred)[inferred.findIndex((element) => element.kind === 'server')]?.anchor).toBe('operation/getItem');
  });
});

describe('security schemes of every standard type (http basic and bearer, apiKey in header, query and cookie, oauth2 flows, openIdConnect)', () => {
  const security = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'security.json'), 'utf8')) as Record<string, unknown>;
  type Schemes = Record<string, Record<string, unknown>>;
  const schemes = (document: Record<string, unknown>) => (document.components as { securitySchemes: Schemes }).securitySchemes;

  // Rows: the scheme, the operation whose Authorizations the summary links to (the first that
  // asks for it, alone or with another scheme, through its own security or the document's), or none.
  it.each([
    ['basicAuth', 'operation/readBasic', 'Authorizations of GET /basic'],
    ['bearerAuth', 'operation/writeWithKeys', 'Authorizations of POST /keys'],
    ['headerKey', 'operation/writeWithKeys', 'Authorizations of POST /keys'],
    ['queryKey', 'operation/writeWithKeys', 'Authorizations of POST /keys'],
    ['cookieKey', 'operation/writeWithKeys', 'Authorizations of POST /keys'],
    ['oauth', 'operation/readDelegated', 'Authorizations of GET /delegated'],
    ['openId', 'operation/readDelegated', 'Authorizations of GET /delegated'],
    ['spareKey', undefined, undefined],
  ])('%s: listed, its note on the scheme, linked to %s', (scheme, anchor, where) => {
    const inferred = listInferred(security);
    const index = inferred.findIndex((element) => element.pointer === `/components/securitySchemes/${scheme}`);
    expect(inferred[index]).toMatchObject({ kind: 'security scheme', label: scheme });
    expect(placeInferred(security, inferred)[index]).toEqual(anchor === undefined ? undefined : { anchor, where });
    const annotated = schemes(annotateInferred(security))[scheme]!;
    const { description, ...rest } = annotated;
    const original = schemes(security)[scheme]!;
    expect(description).toBe(
      `<p class="carrier-inferred" data-section-id="inferred/components/securitySchemes/${scheme}"><strong>Inferred</strong>: ${escapeHtml(String(original['x-inferred']))}</p>` +
        (original.description ? `\n\n${String(original.description)}` : ''),
    );
    expect(rest, 'the scheme itself (type, flows, URLs) is left as it was').toEqual((({ description: _, ...scheme }) => scheme)(original));
  });

  it('renders a page whose spec keeps every scheme for Redoc, and lists each scheme once', () => {
    const files = renderReference([{ name: 'security-api', document: security }], '');
    const page = inlineSpec(files['security-api/index.html']!) as Record<string, unknown>;
    expect(Object.keys(schemes(page))).toEqual(Object.keys(schemes(security)));
    expect(Object.values(schemes(page)).map((scheme) => [scheme.type, scheme.scheme ?? scheme.in ?? Object.keys((scheme.flows ?? {}) as object).join(',')])).toEqual([
      ['http', 'basic'],
      ['http', 'bearer'],
      ['apiKey', 'header'],
      ['apiKey', 'query'],
      ['apiKey', 'cookie'],
      ['oauth2', 'implicit,password,clientCredentials,authorizationCode'],
      ['openIdConnect', ''],
      ['apiKey', 'header'],
    ]);
    const description = (page.info as { description: string }).description;
    const listed = [...description.matchAll(/<span class="carrier-kind">security scheme<\/span> (?:<a [^>]+>)?(\w+)/g)].map((match) => match[1]);
    expect(listed).toEqual(Object.keys(schemes(security)));
    expect(files['index.html']).toContain('8 inferred');
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
    expect(files['index.html']).toContain('10 inferred');
    // The spec is inline: the "</script>" in its description must not end the script element early.
    expect((inlineSpec(files['fixture-api/index.html']!) as { info: { description: string } }).info.description).toContain('It mentions </script> once.');
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

  it.each(listBundledApis().map((api) => [api.name]))('%s: each x-behaviour is on its page, its x-inferred once as a behaviour row, and counted on the landing page', (name) => {
    const document = loadBundledSpec(name);
    const behaviours = listBehaviour(document);
    const files = renderReference([{ name, document }], '');
    const page = inlineSpec(files[`${name}/index.html`]!) as { paths: Operations };
    for (const behaviour of behaviours) {
      expect(page.paths[behaviour.path]![behaviour.method]!.description).toContain(behaviourSection(behaviour));
      const rows = listInferred(document).filter((element) => element.pointer === `${behaviour.pointer}/x-behaviour`);
      expect(rows.map((element) => element.label)).toEqual(behaviour.inferred ? [`${behaviour.label} behaviour (sandbox)`] : []);
    }
    expect(files['index.html']).toContain(`${behaviours.length} behaviour rule(s)`);
  });
});
