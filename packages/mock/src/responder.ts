import type { IHttpOperation } from '@stoplight/types';
import { compileOperation, MockProblem, readPreferences, type CompileOptions, type CompiledOperation, type EngineAnswer, type EngineRequest, type Violation } from './engine/index.js';
import { documentsStatus, errorBody, indexOperations, negotiate, parseMediaType, requestMediaTypes, responseMediaTypes, type ErrorContext } from './http-support.js';

/**
 * From a request to an answer, for one API: the one code path behind every surface of the mock
 * (the HTTP server of `startMock()` / `carrier-mock`, the MSW handlers of `@carrier-api/mock/msw`,
 * any fetch-style handler). It answers what the engine cannot take first (a body over 10 MB, a
 * Content-Type or Accept that is no media type, an undecodable path, an unknown
 * Content-Encoding) with the right 4xx in the API's documented error body, then lets the engine
 * (Prism's rules, compiled once per operation) check credentials, validate and answer, and the
 * sandbox's layer, when there is one, answer from state. It does no I/O of its own and runs in
 * Node and in browsers.
 */

/** The largest request body the mock reads: 10 MB. A larger one gets 413. */
export const maxBodyBytes: number = 10 * 1024 * 1024;

/** A request as an adapter hands it over. */
export interface MockRequest {
  /** Upper or lower case. */
  method: string;
  /** The request target as sent: origin-form (`/a?b`) or absolute (`http://host/a?b`). */
  target: string;
  /** Names in lower case; repeated headers as Node gives them. */
  headers: Record<string, string | string[] | undefined>;
  /** The body's bytes, at most {@link maxBodyBytes}; empty when there is none or when it was too large. */
  body: Uint8Array;
  /** The body was over {@link maxBodyBytes}. */
  bodyTooLarge?: boolean;
  /** A too-large body was read to its end (else the connection should close after the 413). */
  bodyDrained?: boolean;
}

/** A response before it is written. */
export interface Answer {
  status: number;
  headers: Record<string, string | number>;
  body: unknown;
  /** How an adapter breaks the exchange on a fault's word (it writes the answer whole otherwise). */
  transport?: AnswerTransport;
  /** The fault that made it, for the journal. */
  fault?: { id: string; kinds: string[] };
}

/** A fault's damage to an answer on the wire. */
export interface AnswerTransport {
  /** Headers (with the whole body's length) and the first half of the body, then the connection closes. */
  truncate?: boolean;
  /** The body's JSON text without its last character: invalid JSON under the right content type. */
  malformed?: boolean;
  /** The body in `chunks` parts spread over `durationMs`. */
  dribble?: { durationMs: number; chunks: number };
}

/** The bytes of a body text as a fault sends them: malformed, or whole. */
export function faultedText(text: string | undefined, transport: AnswerTransport | undefined): string | undefined {
  if (!transport?.malformed) return text;
  return text === undefined || text.length === 0 ? '{' : text.slice(0, -1);
}

/** What an adapter does: write `answer`, or close the connection unanswered (`'drop'`). */
export type Outcome = Answer | 'drop';

/** A request that found its operation and passed the HTTP checks (size, media types, encodings). */
export interface PreparedRequest {
  operation: IHttpOperation;
  operationId: string;
  method: string;
  path: string;
  pathParams: Record<string, string>;
  query: Record<string, string | string[]>;
  /** Header names in lower case. */
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON, form text, or undefined. */
  body: unknown;
  errorContext: ErrorContext;
  /** The request as it arrived (what a proxy forwards unchanged). */
  raw: MockRequest;
  /** Its violations against the spec, as the engine finds them (credentials first). */
  violations(): Violation[];
}

