import { sample } from 'openapi-sampler';
import type { CaseInput, ContractCase } from '@carrier-api/contract-tests';
import { createSpecValidator } from '@carrier-api/schema-validator';
import { deref, listOperations, type OpenApiDocument, type OperationInfo, type ParameterObject, type SchemaObject } from '@carrier-api/spec-kit';

const broken = { enum: 'NOT_A_DOCUMENTED_VALUE', pattern: '!! breaks the pattern !!' };

/**
 * Every case of a spec: per operation, its documented examples and a schema-valid sample
 * (positive, expecting a documented 2xx), and requests missing credentials, a required parameter
 * or body field, or breaking a type, an enum or a pattern (negative, expecting the documented 4xx).
 */
export function deriveCases(document: OpenApiDocument): ContractCase[] {
  const validator = createSpecValidator(document);
  const operations = listOperations(document);
  const cases = operations.flatMap((operation) => deriveOperationCases(document, operation, validator));
  return bindInputs(operations, cases);
}

/**
 * A value written in the spec that names something on the server (a transaction id, a refresh
 * token, a service with a data pool) only works against a server that holds it. Such values are
 * taken at run time from the answer of an earlier request, never from fixtures:
 *
 * - a path parameter an OpenAPI link fills (`startTransaction` → `getTransaction`'s
 *   `transactionId`): every positive case of the target takes it from the source's first positive case;
 * - the body fields of {@link documentedSources} (no link can name one body field);
 * - a `pin` body field: the subscriber's PIN is no spec value; it comes from `--pin`.
 *
 * A GET lookup whose parameters are only the spec's example data (no link fills them) and that
 * documents a 404 may answer that 404: the server holds no such data. Its positive cases expect
 * the 2xx or the documented 404 (whose body is checked like any other).
 */
function bindInputs(operations: OperationInfo[], cases: ContractCase[]): ContractCase[] {
  const firstPositive = (operationId: string) => cases.find((c) => c.operationId === operationId && c.kind === 'positive');
  const linked = linkedParameters(operations);
  for (const testCase of cases) {
    if (testCase.kind !== 'positive') continue;
    const operation = operations.find((candidate) => candidate.operationId === testCase.operationId)!;
    const uses: CaseInput[] = [];
    for (const link of linked.filter((candidate) => candidate.target === operation.operationId && candidate.in === 'path')) {
      const source = firstPositive(link.source);
      if (source) uses.push({ target: `path:${link.parameter}`, fromCase: source.id, expression: link.expression, via: link.pointer });
    }
    for (const source of documentedSources.filter((candidate) => candidate.caseId === testCase.id)) {
      if (cases.some((c) => c.id === source.fromCase)) uses.push({ target: source.target, fromCase: source.fromCase, expression: source.expression, via: source.via });
    }
    const body = testCase.request.body;
    if (isRecord(body) && 'pin' in body) uses.push({ target: 'body:pin', option: 'pin', via: 'the PIN the subscriber received ("Submit PIN"): a test PIN of the server, from --pin' });
    if (uses.length > 0) testCase.uses = uses;
    const hasLinkedPath = linked.some((candidate) => candidate.target === operation.operationId && candidate.in === 'path');
    if (operation.method === 'get' && operation.responses['404'] && !hasLinkedPath && !testCase.expect.statuses.includes('404')) {
      testCase.expect.statuses = [...testCase.expect.statuses, '404'];
      testCase.name = `${testCase.name} (a lookup of the spec's example data: its 2xx, or the documented 404 when the server holds none)`;
    }
  }
  for (const testCase of cases) {
    const operation = operations.find((candidate) => candidate.operationId === testCase.operationId)!;
    const executes = testCase.kind === 'positive' && operation.method !== 'get' && operation.security.length > 0;
    const sources = (testCase.uses ?? []).map((input) => cases.find((c) => c.id === input.fromCase)).filter((c): c is ContractCase => c !== undefined);
    if (executes || sources.some((source) => source.changesState)) testCase.changesState = true;
  }
  return cases;
}

/**
 * Values of the request body that name something the server issued, with the documented relation
 * that says which earlier answer holds them. OpenAPI links fill parameters or a whole body, never
 * one body field, so these are listed here.
 */
const documentedSources: Array<{ caseId: string; target: string; fromCase: string; expression: string; via: string }> = [
  {
    caseId: 'createToken/positive/example-refreshtoken',
    target: 'body:refresh_token',
    fromCase: 'createToken/positive/example-password',
    expression: '$response.body#/refresh_token',
    via: 'the token endpoint\'s description: "grant_type=refresh_token with refresh_token renews it" (a token the password grant issued)',
  },
  {
    caseId: 'assignData/positive/schema-sample',
    target: 'body:serviceKey',
    fromCase: 'listServices/positive/documented-parameters',
    expression: '$response.body#/0/serviceKey',
    via: '"Get all services and packages for the merchant": data is assigned from the data pool of one of them',
  },
];

