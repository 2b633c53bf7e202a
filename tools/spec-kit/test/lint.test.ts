import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { listApis, specEntry } from '../src/apis.ts';
import { formatProblem, lintSpecs } from '../src/lint.ts';
import { copySpecs } from './helpers.ts';

describe('lint:specs ruleset', () => {
  // Every API found in specs/, whatever their number: `pnpm new-api` adds one without editing this test.
  it.each(listApis())('finds no problem in %s', async (api) => {
    const problems = await lintSpecs([specEntry(api)]);
    expect(problems.map(formatProblem)).toEqual([]);
  });

  it('takes as APIs the folders of specs/ that hold an openapi.yaml (a fixture folder of its own)', () => {
    const root = mkdtempSync(join(tmpdir(), 'carrier-apis-'));
    for (const [folder, file] of [['zeta-pay', 'openapi.yaml'], ['alpha-sms', 'openapi.yaml'], ['shared', 'schemas.yaml'], ['drafts', 'notes.md']] as const) {
      mkdirSync(join(root, folder));
      writeFileSync(join(root, folder, file), 'openapi: 3.0.3\n');
    }
    writeFileSync(join(root, 'openapi.yaml'), 'openapi: 3.0.3\n');
    expect(listApis(root)).toEqual(['alpha-sms', 'zeta-pay']);
    expect(specEntry('zeta-pay', root)).toBe(join(root, 'zeta-pay', 'openapi.yaml'));
    expect(() => specEntry('drafts', root)).toThrow('Unknown API "drafts"');
  });

  // Each mistake must come back naming the file, the JSON pointer and the rule.
  const mistakes = [
    {
      name: 'a broken $ref',
      edit: (s: string) => s.replace("$ref: '#/components/schemas/PinRequest'", "$ref: '#/components/schemas/PinRequets'"),
      rule: 'no-unresolved-refs',
      pointer: '#/paths/~1auth~1transactions~1{transactionId}~1pin/post/requestBody/content/application~1json/schema',
    },
    {
      name: 'an invalid example',
      edit: (s: string) => s.replace('                  pin: string', '                  pin: 1234'),
      rule: 'no-invalid-media-type-examples',
      pointer: '#/paths/~1auth~1transactions~1{transactionId}~1pin/post/requestBody/content/application~1json/examples/documented/value/pin',
    },
    {
      name: 'a missing operationId',
      // Anchored to the operation's own line: links name operationIds too.
      edit: (s: string) => s.replace(/^      operationId: submitPin\n/m, ''),
      rule: 'operation-operationId',
      pointer: '#/paths/~1auth~1transactions~1{transactionId}~1pin/post/operationId',
    },
    {
      name: 'an operationId that is no method name',
      edit: (s: string) => s.replace(/^      operationId: submitPin$/m, '      operationId: Submit_PIN'),
      rule: 'carrier/operation-id-camel-case',
      pointer: '#/paths/~1auth~1transactions~1{transactionId}~1pin/post/operationId',
    },
    {
      name: 'an error response without a body schema',
      edit: (s: string) => s.replace("        '429':\n", "        '428':\n          description: No body here.\n        '429':\n"),
      rule: 'carrier/error-response-has-body-schema',
      pointer: "#/paths/~1auth~1transactions~1{transactionId}~1pin/post/responses/428",
    },
    {
      name: 'an x-inferred without a reason',
      edit: (s: string) => s.replace(/x-inferred: Only MO appears.*\n/, 'x-inferred: yes\n'),
      rule: 'carrier/inferred-has-reason',
      pointer: '#/components/schemas/Action/properties/type/x-inferred',
    },
    {
      name: 'an x-behaviour that quotes no vendor sentence',
      edit: (s: string) => s.replace(/( {8}implements: >-\n {10})001 "Starting a transaction"/, '$1the sandbox starts a transaction'),
      rule: 'carrier/behaviour-names-its-sentence',
      pointer: '#/paths/~1auth~1transactions/post/x-behaviour/implements',
    },
    {
      name: 'an x-behaviour with a key it does not know',
      edit: (s: string) => s.replace(/( {6}x-behaviour:\n)( {8}implements: >-\n {10}001 "Starting a transaction")/, '$1        implement: the sandbox starts a transaction\n$2'),
      rule: 'carrier/behaviour-names-its-sentence',
      pointer: '#/paths/~1auth~1transactions/post/x-behaviour/implement',
    },
    {
      name: 'an unused component',
      edit: (s: string) => s.replace('  schemas:\n    TransactionType:', '  schemas:\n    Orphan:\n      type: string\n      description: Nobody uses me.\n    TransactionType:'),
      rule: 'no-unused-components',
      pointer: '#/components/schemas/Orphan',
    },
    {
      name: 'a parameter without a description',
      edit: (s: string) => s.replace('      description: Unique value generate on our platform on initiation of the transaction\n', ''),
      rule: 'parameter-description',
      pointer: '#/components/parameters/TransactionId',
    },
  ];

  it.each(mistakes)('reports $name with file, pointer and rule', async ({ edit, rule, pointer }) => {
    const specs = copySpecs();
    const file = join(specs, 'centili-payments', 'openapi.yaml');
    const original = readFileSync(file, 'utf8');
    const broken = edit(original);
    expect(broken, 'the fixture edit must change the spec').not.toBe(original);
    writeFileSync(file, broken);

    const problems = await lintSpecs([file]);
    const match = problems.find((problem) => problem.ruleId === rule);
    expect(match, `expected a ${rule} problem, got:\n${problems.map(formatProblem).join('\n')}`).toBeDefined();
    expect(match!.severity).toBe('error');
    expect(match!.pointer).toBe(pointer);
    expect(match!.file).toMatch(/centili-payments[/\\]openapi\.yaml$/);
    expect(formatProblem(match!)).toMatch(new RegExp(`openapi\\.yaml:\\d+:\\d+ .* error ${rule.replace('/', '\\/')}: `));
  });
});