/** What the sandbox plugs into the responder; the plain mock has none. */
export interface ServerLayer {
  /** Answers `/__admin/...`; the plain mock has no admin surface beyond capabilities. */
  /** `headers`: the request's (`X-Sandbox-Session` picks the session). */
  admin?(method: string, path: string, body: unknown, headers?: MockRequest['headers']): Promise<Answer>;
  /** Answers a prepared request; `prism` runs the engine (validation, security, examples). `'drop'` closes the connection unanswered. */
  handle?(request: PreparedRequest, prism: () => Promise<Answer>): Promise<Outcome>;
  /** Every request (admin ones excepted), for the journal: once when it starts executing (status null), once answered; `id` joins the two. */
  record?(entry: { id: string; method: string; path: string; operationId?: string; headers: MockRequest['headers']; body: unknown; status: number | null; fault?: Answer['fault'] }): Promise<void>;
}

/**
 * What a carrier-mock server says it checks and keeps, at `GET /__admin/capabilities`, so that a
 * tool testing it (the contract tests) skips, with the reason, a check whose premise the server
 * does not keep, instead of failing it. A real vendor has no such endpoint: every check runs.
 */
export interface MockCapabilities {
  server: 'carrier-mock';
  /** `mock`: Prism's examples, no state; `sandbox`: the documents' behaviour, from state. */
  mode: 'mock' | 'sandbox';
  api: string;
  /**
   * How each security scheme of the spec (by its name in `components.securitySchemes`) is checked:
   * `presence` (any value passes, only a missing one is refused), `any` (any non-empty value),
   * `listed` (only configured values), `issued` (only tokens this server issued, not expired).
   */
  credentials: Record<string, 'presence' | 'any' | 'listed' | 'issued'>;
  /** The operations whose documented behaviour (`x-behaviour`) the server keeps; empty for the plain mock. */
  behaviour: string[];
  /** Whether `Idempotency-Key` promises are kept: replay, 409 in flight, 422 for another request. */
  idempotency: boolean;
}

export interface ResponderOptions extends CompileOptions {
  /** Replace the body of a validation 400/422 with the API's error body naming the field and the rule. */
  describeViolations?: boolean;
  layer?: ServerLayer;
  /** What `GET /__admin/capabilities` answers. */
  capabilities?: MockCapabilities;
  /** Journal ids; default `crypto.randomUUID`. */
  newId?: () => string;
}

/** Answers one API's requests. */
export interface Responder {
  /**
   * The answer to `request`. Never rejects for a client's mistake (that is a 4xx); a failure of
   * the mock itself is a 500 `application/problem+json` answer.
   */
  respond(request: MockRequest): Promise<Outcome>;
  /** The API's error body for a request an adapter could not even read (broken HTTP framing, headers too large). */
  unreadable(status: number, message: string): Answer;
  /** Whether an operation of the API is at `pathname` (any method): which of several APIs behind one host a request is for. */
  serves(pathname: string): boolean;
}

class ClientError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const json = { 'Content-Type': 'application/json' } as const;

/**
 * The responder of one API.
 *
 * @param operations - The API's operations in Prism's model (`operationsFromDocument`).
 * @param options - Sandbox layer, capabilities, `describeViolations`, `dynamic`.
 */
