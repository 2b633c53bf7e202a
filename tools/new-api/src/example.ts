import { sample } from 'openapi-sampler';
import { deref, listOperations, type OpenApiDocument, type OperationInfo, type ParameterObject, type SchemaObject } from '@carrier-api/spec-kit';
import { apiTypeName, clientFactoryName, sdkFactoryName } from './templates.ts';

/** A call of one operation with values from the spec: what a README shows and a first test sends. */
export interface ExampleCall {
  operation: OperationInfo;
  /** Path, query and header values, by location then name (required parameters only). */
  params: Partial<Record<'path' | 'query' | 'header', Record<string, unknown>>>;
  /** The request body, when the operation takes one. */
  body?: unknown;
  /** The first 2xx status the spec documents: what the mock answers. */
  status: number;
  auth: { type: 'apiKey' } | { type: 'oauth2' };
}

/** An operation without the API's own credentials (the OAuth2 token endpoint) makes a poor example. */
const isTokenEndpoint = (operation: OperationInfo) => operation.security.length === 0;

/**
 * The example call of an API: its first operation that takes the API's credentials (the first
 * one at all when none does), with each required parameter's and the body's documented example,
 * or a value sampled from the schema when the spec gives none. Headers the runtime sets itself
 * (Idempotency-Key, an `x-request-reference`) are left to it.
 *
 * @throws {Error} the spec has no operation, or no 2xx response on the chosen one.
 */
export function exampleCall(document: OpenApiDocument): ExampleCall {
  const operations = listOperations(document);
  const operation = operations.find((candidate) => !isTokenEndpoint(candidate)) ?? operations[0];
  if (!operation) throw new Error('the spec has no operation to show');
  const status = Object.keys(operation.responses).map(Number).find((code) => code >= 200 && code < 300);
  if (status === undefined) throw new Error(`${operation.operationId} documents no 2xx response`);
  const params: ExampleCall['params'] = {};
  for (const parameter of operation.parameters) {
    if (!parameter.required || parameter.in === 'cookie') continue;
    if (parameter.in === 'header' && (parameter.name.toLowerCase() === 'idempotency-key' || 'x-request-reference' in parameter)) continue;
    const location = parameter.in as 'path' | 'query' | 'header';
    (params[location] ??= {})[parameter.name] = parameterExample(document, parameter);
  }
  const media = operation.requestBody?.content?.['application/json'];
  const body = media ? (media.example ?? firstExample(document, media.examples) ?? sampled(document, media.schema)) : undefined;
  const schemes = Object.values(document.components?.securitySchemes ?? {}).map((scheme) => deref(document, scheme));
  const auth = schemes[0]?.type === 'oauth2' ? ({ type: 'oauth2' } as const) : ({ type: 'apiKey' } as const);
  return { operation, params, ...(media ? { body } : {}), status, auth };
}

function parameterExample(document: OpenApiDocument, parameter: ParameterObject): unknown {
  const schema = parameter.schema ? deref(document, parameter.schema) : undefined;
  return parameter.example ?? firstExample(document, parameter.examples) ?? schema?.example ?? schema?.default ?? schema?.enum?.[0] ?? sampled(document, schema);
}

function firstExample(document: OpenApiDocument, examples: Record<string, unknown> | undefined): unknown {
  const first = Object.values(examples ?? {})[0];
  return first === undefined ? undefined : (deref(document, first as object) as { value?: unknown }).value;
}

function sampled(document: OpenApiDocument, schema: SchemaObject | { $ref: string } | undefined): unknown {
  if (!schema) return undefined;
  // The sampler annotates what it is given: copies, so that the bundle stays as it was.
  return sample(structuredClone(schema) as never, { skipReadOnly: true, skipNonRequired: true }, structuredClone(document) as never);
}

/** A value as TypeScript source: object keys unquoted when they are identifiers. */
export function toSource(value: unknown): string {
  if (value instanceof SdkDate) return `new Date(${toSource(value.value)})`;
  if (Array.isArray(value)) return `[${value.map(toSource).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    if (entries.length === 0) return '{}';
    return `{ ${entries.map(([key, item]) => `${/^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key)}: ${toSource(item)}`).join(', ')} }`;
  }
  return typeof value === 'string' ? `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : JSON.stringify(value);
}

