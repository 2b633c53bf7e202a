import type { RunningMock } from '../../src/index.js';
import { send, type SampleOperation, type WireRequest } from './requests.js';

/**
 * Malformed requests, one per row: `change` turns a valid request of any operation into the
 * mistake; `expect` (optional) lists the statuses allowed. Every row runs against every operation
 * of every API. Add a row to add a case.
 */
export interface MalformedRow {
  name: string;
  change: (request: WireRequest) => WireRequest;
  expect?: number[];
  /** The changed request no longer addresses the operation: its error body is the API's, not the operation's. */
  offPath?: boolean;
}
const header = (name: string, value: string) => (request: WireRequest) => ({ ...request, headers: { ...request.headers, [name]: value } });
const withBody = (body: string | Buffer, type?: string) => (request: WireRequest) => ({ ...request, body, headers: { ...request.headers, ...(type ? { 'content-type': type } : {}) } });
const overLimit = Buffer.alloc(10 * 1024 * 1024 + 10, 0x20);

export const malformedRows: MalformedRow[] = [
  { name: 'Content-Type: foo', change: header('content-type', 'foo'), expect: [400, 415] },
  { name: 'Content-Type: foo without a body', change: (r) => ({ ...header('content-type', 'foo')(r), body: undefined }), expect: [400, 415] },
  { name: 'Content-Type: text/plain', change: (r) => (r.body === undefined ? r : header('content-type', 'text/plain')(r)) },
  { name: 'Content-Type: /json', change: header('content-type', '/json'), expect: [400, 415] },
  { name: 'Content-Type: application/json; charset=latin1', change: (r) => (r.body === undefined ? r : header('content-type', 'application/json; charset=latin1')(r)) },
  { name: 'Content-Type: multipart/form-data without boundary', change: (r) => (r.body === undefined ? r : header('content-type', 'multipart/form-data')(r)) },
  { name: 'Content-Encoding: gzip on plain text', change: (r) => (r.body === undefined ? r : header('content-encoding', 'gzip')(r)), expect: undefined },
  { name: 'Accept: foo', change: header('accept', 'foo'), expect: [406] },
  { name: 'Accept: text/html', change: header('accept', 'text/html'), expect: [406] },
  { name: 'Accept: application/json;q=0', change: header('accept', 'application/json;q=0'), expect: [406] },
  { name: 'Accept: */*', change: header('accept', '*/*') },
  { name: 'Accept: application/json, foo', change: header('accept', 'application/json, foo') },
  { name: 'a body over 10 MB', change: withBody(overLimit), expect: [413] },
  { name: 'invalid JSON', change: (r) => withBody('{"a": ', r.headers['content-type'] ?? 'application/json')(r) },
  { name: 'invalid UTF-8', change: (r) => withBody(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), r.headers['content-type'] ?? 'application/json')(r) },
  { name: 'a JSON null', change: (r) => withBody('null', r.headers['content-type'] ?? 'application/json')(r) },
  { name: 'a JSON array', change: (r) => withBody('[1,2,3]', r.headers['content-type'] ?? 'application/json')(r) },
  { name: 'deeply nested JSON', change: (r) => withBody(`${'['.repeat(5000)}${']'.repeat(5000)}`, r.headers['content-type'] ?? 'application/json')(r) },
  { name: 'a number past double precision', change: (r) => withBody('{"amount": 1e400}', r.headers['content-type'] ?? 'application/json')(r) },
  { name: 'non-ASCII property names', change: (r) => withBody('{"\u00e9\ud83d\ude00": [], "\u0000": 1}', r.headers['content-type'] ?? 'application/json')(r) },
  { name: 'a form body with a malformed percent-encoding', change: (r) => (r.headers['content-type']?.includes('form') ? withBody('client_id=%%%&grant_type=password')(r) : r) },
  { name: 'an empty body', change: (r) => ({ ...r, body: undefined }) },
  { name: 'method PATCH', change: (r) => ({ ...r, method: 'PATCH' }), expect: [405] },
  { name: 'a malformed percent-encoding in the path', change: (r) => ({ ...r, path: r.path.replace(/^\/[^/?]+/, '$&%zz') }), expect: [400], offPath: true },
  { name: 'an unknown path', change: (r) => ({ ...r, path: '/no/such/path' }), expect: [404], offPath: true },
  { name: 'a malformed percent-encoding in the query', change: (r) => ({ ...r, path: `${r.path}${r.path.includes('?') ? '&' : '?'}%zz=%zz` }) },
  { name: 'repeated query parameters', change: (r) => ({ ...r, path: r.path.replace(/\?(.*)$/, '?$1&$1') }) },
  { name: 'Latin-1 bytes in a header', change: header('x-note', '\u00e9t\u00e9') },
  { name: 'a non-ASCII bearer token', change: header('authorization', 'Bearer \u00e9\u00e9') },
  { name: 'Authorization: Basic', change: header('authorization', 'Basic dTpw') },
  { name: 'an 8 KB Idempotency-Key', change: header('idempotency-key', 'k'.repeat(8000)) },
  { name: 'headers over 16 KB', change: header('x-padding', 'p'.repeat(20_000)), expect: [431], offPath: true },
  { name: 'an empty X-API-Key', change: header('x-api-key', '') },
  { name: 'Prefer: code=abc', change: header('prefer', 'code=abc'), expect: [400] },
  { name: 'Prefer: code=599 (undocumented)', change: header('prefer', 'code=599') },
  { name: 'Prefer: example=nope', change: header('prefer', 'example=nope') },
];


