import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listApis, specEntry } from '../src/apis.ts';
import { formatProblem, lintSpecs } from '../src/lint.ts';
import { copySpecs } from './helpers.ts';

describe('lint:specs ruleset', () => {
  it('finds no problem in any spec', async () => {
    const problems = await lintSpecs(listApis().map((api) => specEntry(api)));
    expect(problems.map(formatProblem)).toEqual([]);
  });

  it('knows all five APIs', () => {
    expect(listApis()).toEqual([
      'centili-data-gifting',
      'centili-packages',
      'centili-payments',
      'centili-services',
      'mtn-ng-data-gifting',
    ]);
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
