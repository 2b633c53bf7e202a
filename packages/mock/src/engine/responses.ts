import type { IHttpHeaderParam, IHttpOperation, IHttpOperationResponse, IMediaTypeContent, INodeExample, INodeExternalExample } from '@stoplight/types';
import { sample, SchemaSizeExceededError } from '@stoplight/json-schema-sampler';
import { compileParameters } from './parameters.js';
import { compileSchema, normaliseSchema, violationsOf, type JsonSchema, type Violation } from './validation.js';

/**
 * Which documented response a request gets, and what it holds, as Prism 5.12 decides it
 * (prism-http `mocker`: its negotiator, payload generators and output validation): the lowest
 * 2xx (or `Prefer: code=`), the first example (or `Prefer: example=`), the content the Accept
 * header allows; for a request that breaks the spec its 422 or 400 (400 first where both are documented, see
 * `invalidCodes`), for missing credentials its 401. Unlike Prism, a static answer, with the
 * violations of its own validation against the spec, is built once and then reused.
 */

/** A failure Prism reports as an RFC 7807 problem (its `ProblemJsonError`): the mock answers it in the API's error body. */
export class MockProblem extends Error {
  constructor(
    /** HTTP status; 500 and above are the mock's own failures. */
    readonly status: number,
    /** Prism's type of the problem (`NOT_FOUND`), which names it as Prism names its errors. */
    type: string,
    /** Prism's title of the problem. */
    title: string,
    /** What went wrong, for the error body's message. */
    readonly detail: string,
    /** Headers to send with it (`WWW-Authenticate`). */
    readonly headers: Record<string, string> = {},
  ) {
    super(title);
    this.name = `https://stoplight.io/prism/errors#${type}`;
  }
}

const notFound = (detail: string) => new MockProblem(404, 'NOT_FOUND', 'The server cannot find the requested content', detail);

/** A response as Prism assembles it, before our HTTP layer writes it. */
export interface MockOutput {
  status: number;
  /** As Prism names them (`Content-type`), values as mocked (a header without an example or schema: null). */
  headers: Record<string, string | number | null>;
  body: unknown;
  /** The answer checked against its own operation's spec (`sl-violations`, `response` side). */
  violations: Violation[];
}

interface Negotiated {
  code: string;
  mediaType?: string;
  example?: INodeExample | INodeExternalExample;
  schema?: JsonSchema;
  headers: IHttpHeaderParam[];
}

/** What a request asks of the negotiation: its `Prefer` and its Accept. */
export interface Preferences {
  code?: number;
  exampleKey?: string;
  dynamic?: boolean;
  seed?: string;
  /** The Accept header's media type as our HTTP layer negotiated it (one of the documented ones), or none. */
  accept?: string;
}

/** Why the request failed validation: Prism answers each kind with its own documented statuses. */
export type InvalidKind = 'security' | 'media-type' | 'other';

const hasValue = (example: INodeExample | INodeExternalExample | undefined): example is INodeExample => !!example && 'value' in example;

function withRangesNormalised(response: IHttpOperationResponse): IHttpOperationResponse {
  return /^\dXX$/.test(response.code) ? { ...response, code: `${response.code.charAt(0)}00` } : response;
}

function byStatus(responses: IHttpOperationResponse[], status: number): IHttpOperationResponse | undefined {
  const exact = responses.find((response) => response.code.toLowerCase() === String(status));
  if (exact) return exact;
  const range = responses.find((response) => response.code === `${String(status).charAt(0)}XX`);
  return range ? { ...range, code: String(status) } : undefined;
}

function defaultResponse(responses: IHttpOperationResponse[], status = 200): IHttpOperationResponse | undefined {
  const found = responses.find((response) => response.code === 'default');
  return found ? { ...found, code: String(status) } : undefined;
}

function lowest2xx(responses: IHttpOperationResponse[]): IHttpOperationResponse | undefined {
  const found = responses.filter((response) => /^2(\d\d|XX)$/.test(response.code)).sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))[0];
  return found ? withRangesNormalised(found) : undefined;
}