// A carrier may authenticate with any scheme OpenAPI 3.0 defines: the ruleset (redocly.yaml and
// the carrier/* rules) must accept each in a well-formed spec, and still refuse a broken one.
describe('lint:specs ruleset and security schemes', () => {
  const fixture = parse(readFileSync(join(import.meta.dirname, 'fixtures', 'security-schemes', 'openapi.yaml'), 'utf8')) as Record<string, any>;
  const write = (edit: (document: Record<string, any>) => void) => {
    const document = structuredClone(fixture);
    edit(document);
    const file = join(mkdtempSync(join(tmpdir(), 'carrier-security-')), 'openapi.yaml');
    writeFileSync(file, stringify(document));
    return file;
  };
  const oauthScopes = { 'balance:read': 'Read the balance.' };
  const accepted: { name: string; schemes: Record<string, unknown>; security?: Record<string, string[]>[]; getBalance?: Record<string, string[]>[] }[] = [
    { name: 'http bearer with a bearerFormat', schemes: { fixtureAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A JWT access token.' } } },
    { name: 'http bearer without a bearerFormat', schemes: { fixtureAuth: { type: 'http', scheme: 'bearer' } } },
    { name: 'http basic', schemes: { fixtureAuth: { type: 'http', scheme: 'basic', description: 'Username and password.' } } },
    { name: 'apiKey in a header', schemes: { fixtureAuth: { type: 'apiKey', in: 'header', name: 'X-API-Key' } } },
    { name: 'apiKey in the query', schemes: { fixtureAuth: { type: 'apiKey', in: 'query', name: 'api_key' } } },
    { name: 'apiKey in a cookie', schemes: { fixtureAuth: { type: 'apiKey', in: 'cookie', name: 'session' } } },
    { name: 'oauth2 clientCredentials, with a scope required', schemes: { fixtureAuth: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: 'https://auth.carrier.test/token', scopes: oauthScopes } } } }, security: [{ fixtureAuth: ['balance:read'] }] },
    { name: 'oauth2 password with a refreshUrl', schemes: { fixtureAuth: { type: 'oauth2', flows: { password: { tokenUrl: 'https://auth.carrier.test/token', refreshUrl: 'https://auth.carrier.test/token', scopes: {} } } } } },
    { name: 'oauth2 authorizationCode', schemes: { fixtureAuth: { type: 'oauth2', flows: { authorizationCode: { authorizationUrl: 'https://auth.carrier.test/authorize', tokenUrl: 'https://auth.carrier.test/token', refreshUrl: 'https://auth.carrier.test/token', scopes: oauthScopes } } } }, security: [{ fixtureAuth: ['balance:read'] }] },
    { name: 'oauth2 implicit', schemes: { fixtureAuth: { type: 'oauth2', flows: { implicit: { authorizationUrl: 'https://auth.carrier.test/authorize', scopes: oauthScopes } } } } },
    { name: 'oauth2 with two flows', schemes: { fixtureAuth: { type: 'oauth2', flows: { password: { tokenUrl: 'https://auth.carrier.test/token', scopes: {} }, clientCredentials: { tokenUrl: 'https://auth.carrier.test/token', scopes: {} } } } } },
    { name: 'openIdConnect', schemes: { fixtureAuth: { type: 'openIdConnect', openIdConnectUrl: 'https://auth.carrier.test/.well-known/openid-configuration' } } },
    {
      name: 'alternatives [A, B] and a combined requirement {A, B}, overridden by an operation',
      schemes: { fixtureAuth: { type: 'http', scheme: 'bearer' }, fixtureKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' } },
      security: [{ fixtureAuth: [] }, { fixtureKey: [] }],
      getBalance: [{ fixtureAuth: [], fixtureKey: [] }],
    },
  ];

  it.each(accepted)('accepts $name', async ({ schemes, security, getBalance }) => {
    const file = write((document) => {
      document.components.securitySchemes = schemes;
      if (security) document.security = security;
      if (getBalance) document.paths['/balance'].get.security = getBalance;
    });
    expect((await lintSpecs([file])).map(formatProblem)).toEqual([]);
  });

  // The same fixture, broken: the rows above reach the ruleset, which would say so.
  const refused = [
    { name: 'an apiKey without `in`', edit: (document: Record<string, any>) => (document.components.securitySchemes = { fixtureAuth: { type: 'apiKey', name: 'X-API-Key' } }), rule: 'struct', pointer: '#/components/securitySchemes/fixtureAuth' },
    { name: 'an oauth2 flow without its tokenUrl', edit: (document: Record<string, any>) => (document.components.securitySchemes = { fixtureAuth: { type: 'oauth2', flows: { clientCredentials: { scopes: {} } } } }), rule: 'struct', pointer: '#/components/securitySchemes/fixtureAuth/flows/clientCredentials' },
    { name: 'a requirement naming no scheme', edit: (document: Record<string, any>) => (document.security = [{ nobody: [] }]), rule: 'security-defined', pointer: '#/security/0/nobody' },
  ];

  it.each(refused)('refuses $name ($rule)', async ({ edit, rule, pointer }) => {
    const problems = await lintSpecs([write(edit)]);
    expect(problems.map((problem) => `${problem.ruleId} ${problem.pointer}`), problems.map(formatProblem).join('\n')).toContain(`${rule} ${pointer}`);
  });
});