interface LinkedParameter {
  source: string;
  target: string;
  in: string;
  parameter: string;
  expression: string;
  /** The link, as a JSON pointer into the bundle. */
  pointer: string;
}

/** Every parameter an OpenAPI link of a 2xx response fills, by a `$response.body#/...` expression. */
export function linkedParameters(operations: OperationInfo[]): LinkedParameter[] {
  const found: LinkedParameter[] = [];
  for (const operation of operations) {
    for (const [status, response] of Object.entries(operation.responses)) {
      if (!status.startsWith('2')) continue;
      for (const [name, link] of Object.entries((response as { links?: Record<string, { operationId?: string; parameters?: Record<string, unknown> }> }).links ?? {})) {
        const target = operations.find((candidate) => candidate.operationId === link.operationId);
        if (!target) continue;
        for (const [qualified, expression] of Object.entries(link.parameters ?? {})) {
          if (typeof expression !== 'string' || !expression.startsWith('$response.body#')) continue;
          const [where, parameterName] = qualified.includes('.') ? (qualified.split('.', 2) as [string, string]) : [undefined, qualified];
          const parameter = target.parameters.find((p) => p.name === parameterName && (!where || p.in === where));
          if (!parameter) continue;
          found.push({ source: operation.operationId, target: target.operationId, in: parameter.in, parameter: parameter.name, expression, pointer: `${operationPointer(operation)}/responses/${status}/links/${escape(name)}` });
        }
      }
    }
  }
  return found;
}

function deriveOperationCases(document: OpenApiDocument, operation: OperationInfo, validator: ReturnType<typeof createSpecValidator>): ContractCase[] {
  const documented = Object.keys(operation.responses);
  const success = documented.filter((status) => status.startsWith('2'));
  const badRequest = documented.includes('400') ? ['400'] : documented.filter((status) => status.startsWith('4') && status !== '401');
  const unauthorized = documented.includes('401') ? ['401'] : badRequest;
  const cases: ContractCase[] = [];
  const add = (kind: ContractCase['kind'], slug: string, name: string, request: Request, statuses: string[], authenticated = true) => {
    if (statuses.length === 0) return; // nothing documented to expect
    const enforces = `${operationPointer(operation)}/responses/${statuses.join('|')}: ${kind === 'positive' ? 'a documented request gets a documented success' : `a request with ${name} gets the documented ${statuses.join(' or ')}`}, with its documented headers, content type and body schema`;
    cases.push({ id: `${operation.operationId}/${kind}/${slug}`, operationId: operation.operationId, kind, name, enforces, request: render(operation, request), authenticated, expect: { statuses } });
  };

  const media = requestMedia(operation);
  const bodyPointer = media ? `${operationPointer(operation)}/requestBody/content/${escape(media.type)}/schema` : undefined;
  const bodySchema = media ? deref<SchemaObject>(document, media.schema) : undefined;

  // Positive: each documented body example, then a sample built from the schemas alone.
  const examples = media ? Object.entries(media.examples) : [];
  const base: Request = { parameters: parameterValues(document, operation), body: examples[0]?.[1], contentType: media?.type };
  if (examples.length === 0 && !media) add('positive', 'documented-parameters', 'documented parameters', base, success);
  for (const [name, body] of examples) add('positive', `example-${slug(name)}`, `documented example "${name}"`, { ...base, body }, success);
  if (media && bodyPointer) {
    const sampled = sample(structuredClone(media.schema) as never, { skipReadOnly: true }, structuredClone(document) as never);
    if (validator.validate(bodyPointer, sampled).length === 0) add('positive', 'schema-sample', 'schema-valid sample body', { ...base, body: sampled }, success);
    if (examples.length === 0) base.body = sampled;
  }

  // Negative: credentials, required parameters, then the body's fields.
  if (operation.security.length > 0) add('negative', 'missing-credentials', 'missing credentials', base, unauthorized, false);
  for (const parameter of operation.parameters.filter((p) => p.required && p.in !== 'path')) {
    const parameters = { ...base.parameters, [key(parameter)]: undefined };
    add('negative', `missing-${parameter.in}-${slug(parameter.name)}`, `missing required ${parameter.in} parameter ${parameter.name}`, { ...base, parameters }, badRequest);
  }
  for (const parameter of operation.parameters.filter((p) => p.in !== 'path' && p.schema)) {
    const schema = deref<SchemaObject>(document, parameter.schema!);
    if (schema.pattern) {
      add('negative', `pattern-${parameter.in}-${slug(parameter.name)}`, `${parameter.in} parameter ${parameter.name} breaks its pattern`, { ...base, parameters: { ...base.parameters, [key(parameter)]: broken.pattern } }, badRequest);
    }
  }
  if (bodySchema && isRecord(base.body) && media?.type === 'application/json') {
    for (const field of bodySchema.required ?? []) {
      const { [field]: _, ...body } = base.body;
      add('negative', `missing-body-${slug(field)}`, `missing required body field ${field}`, { ...base, body }, badRequest);
    }
    for (const [field, raw] of Object.entries(bodySchema.properties ?? {})) {
      const schema = deref<SchemaObject>(document, raw);
      const wrong = wrongType(schema);
      if (wrong !== undefined) add('negative', `type-body-${slug(field)}`, `body field ${field} of the wrong type`, { ...base, body: { ...base.body, [field]: wrong } }, badRequest);
      if (schema.enum) add('negative', `enum-body-${slug(field)}`, `body field ${field} outside its enum`, { ...base, body: { ...base.body, [field]: broken.enum } }, badRequest);
      if (schema.pattern) add('negative', `pattern-body-${slug(field)}`, `body field ${field} breaks its pattern`, { ...base, body: { ...base.body, [field]: broken.pattern } }, badRequest);
    }
  }
  if (bodySchema && isRecord(base.body) && media?.type === 'application/x-www-form-urlencoded') {
    for (const field of bodySchema.required ?? []) {
      const { [field]: _, ...body } = base.body;
      add('negative', `missing-body-${slug(field)}`, `missing required form field ${field}`, { ...base, body }, badRequest);
    }
    for (const [field, raw] of Object.entries(bodySchema.properties ?? {})) {
      if (deref<SchemaObject>(document, raw).enum) add('negative', `enum-body-${slug(field)}`, `form field ${field} outside its enum`, { ...base, body: { ...base.body, [field]: broken.enum } }, badRequest);
    }
  }
  return cases;
}