function parseMedia(text: string): { type: string; subtype: string; parameters: Record<string, string> } | undefined {
  const [essence, ...rest] = text.split(';');
  const match = /^\s*([^/\s]+)\/([^/\s]+)\s*$/.exec(essence ?? '');
  if (!match) return undefined;
  const parameters: Record<string, string> = {};
  for (const part of rest) {
    const [name, ...value] = part.split('=');
    if (name?.trim() && value.length > 0) parameters[name.trim().toLowerCase()] = value.join('=').trim().replace(/^"(.*)"$/, '$1');
  }
  return { type: match[1]!.toLowerCase(), subtype: match[2]!.toLowerCase(), parameters };
}

/**
 * The content `accepts` (negotiator) picks for `ranges`, in their order of preference: a range
 * matches a content of its type and subtype (`*` for any) whose parameters include the range's
 * own (`q` aside); among contents a range matches, the first listed.
 */
function bestContent(contents: IMediaTypeContent[], ranges: string[]): IMediaTypeContent | undefined {
  const parsed = contents.map((content) => parseMedia(content.mediaType));
  for (const range of ranges) {
    const wanted = parseMedia(range);
    if (!wanted) continue;
    const { q, ...wantedParameters } = wanted.parameters;
    if (q !== undefined && !(Number(q) > 0)) continue;
    const index = parsed.findIndex(
      (media) =>
        media !== undefined &&
        (wanted.type === '*' || wanted.type === media.type) &&
        (wanted.subtype === '*' || wanted.subtype === media.subtype) &&
        Object.entries(wantedParameters).every(([name, value]) => media.parameters[name]?.toLowerCase() === value.toLowerCase()),
    );
    if (index >= 0) return contents[index];
  }
  return undefined;
}

const emptyResponse = (code: string, headers: IHttpHeaderParam[], ranges: string[]): Negotiated | undefined => (code === '204' || ranges.some((range) => range.includes('*/*')) ? { code, headers } : undefined);

function byPreferences(code: string, content: IMediaTypeContent, preferences: Preferences, dynamic: boolean): Negotiated | Error {
  const { mediaType } = content;
  const schema = content.schema as JsonSchema | undefined;
  if (preferences.exampleKey) {
    const example = content.examples?.find((candidate) => candidate.key === preferences.exampleKey);
    return example ? { code, mediaType, example, schema, headers: [] } : notFound(`Response for contentType: ${mediaType} and exampleKey: ${preferences.exampleKey} does not exist.`);
  }
  if (dynamic) return schema ? { code, mediaType, schema, headers: [] } : new Error(`Tried to force a dynamic response for: ${mediaType} but schema is not defined.`);
  const example = content.examples?.[0];
  return example ? { code, mediaType, example, schema, headers: [] } : { code, mediaType, schema, headers: [] };
}

function forResponse(operation: IHttpOperation, response: IHttpOperationResponse, preferences: Preferences, dynamic: boolean): Negotiated | Error {
  const { code, headers = [] } = response;
  if (operation.method === 'head') return { code, headers };
  const contents = response.contents ?? [];
  if (preferences.accept === undefined) {
    const content = contents.find((candidate) => candidate.mediaType === '*/*') ?? bestContent(contents, ['application/json', '*/*']);
    if (!content) return { code, mediaType: 'text/plain', example: { id: 'example', key: 'default', value: undefined }, headers };
    const negotiated = byPreferences(code, content, preferences, dynamic);
    return negotiated instanceof Error ? negotiated : { ...negotiated, headers };
  }
  const ranges = [preferences.accept];
  const content = bestContent(contents, ranges);
  if (!content) {
    if (contents.length === 0) return { code, headers };
    return emptyResponse(code, headers, ranges) ?? new MockProblem(406, 'NOT_ACCEPTABLE', 'The server cannot produce a representation for your accept header', `Unable to find content for ${ranges.join(',')}`);
  }
  const negotiated = byPreferences(code, content, preferences, dynamic);
  if (negotiated instanceof Error) return negotiated;
  return { ...negotiated, headers, mediaType: negotiated.mediaType === '*/*' ? 'text/plain' : negotiated.mediaType };
}