/** A sandbox only takes tokens it issued: log in on each Centili API and use that token. */
export async function withSandboxTokens(mock: RunningMock, samples: SampleOperation[]): Promise<SampleOperation[]> {
  const tokens = await sandboxTokens(mock);
  return samples.map((sample) =>
    sample.request.headers.authorization && tokens[sample.api] ? { ...sample, request: { ...sample.request, headers: { ...sample.request.headers, authorization: `Bearer ${tokens[sample.api]}` } } } : sample,
  );
}

/** A token of each Centili API's sandbox token endpoint, by API. */
export async function sandboxTokens(mock: RunningMock): Promise<Record<string, string>> {
  const tokens: Record<string, string> = {};
  for (const api of Object.keys(mock.urls).filter((name) => name.startsWith('centili-'))) {
    const response = await send(mock.urls[api]!, { method: 'POST', path: new URL(mock.tokenUrl(api)).pathname, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'client_id=app&grant_type=password&username=u&password=p' });
    tokens[api] = (response.json as { access_token: string }).access_token;
  }
  return tokens;
}

/** One request of a corpus: what it changes (for the reader of a golden file) and the request. */
export interface CorpusRequest {
  name: string;
  request: WireRequest;
}

type Schema = { type?: string | string[]; properties?: Record<string, Schema>; required?: string[]; enum?: unknown[]; pattern?: string; additionalProperties?: unknown; minLength?: number; maxLength?: number; minimum?: number; format?: string; items?: Schema };

/** A value of another JSON type than the schema's, so that the type check fails. */
function wrongType(schema: Schema | undefined): unknown {
  const type = Array.isArray(schema?.type) ? schema!.type[0] : schema?.type;
  switch (type) {
    case 'string':
      return 12345;
    case 'integer':
    case 'number':
      return 'not-a-number';
    case 'boolean':
      return 'yes';
    case 'array':
      return 'not-an-array';
    case 'object':
      return 'not-an-object';
    default:
      return null;
  }
}

/** Values a parameter's schema refuses, as the text a query, header or path carries. */
function refusedTexts(schema: Schema | undefined): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const type = Array.isArray(schema?.type) ? schema!.type[0] : schema?.type;
  if (type === 'integer' || type === 'number') out.push(['not a number', 'abc']);
  if (type === 'boolean') out.push(['not a boolean', 'maybe']);
  if (schema?.enum) out.push(['outside the enum', 'NOT_IN_ENUM']);
  if (schema?.pattern) out.push(['against the pattern', '!!~~']);
  if (schema?.maxLength !== undefined) out.push(['too long', 'x'.repeat(schema.maxLength + 1)]);
  if (schema?.minLength !== undefined && schema.minLength > 1) out.push(['too short', 'x']);
  if (schema?.format === 'date-time' || schema?.format === 'date') out.push(['not a date', 'yesterday']);
  return out;
}

const withHeader = (request: WireRequest, name: string, value: string | undefined): WireRequest => {
  const headers = { ...request.headers };
  if (value === undefined) delete headers[name];
  else headers[name] = value;
  return { ...request, headers };
};

/**
 * Requests that break one rule of the operation's spec each: a required parameter or body field
 * missing, a value of the wrong type, outside its enum or pattern; with the sample as the base.
 * What Prism's validation says of each (status, sl-violations, the described body) is what the
 * golden files hold.
 */