interface Request {
  /** `<in>:<name>` → value; undefined leaves it out. */
  parameters: Record<string, string | undefined>;
  body?: unknown;
  contentType?: string;
}

function render(operation: OperationInfo, request: Request): ContractCase['request'] {
  const value = (parameter: ParameterObject) => request.parameters[key(parameter)];
  const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(request.parameters[`path:${name}`] ?? ''));
  const pick = (location: string) =>
    Object.fromEntries(operation.parameters.filter((p) => p.in === location && value(p) !== undefined).map((p) => [p.name, value(p)!]));
  const pathParameters = Object.fromEntries(operation.parameters.filter((p) => p.in === 'path').map((p) => [p.name, request.parameters[`path:${p.name}`] ?? '']));
  return {
    method: operation.method.toUpperCase(),
    path,
    ...(Object.keys(pathParameters).length > 0 ? { pathParameters } : {}),
    query: pick('query'),
    headers: pick('header'),
    ...(request.body !== undefined ? { contentType: request.contentType, body: request.body } : {}),
  };
}

/** A value per parameter: its example, else its schema's example, else a sample (required ones only). */
function parameterValues(document: OpenApiDocument, operation: OperationInfo): Record<string, string | undefined> {
  const values: Record<string, string | undefined> = {};
  for (const parameter of operation.parameters) {
    const schema = parameter.schema ? deref<SchemaObject>(document, parameter.schema) : undefined;
    const example = parameter.example ?? schema?.example;
    if (example !== undefined) values[key(parameter)] = String(example);
    else if (parameter.required && schema) values[key(parameter)] = String(sample(structuredClone(schema) as never, {}, structuredClone(document) as never));
  }
  return values;
}

function requestMedia(operation: OperationInfo) {
  const content = operation.requestBody?.content ?? {};
  const type = ['application/json', 'application/x-www-form-urlencoded'].find((candidate) => content[candidate]?.schema);
  if (!type) return undefined;
  const media = content[type]!;
  const examples: Record<string, unknown> = {};
  for (const [name, example] of Object.entries(media.examples ?? {})) examples[name] = (example as { value: unknown }).value;
  if (media.example !== undefined) examples.example = media.example;
  return { type, schema: media.schema!, examples };
}

function wrongType(schema: SchemaObject): unknown {
  if (schema.oneOf || schema.anyOf || schema.allOf) return undefined;
  switch (schema.type) {
    case 'string':
      return 12345;
    case 'integer':
    case 'number':
      return 'not-a-number';
    case 'boolean':
      return 'yes';
    case 'object':
      return 'not-an-object';
    case 'array':
      return 'not-an-array';
    default:
      return undefined;
  }
}

const key = (parameter: ParameterObject) => `${parameter.in}:${parameter.name}`;
const escape = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');
const slug = (text: string) => text.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase();
const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
export const operationPointer = (operation: OperationInfo) => `#/paths/${escape(operation.path)}/${operation.method}`;