function forUnspecifiedCode(operation: IHttpOperation, preferences: Preferences, dynamic: boolean): Negotiated | Error {
  const response = lowest2xx(operation.responses) ?? defaultResponse(operation.responses) ?? (operation.responses[0] ? withRangesNormalised(operation.responses[0]) : undefined);
  return response ? forResponse(operation, response, preferences, dynamic) : new MockProblem(500, 'NO_RESPONSE_RESPONSE_DEFINED', 'No response defined for the selected operation', '');
}

/** A valid request's response: the `Prefer`red code's (falling back as Prism does), else the lowest 2xx. */
function forValidRequest(operation: IHttpOperation, preferences: Preferences, dynamic: boolean): Negotiated | Error {
  if (!preferences.code) return forUnspecifiedCode(operation, preferences, dynamic);
  const response = byStatus(operation.responses, preferences.code) ?? defaultResponse(operation.responses, preferences.code);
  if (!response) return notFound(`Requested status code ${preferences.code} is not defined in the document.`);
  const negotiated = forResponse(operation, response, preferences, dynamic);
  if (!(negotiated instanceof Error)) return negotiated;
  const fallback = forUnspecifiedCode(operation, preferences, dynamic);
  return fallback instanceof Error ? new Error(`${String(fallback)}. We tried default response, but we got ${String(fallback)}`) : fallback;
}

/**
 * The statuses a request that breaks the spec is answered with, in order: Prism's (422 before
 * 400), except where an operation documents both 400 and 422 themselves. There 400 is the
 * documents' bad request and 422 something else: in these contracts the reuse of an
 * Idempotency-Key with another request (specs/shared/responses/IdempotencyKeyReused.yaml), which
 * a malformed request is not. No operation documented both before that response was added, so no
 * answer changed.
 */
function invalidCodes(operation: IHttpOperation, kind: InvalidKind): number[] {
  if (kind === 'security') return [401];
  const documents = (code: string) => operation.responses.some((response) => response.code === code);
  const order = documents('400') && documents('422') ? [400, 422] : [422, 400];
  return kind === 'media-type' ? [415, ...order] : order;
}

/** An invalid request's documented response, or undefined when the operation documents none of its statuses. */
function forInvalidRequest(operation: IHttpOperation, kind: InvalidKind, preferences: Preferences): Negotiated | MockProblem | undefined {
  const codes = invalidCodes(operation, kind);
  const exampleKey = preferences.code !== undefined && codes.includes(preferences.code) ? preferences.exampleKey : undefined;
  let response: IHttpOperationResponse | undefined;
  for (const code of codes) if ((response = byStatus(operation.responses, code))) break;
  response ??= defaultResponse(operation.responses, codes[0]);
  if (!response) return undefined;
  const headers = response.headers ?? [];
  const withExamples = response.contents?.find((content) => (content.examples?.length ?? 0) !== 0);
  if (withExamples) {
    const example = exampleKey === undefined ? withExamples.examples![0] : withExamples.examples!.find((candidate) => candidate.key === exampleKey);
    if (!example) return notFound(`Response for contentType: ${withExamples.mediaType} and exampleKey: ${exampleKey} does not exist.`);
    return { code: response.code, mediaType: withExamples.mediaType, headers, example };
  }
  const withSchema = response.contents?.find((content) => !!content.schema);
  if (withSchema) return { code: response.code, mediaType: withSchema.mediaType, schema: withSchema.schema as JsonSchema, headers };
  return emptyResponse(response.code, headers, ['*/*']);
}

/** Prism's answer when the operation documents no status for an invalid request: a generated problem. */
function problemForViolations(violations: Violation[]): MockProblem {
  const security = violations.find((violation) => violation.code === 401);
  if (security) {
    const tags = security.tags ?? [];
    return new MockProblem(401, 'UNAUTHORIZED', 'Invalid security scheme used', 'Your request does not fullfil the security requirements and no HTTP unauthorized response was found in the spec, so Prism is generating this error for you.', tags.length > 0 ? { 'WWW-Authenticate': tags.join(',') } : {});
  }
  const mediaType = violations.find((violation) => violation.code === 415);
  if (mediaType) return new MockProblem(415, 'INVALID_CONTENT_TYPE', 'Invalid content type', mediaType.message);
  return new MockProblem(422, 'UNPROCESSABLE_ENTITY', 'Invalid request', 'Your request is not valid and no HTTP validation response was found in the spec, so Prism is generating this error for you.');
}