/** The light client call: `client.POST('/orders', { params: ..., body: ... })`. */
export function clientCallSource(call: ExampleCall, client = 'client'): string {
  const init: Record<string, unknown> = {};
  if (Object.keys(call.params).length > 0) init.params = call.params;
  if ('body' in call) init.body = call.body;
  const method = call.operation.method.toUpperCase();
  return `${client}.${method}('${call.operation.path}'${Object.keys(init).length > 0 ? `, ${toSource(init)}` : ''})`;
}

/**
 * typescript-fetch's names: parameters in camelCase (`paramNaming: camelCase`), and the body
 * under `x-codegen-request-body-name`, else its model's name in camelCase (a named schema, or
 * the `<operationId>Request` model the generator makes of an inline one).
 */
export function sdkRequestSource(call: ExampleCall, document: OpenApiDocument): string {
  const request: Record<string, unknown> = {};
  for (const parameter of call.operation.parameters) {
    const value = call.params[parameter.in as 'path' | 'query' | 'header']?.[parameter.name];
    if (value !== undefined) request[camelCase(parameter.name)] = asSdkValue(document, parameter.schema, value);
  }
  if ('body' in call) request[sdkBodyName(call.operation)] = asSdkValue(document, call.operation.requestBody?.content?.['application/json']?.schema, call.body);
  return toSource(request);
}

/** A date the SDK takes as a `Date` (typescript-fetch types `format: date`/`date-time` so); {@link toSource} writes `new Date(...)`. */
class SdkDate {
  constructor(readonly value: string) {}
}

/** The value with every string the schema says is a date made an {@link SdkDate}; the rest as it is. */
function asSdkValue(document: OpenApiDocument, raw: SchemaObject | { $ref: string } | undefined, value: unknown): unknown {
  if (!raw) return value;
  const schema = deref(document, raw);
  const merged = [schema, ...(schema.allOf ?? []).map((part) => deref(document, part))];
  if (typeof value === 'string' && merged.some((part) => part.format === 'date' || part.format === 'date-time')) return new SdkDate(value);
  if (Array.isArray(value)) {
    const items = merged.map((part) => (part as { items?: SchemaObject | { $ref: string } }).items).find(Boolean);
    return value.map((item) => asSdkValue(document, items, item));
  }
  if (value !== null && typeof value === 'object') {
    const properties = Object.assign({}, ...merged.map((part) => part.properties ?? {})) as Record<string, SchemaObject | { $ref: string }>;
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, asSdkValue(document, properties[key], item)]));
  }
  return value;
}

function sdkBodyName(operation: OperationInfo): string {
  const named = (operation.operation as { 'x-codegen-request-body-name'?: string })['x-codegen-request-body-name'];
  if (named) return named;
  const ref = (operation.operation.requestBody as { content?: Record<string, { schema?: { $ref?: string } }> } | undefined)?.content?.['application/json']?.schema?.$ref;
  const model = ref ? ref.split('/').pop()! : `${operation.operationId}Request`;
  const pascal = camelCase(model);
  return pascal.charAt(0).toLowerCase() + pascal.slice(1);
}

/** `X-Request-Id` → `xRequestId`, `sender_msisdn` → `senderMsisdn`, `serviceKey` stays. */
export function camelCase(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return words.map((word, index) => (index === 0 ? word.charAt(0).toLowerCase() + word.slice(1) : word.charAt(0).toUpperCase() + word.slice(1))).join('');
}

const envPrefix = (api: string) => api.toUpperCase().replace(/-/g, '_');

/** The `auth` option of a README: credentials from the environment. */
export function readmeAuthSource(api: string, call: ExampleCall): string {
  return call.auth.type === 'apiKey'
    ? `{ apiKey: process.env.${envPrefix(api)}_API_KEY! }`
    : `{ clientId: 'my-app', username: process.env.${envPrefix(api)}_USERNAME!, password: process.env.${envPrefix(api)}_PASSWORD! }`;
}

/** The `auth` option of a test against the mock (which takes any credentials its spec accepts). */
export function mockAuthSource(api: string, call: ExampleCall): string {
  return call.auth.type === 'apiKey'
    ? `{ apiKey: 'test-key' }`
    : `{ clientId: 'test-app', username: 'test', password: 'test', tokenUrl: mock.tokenUrl('${api}') }`;
}

export { apiTypeName, clientFactoryName, sdkFactoryName };
