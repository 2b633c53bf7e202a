import { sample } from 'openapi-sampler';
import type { ContractCase } from '@carrier-api/contract-tests';
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
  return listOperations(document).flatMap((operation) => deriveOperationCases(document, operation, validator));
}

function deriveOperationCases(document: OpenApiDocument, operation: OperationInfo, validator: ReturnType<typeof createSpecValidator>): ContractCase[] {
  const documented = Object.keys(operation.responses);
  const success = documented.filter((status) => status.startsWith('2'));
  const badRequest = documented.includes('400') ? ['400'] : documented.filter((status) => status.startsWith('4') && status !== '401');
  const unauthorized = documented.includes('401') ? ['401'] : badRequest;
  const cases: ContractCase[] = [];
  const add = (kind: ContractCase['kind'], slug: string, name: string, request: Request, statuses: string[], authenticated = true) => {
    if (statuses.length === 0) return; // nothing documented to expect
    cases.push({ id: `${operation.operationId}/${kind}/${slug}`, operationId: operation.operationId, kind, name, request: render(operation, request), authenticated, expect: { statuses } });
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
  return {
    method: operation.method.toUpperCase(),
    path,
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