/** Generates a body or header value from a schema: the static sampler, or json-schema-faker (`dynamic`). */
export type PayloadGenerator = (schema: JsonSchema) => unknown;

/** The operation's responses, compiled: negotiation, assembly and output validation. */
export interface CompiledResponses {
  /** A valid request's answer. @throws never; a failure is returned as an Error (a MockProblem when Prism reports one). */
  forValid(preferences: Preferences): MockOutput | Error;
  /** A request that failed validation (`violations`, Errors among them) of `kind`. */
  forInvalid(kind: InvalidKind, preferences: Preferences, violations: Violation[]): MockOutput | Error;
}

/**
 * Compiles an operation's responses.
 *
 * @param operation - Prism's model of the operation.
 * @param dynamicGenerator - json-schema-faker for `dynamic` answers (Prefer `dynamic=true` or the
 *   mock's `dynamic` option), made per request; undefined where it is not available.
 * @param defaultDynamic - The mock's `dynamic` option.
 */
export function compileResponses(operation: IHttpOperation, dynamicGenerator: ((seed: string | undefined) => PayloadGenerator) | undefined, defaultDynamic: boolean): CompiledResponses {
  const bundle = (operation as { __bundled__?: unknown }).__bundled__;
  const staticGenerator: PayloadGenerator = (schema) => {
    try {
      return sample(schema as never, { ticks: 2500 } as never, operation as never);
    } catch (error) {
      if (error instanceof SchemaSizeExceededError) {
        throw new MockProblem(500, 'SCHEMA_TOO_COMPLEX', 'Schema too complex', 'Unable to generate body for response. The schema is too complex to generate.');
      }
      throw error;
    }
  };
  const outputChecks = new Map<IHttpOperationResponse, { body?: Map<string, ReturnType<typeof compileSchema>>; headers: ReturnType<typeof compileParameters> }>();

  function checkOutput(status: number, headers: MockOutput['headers'], body: unknown): Violation[] {
    const response = findOperationResponse(operation.responses, status);
    if (!response) {
      return [{ message: `Unable to match the returned status code with those defined in the document: ${operation.responses.map((candidate) => candidate.code).join(',')}`, severity: status >= 200 && status < 300 ? 0 : 1 }];
    }
    let checks = outputChecks.get(response);
    if (!checks) outputChecks.set(response, (checks = { headers: compileParameters(response.headers ?? [], 'header', bundle, 'Response') }));
    const contents = response.contents ?? [];
    const mediaType = headerOf(headers, 'content-type');
    const violations: Violation[] = [];
    if (contents.length > 0) {
      // Prism: the type matches (a suffix as its subtype: application/problem+json is json) and the answer carries every parameter the documented media type has.
      const received = mediaType === undefined ? undefined : parseMedia(mediaType);
      const matches = received !== undefined && contents.some((content) => {
        const documented = parseMedia(content.mediaType);
        return documented !== undefined && mediaTypesMatch(mediaType!, content.mediaType) && Object.entries(documented.parameters).every(([name, value]) => received.parameters[name] === value);
      });
      if (!matches) violations.push({ message: `The received media type "${mediaType ?? ''}" does not match the one${contents.length > 1 ? 's' : ''} specified in the current response: ${contents.map((content) => content.mediaType).join(', ')}`, severity: 0 });
    }
    const content = (mediaType !== undefined ? contents.find((candidate) => mediaTypesMatch(mediaType, candidate.mediaType)) : undefined) ?? contents[0];
    if (content?.schema) {
      checks.body ??= new Map();
      let validate = checks.body.get(content.mediaType);
      if (validate === undefined && !checks.body.has(content.mediaType)) {
        const schema = normaliseSchema(content.schema as JsonSchema, 'output');
        validate = schema ? compileSchema(schema, false, bundle) : undefined;
        checks.body.set(content.mediaType, validate);
      }
      violations.push(...violationsOf(validate, body, 'Response', 'body'));
    }
    violations.push(...checks.headers(Object.fromEntries(Object.entries(headers).filter((entry): entry is [string, string | number] => entry[1] !== null)) as Record<string, unknown>));
    return violations;
  }

  function assemble(negotiated: Negotiated, generate: PayloadGenerator): MockOutput {
    const body = hasValue(negotiated.example) && negotiated.example.value !== undefined ? negotiated.example.value : negotiated.schema ? generate(negotiated.schema) : undefined;
    const headers: MockOutput['headers'] = {};
    const specs = new Map<string, IHttpHeaderParam>();
    for (const header of negotiated.headers) specs.set(header.name, header);
    for (const [name, header] of specs) {
      let value: string | number | null = null;
      if (header.schema) {
        if (header.examples && header.examples.length > 0) {
          if (hasValue(header.examples[0])) value = header.examples[0].value as string | number;
        } else {
          const generated = generate(header.schema as JsonSchema);
          value = typeof generated === 'number' || typeof generated === 'string' ? generated : null;
        }
      }
      headers[name] = value;
    }
    if (negotiated.mediaType) headers['Content-type'] = negotiated.mediaType;
    if (operation.deprecated) headers.deprecation = 'true';
    const status = Number.parseInt(negotiated.code, 10);
    return { status, headers, body, violations: checkOutput(status, headers, body) };
  }

  /** Static answers by negotiation key: built once, the same object every time after. */
  const answers = new Map<string, MockOutput | Error>();
  const settle = (key: string, negotiate: () => Negotiated | Error | undefined, preferences: Preferences, onNone: () => Error): MockOutput | Error => {
    const dynamic = preferences.dynamic ?? defaultDynamic;
    if (!dynamic) {
      const cached = answers.get(key);
      if (cached) return cached;
    }
    const negotiated = negotiate();
    let result: MockOutput | Error;
    if (negotiated === undefined) result = onNone();
    else if (negotiated instanceof Error) result = negotiated;
    else {
      try {
        result = assemble(negotiated, dynamic && dynamicGenerator ? dynamicGenerator(preferences.seed) : staticGenerator);
      } catch (error) {
        result = error instanceof Error ? error : new Error(String(error));
      }
    }
    if (!dynamic && negotiated !== undefined) answers.set(key, result);
    return result;
  };

  return {
    forValid(preferences) {
      const dynamic = preferences.dynamic ?? defaultDynamic;
      const key = `valid|${preferences.code ?? ''}|${preferences.exampleKey ?? ''}|${preferences.accept ?? ''}`;
      return settle(key, () => forValidRequest(operation, preferences, dynamic), preferences, () => new Error('unreachable'));
    },
    forInvalid(kind, preferences, violations) {
      const exampleKey = preferences.code !== undefined && invalidCodes(operation, kind).includes(preferences.code) ? (preferences.exampleKey ?? '') : '';
      const key = `invalid|${kind}|${exampleKey}`;
      // Without a documented status for it, Prism generates a problem from the violations: not cached.
      return settle(key, () => forInvalidRequest(operation, kind, preferences), preferences, () => problemForViolations(violations));
    },
  };
}