export function createResponder(operations: IHttpOperation[], options: ResponderOptions = {}): Responder {
  const index = indexOperations(operations);
  const layer = options.layer;
  const newId = options.newId ?? (() => globalThis.crypto.randomUUID());
  const compiled = new Map<IHttpOperation, { engine: CompiledOperation; requestTypes: string[]; responseTypes: string[] }>(
    operations.map((operation) => [operation, { engine: compileOperation(operation, options), requestTypes: requestMediaTypes(operation), responseTypes: responseMediaTypes(operation) }]),
  );
  const context404 = (path: string): ErrorContext => ({ operations, path });

  async function respond(request: MockRequest): Promise<Outcome> {
    try {
      const outcome = await answer(request);
      return outcome === 'drop' ? outcome : withCors(request, outcome);
    } catch (error) {
      return withCors(request, problem(500, 'Mock failure', error instanceof Error ? error.message : String(error)));
    }
  }

  async function answer(request: MockRequest): Promise<Outcome> {
    const method = request.method.toUpperCase();
    if (method === 'OPTIONS' && request.headers['access-control-request-method']) {
      return { status: 204, headers: { 'Access-Control-Allow-Methods': headerSafe(String(request.headers['access-control-request-method'])), Vary: 'origin', 'Content-Length': '0' }, body: undefined };
    }
    const target = parseTarget(request.target);
    if (!target) return { status: 400, headers: { ...json }, body: errorBody(context404('/'), 400, `The request target "${request.target}" is not a URL.`) };
    const { pathname, searchParams } = target;
    const transactionId = typeof request.headers.transactionid === 'string' ? request.headers.transactionid : undefined;
    let context: ErrorContext = { operations, path: pathname, transactionId };
    let operationId: string | undefined;
    let parsedBody: unknown;
    let outcome: Outcome;
    const journalId = layer?.record ? newId() : '';
    const pathAndQuery = request.target.startsWith('/') ? request.target : pathname;
    try {
      if (options.capabilities && pathname === '/__admin/capabilities' && method === 'GET') return { status: 200, headers: { ...json }, body: options.capabilities };
      if (layer?.admin && pathname.startsWith('/__admin/')) return await layer.admin(method, pathname, parseAdminBody(request.body), request.headers);
      if (!isDecodable(pathname)) throw new ClientError(400, `The path "${pathname}" has a malformed percent-encoding.`);
      const matched = index.match(method, pathname);
      if ('allowed' in matched) {
        if (matched.allowed.length === 0) throw new ClientError(404, `No operation of this API is at ${pathname}.`);
        context = { ...context, operation: matched.onPath[0] };
        throw new ClientError(405, `${method} is not allowed on ${pathname}; allowed: ${matched.allowed.join(', ')}.`, { Allow: matched.allowed.join(', ') });
      }
      const { operation, pathParams } = matched.found;
      operationId = operation.iid ?? operation.id;
      context = { ...context, operation };
      if (request.bodyTooLarge) throw new ClientError(413, `The request body is over the ${maxBodyBytes / 1024 / 1024} MB limit.`, request.bodyDrained === false ? { Connection: 'close' } : {});
      const { engine, requestTypes, responseTypes } = compiled.get(operation)!;
      const headers = { ...request.headers };
      const body = decodeBody(requestTypes, headers, request.body);
      parsedBody = body;
      const responseType = negotiate(headerText(headers.accept), responseTypes);
      if (responseType === undefined) {
        throw new ClientError(406, `The Accept header "${headerText(headers.accept)}" allows none of the media types this operation answers with: ${responseTypes.join(', ')}.`);
      }
      if (headers.accept !== undefined) headers.accept = responseType;
      const query = queryOf(searchParams);
      const prepared: PreparedRequest = {
        operation,
        operationId: operationId!,
        method,
        path: pathname,
        pathParams,
        query,
        headers,
        body,
        errorContext: context,
        raw: request,
        violations: () => engine.validate(engineRequest(prepared)),
      };
      const runEngine = async () => engineAnswer(engine, prepared);
      await layer?.record?.({ id: journalId, method, path: pathAndQuery, operationId, headers: request.headers, body, status: null });
      outcome = layer?.handle ? await layer.handle(prepared, runEngine) : engineAnswer(engine, prepared);
    } catch (error) {
      if (!(error instanceof ClientError)) throw error;
      const status = error.status !== 415 || !context.operation || documentsStatus(context.operation, 415) ? error.status : 400;
      outcome = { status, headers: { ...json, ...error.headers }, body: errorBody(context, status, error.message) };
    }
    await layer?.record?.({ id: journalId, method, path: pathAndQuery, operationId, headers: request.headers, body: parsedBody, status: outcome === 'drop' ? null : outcome.status, fault: outcome === 'drop' ? undefined : outcome.fault });
    return outcome;
  }

  /** The engine's answer (Prism's rules): its failures in the API's error body, `sl-violations` for what it found. */
  function engineAnswer(engine: CompiledOperation, prepared: PreparedRequest): Answer {
    const preferences = readPreferences(headerText(prepared.headers.prefer), prepared.query);
    if (preferences === undefined) throw new ClientError(400, `The Prefer header "${headerText(prepared.headers.prefer)}" is not understood: Invalid request`);
    const accept = headerText(prepared.headers.accept);
    const result = engine.mock(engineRequest(prepared), { ...preferences, ...(accept === undefined ? {} : { accept }) });
    if (result instanceof Error) return problemAnswer(prepared, result);
    return successAnswer(prepared, result);
  }

  function problemAnswer(prepared: PreparedRequest, error: Error): Answer {
    const status = error instanceof MockProblem ? error.status : 500;
    if (status >= 500) throw error;
    const problemError = error as MockProblem;
    const headers: Record<string, string> = { ...json };
    for (const [name, value] of Object.entries(problemError.headers)) headers[name] = headerSafe(String(value));
    const answered = status === 422 ? 400 : status;
    return { status: answered, headers, body: errorBody(prepared.errorContext, answered, problemError.detail || problemError.message) };
  }

  function successAnswer(prepared: PreparedRequest, { output, input }: EngineAnswer): Answer {
    const violations = [...input.map((violation) => reported(violation, 'request')), ...output.violations.map((violation) => reported(violation, 'response'))];
    const headers: Record<string, string | number> = {};
    if (violations.length > 0) headers['sl-violations'] = violationsHeader(violations);
    for (const [name, value] of Object.entries(output.headers)) headers[name] = typeof value === 'string' ? headerSafe(value) : (value as number);
    let body = output.body;
    const errors = input.filter((violation) => violation.severity === 0);
    if (options.describeViolations && errors.length > 0 && output.status >= 400 && output.status < 500 && output.status !== 401) {
      body = errorBody(prepared.errorContext, output.status, describeViolations(errors));
    }
    return { status: output.status, headers, body };
  }

  return {
    respond,
    unreadable: (status, message) => ({ status, headers: { ...json }, body: errorBody(context404('/'), status, message) }),
    serves: (pathname) => {
      const matched = index.match('GET', pathname);
      return !('allowed' in matched) || matched.allowed.length > 0;
    },
  };
}