export function validationVariants(sample: SampleOperation): CorpusRequest[] {
  const { operation, request } = sample;
  const variants: CorpusRequest[] = [];
  const url = new URL(request.path, 'http://x');
  const withQuery = (mutate: (query: URLSearchParams) => void) => {
    const query = new URLSearchParams(url.search);
    mutate(query);
    return { ...request, path: `${url.pathname}${query.size > 0 ? `?${query}` : ''}` };
  };
  for (const parameter of operation.request?.query ?? []) {
    const schema = parameter.schema as Schema | undefined;
    if (parameter.required) variants.push({ name: `query ${parameter.name} missing`, request: withQuery((query) => query.delete(parameter.name)) });
    for (const [why, text] of refusedTexts(schema)) variants.push({ name: `query ${parameter.name} ${why}`, request: withQuery((query) => query.set(parameter.name, text)) });
  }
  for (const parameter of operation.request?.headers ?? []) {
    const name = parameter.name.toLowerCase();
    if (name === 'idempotency-key') continue;
    if (parameter.required) variants.push({ name: `header ${parameter.name} missing`, request: withHeader(request, name, undefined) });
    for (const [why, text] of refusedTexts(parameter.schema as Schema | undefined)) variants.push({ name: `header ${parameter.name} ${why}`, request: withHeader(request, name, text) });
  }
  for (const parameter of operation.request?.path ?? []) {
    for (const [why, text] of refusedTexts(parameter.schema as Schema | undefined)) {
      const segments = operation.path.split('/');
      const actual = url.pathname.split('/');
      const at = segments.indexOf(`{${parameter.name}}`);
      if (at < 0) continue;
      actual[at] = encodeURIComponent(text);
      variants.push({ name: `path ${parameter.name} ${why}`, request: { ...request, path: `${actual.join('/')}${url.search}` } });
    }
  }
  const content = operation.request?.body?.contents?.[0];
  const schema = content?.schema as Schema | undefined;
  if (content && request.body !== undefined && schema?.properties) {
    const json = content.mediaType.includes('json');
    const base = json ? (JSON.parse(String(request.body)) as Record<string, unknown>) : Object.fromEntries(new URLSearchParams(String(request.body)));
    const encode = (value: Record<string, unknown>) => (json ? JSON.stringify(value) : new URLSearchParams(value as Record<string, string>).toString());
    const withBody = (value: Record<string, unknown>) => ({ ...request, body: encode(value) });
    for (const [name, property] of Object.entries(schema.properties)) {
      if (schema.required?.includes(name)) {
        const { [name]: _dropped, ...rest } = base;
        variants.push({ name: `body ${name} missing`, request: withBody(rest) });
      }
      if (json) variants.push({ name: `body ${name} of the wrong type`, request: withBody({ ...base, [name]: wrongType(property) }) });
      for (const [why, text] of refusedTexts(property)) if (!json || typeof wrongType(property) === 'number') variants.push({ name: `body ${name} ${why}`, request: withBody({ ...base, [name]: text }) });
    }
    if (schema.additionalProperties === false) variants.push({ name: 'body with an undocumented property', request: withBody({ ...base, undocumentedProperty: 1 }) });
    if (json && schema.type === 'object') variants.push({ name: 'body {}', request: withBody({}) });
  }
  return variants;
}

/** `Prefer: code=` for every documented status, and `Prefer: code=, example=` for every named example of it. */
export function preferVariants(sample: SampleOperation): CorpusRequest[] {
  const variants: CorpusRequest[] = [];
  for (const response of sample.operation.responses) {
    variants.push({ name: `Prefer: code=${response.code}`, request: withHeader(sample.request, 'prefer', `code=${response.code}`) });
    for (const content of response.contents ?? []) {
      for (const example of content.examples ?? []) {
        if ('key' in example) variants.push({ name: `Prefer: code=${response.code}, example=${example.key}`, request: withHeader(sample.request, 'prefer', `code=${response.code}, example=${example.key}`) });
      }
    }
  }
  variants.push({ name: 'Prefer: example=documented', request: withHeader(sample.request, 'prefer', 'example=documented') });
  variants.push({ name: 'Prefer: dynamic=false', request: withHeader(sample.request, 'prefer', 'dynamic=false') });
  variants.push({ name: 'Prefer: code=2xx (not a number)', request: withHeader(sample.request, 'prefer', 'code=2xx') });
  return variants;
}

/** What each security scheme is sent with, right and wrong. */
export function credentialVariants(sample: SampleOperation): CorpusRequest[] {
  if (!sample.operation.security?.length) return [];
  const base = withHeader(withHeader(sample.request, 'authorization', undefined), 'x-api-key', undefined);
  return [
    { name: 'no credentials', request: base },
    { name: 'Authorization: Bearer (no token)', request: withHeader(base, 'authorization', 'Bearer') },
    { name: 'Authorization: bearer t (lower case)', request: withHeader(base, 'authorization', 'bearer t') },
    { name: 'Authorization: Basic dTpw', request: withHeader(base, 'authorization', 'Basic dTpw') },
    { name: 'Authorization: Token t', request: withHeader(base, 'authorization', 'Token t') },
    { name: 'X-API-Key: k', request: withHeader(base, 'x-api-key', 'k') },
    { name: 'X-API-Key and Authorization', request: withHeader(withHeader(base, 'x-api-key', 'k'), 'authorization', 'Bearer t') },
  ];
}

/** Accept headers the operation's responses do and do not satisfy. */
export function acceptVariants(sample: SampleOperation): CorpusRequest[] {
  return ['application/json', 'application/*', 'application/json; charset=utf-8', 'text/plain, application/json;q=0.5', 'application/xml'].map((accept) => ({ name: `Accept: ${accept}`, request: withHeader(sample.request, 'accept', accept) }));
}

/** The whole corpus of one operation: its sample, then every variant kind above and every malformed row. */
export function corpusOf(sample: SampleOperation): CorpusRequest[] {
  return [
    { name: 'the sample', request: sample.request },
    ...validationVariants(sample),
    ...preferVariants(sample),
    ...credentialVariants(sample),
    ...acceptVariants(sample),
    ...malformedRows.map((row) => ({ name: row.name, request: row.change(sample.request) })),
  ];
}