/** The documented response a status is checked against: its own, else its range (`4XX`), else `default`. */
function findOperationResponse(responses: IHttpOperationResponse[], status: number): IHttpOperationResponse | undefined {
  return responses
    .filter((response) => new RegExp(`^${response.code.replace(/X/g, '\\d')}$`).test(String(status)) || response.code === 'default')
    .sort((a, b) => (a.code === 'default' ? 1 : b.code === 'default' ? -1 : a.code.split('X').length - b.code.split('X').length))[0];
}

/** Prism's `wildcardMediaTypeMatch(a, b)`: the same type and subtype, or `*` in `b`. */
export function mediaTypesMatch(a: string, b: string): boolean {
  const parse = (text: string) => {
    const essence = text.split(';')[0]!.trim().toLowerCase();
    const match = /^(.+)\/(?:(.+)\+)?(.+)$/.exec(essence);
    return match ? { type: match[1]!, subtype: match[3]! } : undefined;
  };
  const first = parse(a);
  const second = parse(b);
  return !!first && !!second && (first.type === second.type || second.type === '*') && (first.subtype === second.subtype || second.subtype === '*');
}

function headerOf(headers: MockOutput['headers'], name: string): string | undefined {
  for (const key in headers) if (key.toLowerCase() === name && typeof headers[key] === 'string') return headers[key] as string;
  return undefined;
}