function reported(violation: Violation, side: 'request' | 'response') {
  return { location: [side, ...(violation.path ?? [])], severity: severityNames[violation.severity] ?? 'Error', code: violation.code, message: violation.message };
}

/** "Request body property pin must be string (request.body.pin: type)", at most three. */
function describeViolations(violations: Violation[]): string {
  const described = violations.slice(0, 3).map((violation) => `${violation.message} (${['request', ...(violation.path ?? [])].join('.')}: ${String(violation.code ?? 'invalid')})`);
  const more = violations.length > 3 ? `; and ${violations.length - 3} more in the sl-violations header` : '';
  return `${described.join('; ')}${more}`;
}

// Prism's DiagnosticSeverity, by value, as its own server names them in sl-violations.
const severityNames = ['Error', 'Warning', 'Information', 'Hint'];
const maxHeaderLength = 8 * 1024 - 100;

/** The violations as JSON, or, past a safe header length, Prism's "Too many violations!" prefix. */
function violationsHeader(violations: unknown[]): string {
  const value = headerSafe(JSON.stringify(violations));
  return value.length > maxHeaderLength ? `Too many violations! ${value.slice(0, maxHeaderLength)}` : value;
}

/** JSON text stays valid JSON with every non-ASCII character written as \uXXXX: a legal header. */
export function headerSafe(text: string): string {
  if (!/[^\x20-\x7e]/.test(text)) return text;
  return text.replace(/[^\x20-\x7e]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

function engineRequest(prepared: PreparedRequest): EngineRequest {
  return { path: prepared.path, query: prepared.query, headers: flatHeaders(prepared.headers), body: prepared.body };
}

/** Headers as the engine reads them: one string each (repeated ones joined, as Node joins them). */
function flatHeaders(headers: PreparedRequest['headers']): Record<string, string | undefined> {
  const flat: Record<string, string | undefined> = {};
  for (const name in headers) flat[name] = headerText(headers[name]);
  return flat;
}

/** CORS for every answer: the mock is called from browsers (the reference's "try it", a web app in development). */
function withCors(request: MockRequest, answer: Answer): Answer {
  return {
    ...answer,
    headers: {
      'Access-Control-Allow-Origin': headerSafe(String(request.headers.origin ?? '*')),
      'Access-Control-Allow-Headers': headerSafe(String(request.headers['access-control-request-headers'] ?? '*')),
      'Access-Control-Allow-Credentials': 'true',
      'Access-Control-Expose-Headers': '*',
      ...answer.headers,
    },
  };
}

/** A failure of the mock itself: RFC 9457 problem details, never a crashed process. */
function problem(status: number, title: string, detail: string): Answer {
  return { status, headers: { 'Content-Type': 'application/problem+json' }, body: { type: 'https://carrier-api.dev/mock/errors#internal', title, status, detail } };
}

/** The request target as a URL: origin-form (`/a//b?q`) taken as a path, absolute-form parsed; undefined when it is neither. */
function parseTarget(target: string): URL | undefined {
  try {
    return target.startsWith('/') ? new URL(`http://mock.invalid${target}`) : new URL(target);
  } catch {
    return undefined;
  }
}

/** Every name and value of an x-www-form-urlencoded body decodes (Prism's form parser throws on `%%`). */
function isDecodableForm(form: string): boolean {
  return form.split(/[&=]/).every((part) => isDecodable(part.replace(/\+/g, ' ')));
}

function isDecodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const charsets = new Set(['utf-8', 'utf8', 'us-ascii']);

/**
 * Checks Content-Encoding and Content-Type against what the operation takes, and decodes the
 * body: parsed JSON, or the raw text (invalid JSON then fails validation with the documented
 * 400). Leaves in `headers` only what the engine reads: the media type's essence.
 */
function decodeBody(accepted: string[], headers: Record<string, string | string[] | undefined>, bytes: Uint8Array): unknown {
  const rawType = headerText(headers['content-type']);
  const encoding = headerText(headers['content-encoding'])?.trim().toLowerCase();
  if (encoding && encoding !== 'identity' && bytes.length > 0) {
    throw new ClientError(415, `The Content-Encoding header "${encoding}" is not supported; send the body unencoded (identity).`, { 'Accept-Encoding': 'identity' });
  }
  delete headers['content-encoding'];
  if (accepted.length === 0) {
    // No body is documented: a Content-Type is only checked to be one, and not passed on.
    if (rawType !== undefined && !parseMediaType(rawType)) throw new ClientError(415, `The Content-Type header "${rawType}" is not a media type.`);
    delete headers['content-type'];
    return undefined;
  }
  if (rawType === undefined) return bytes.length === 0 ? undefined : text(bytes);
  const media = parseMediaType(rawType);
  if (!media) throw new ClientError(415, `The Content-Type header "${rawType}" is not a media type; this operation takes ${accepted.join(', ')}.`);
  if (!accepted.includes(media.essence)) {
    throw new ClientError(415, `The Content-Type header "${rawType}" is not supported; this operation takes ${accepted.join(', ')}.`);
  }
  const charset = media.parameters.charset?.toLowerCase();
  if (charset !== undefined && !charsets.has(charset)) {
    throw new ClientError(415, `The charset "${charset}" of the Content-Type header is not supported; send UTF-8.`);
  }
  headers['content-type'] = media.essence;
  if (bytes.length === 0) return undefined;
  const content = text(bytes);
  if (media.essence === 'application/x-www-form-urlencoded' && !isDecodableForm(content)) {
    throw new ClientError(400, 'The form body has a malformed percent-encoding.');
  }
  if (/json/.test(media.essence)) {
    try {
      return JSON.parse(content);
    } catch {
      return content;
    }
  }
  return content;
}

function text(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new ClientError(400, 'The request body is not valid UTF-8.');
  }
}

function parseAdminBody(bytes: Uint8Array): unknown {
  if (bytes.length === 0) return undefined;
  const content = new TextDecoder().decode(bytes);
  try {
    return JSON.parse(content);
  } catch {
    return content;
  }
}

function queryOf(searchParams: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(searchParams.keys())) {
    const values = searchParams.getAll(key);
    query[key] = values.length === 1 ? values[0]! : values;
  }
  return query;
}
