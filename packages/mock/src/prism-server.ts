import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInstance, ProblemJsonError, type IHttpConfig, type IHttpRequest, type PrismHttpComponents } from '@stoplight/prism-http';
import { getHttpConfigFromRequest } from '@stoplight/prism-http-server/dist/getHttpConfigFromRequest.js';
import { serialize } from '@stoplight/prism-http-server/dist/serialize.js';
import type { IHttpOperation } from '@stoplight/types';
import {
  documentsStatus,
  errorBody,
  indexOperations,
  negotiate,
  parseMediaType,
  requestMediaTypes,
  responseMediaTypes,
  type ErrorContext,
} from './http-support.js';

/** The largest request body the mock reads: 10 MB. A larger one gets 413. */
export const maxBodyBytes: number = 10 * 1024 * 1024;
/** Past this many bytes an oversized body is no longer drained: the 413 is sent and the connection closed. */
const drainLimitBytes = 64 * 1024 * 1024;

export interface PrismHttpServer {
  listen(port: number, host: string): Promise<string>;
  close(): Promise<void>;
}

/** A response before it is written. */
export interface Answer {
  status: number;
  headers: Record<string, string | number>;
  body: unknown;
}

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
  /** What Prism is given. */
  input: IHttpRequest;
  errorContext: ErrorContext;
}

/** What the sandbox plugs into the HTTP layer; the plain mock has none. */
export interface ServerLayer {
  /** Answers `/__admin/...`; the plain mock has no admin surface. */
  admin?(method: string, path: string, body: unknown): Promise<Answer>;
  /** Answers a prepared request; `prism` runs Prism (validation, security, examples). `'drop'` closes the connection unanswered. */
  handle?(request: PreparedRequest, prism: () => Promise<Answer>): Promise<Answer | 'drop'>;
  /** Every request (admin ones excepted), for the journal: once when it starts executing (status null), once answered; `id` joins the two. */
  record?(entry: { id: string; method: string; path: string; operationId?: string; headers: IncomingMessage['headers']; body: unknown; status: number | null }): Promise<void>;
}

export interface PrismServerOptions {
  /** Replace the body of Prism's validation 400/422 with the API's error body naming the field and the rule. */
  describeViolations?: boolean;
  layer?: ServerLayer;
  /** What `GET /__admin/capabilities` answers: which promises this server keeps (plain mock and sandbox alike). */
  capabilities?: MockCapabilities;
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

class ClientError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * The HTTP layer around a Prism instance. Prism's own (prism-http-server) writes request text
 * into the `sl-violations` header without awaiting the write: a non-Latin-1 character in a
 * request then throws where nobody can catch it, and the process dies. Here validation,
 * security checks, negotiation and examples stay Prism's; what Prism cannot take (a body over
 * 10 MB, a Content-Type or Accept that is no media type, an undecodable path, an unknown
 * Content-Encoding) is answered first, with the right 4xx and the API's documented error body.
 * Anything unexpected is a 500 problem body instead of a crashed mock.
 */
export function createPrismHttpServer(
  operations: IHttpOperation[],
  config: IHttpConfig,
  logger: PrismHttpComponents['logger'],
  options: PrismServerOptions = {},
): PrismHttpServer {
  const prism = createInstance(config, { logger });
  const index = indexOperations(operations);
  const layer = options.layer;
  const context404 = (path: string): ErrorContext => ({ operations, path });

  const server = createServer((request, reply) => {
    handle(request, reply).catch((error: unknown) => {
      logger.error({ error: String(error) }, 'carrier-mock: request failed');
      sendProblem(reply, 500, 'Mock failure', error instanceof Error ? error.message : String(error));
    });
  });

  // What Node's HTTP parser refuses (broken framing, headers over 16 KB) gets a JSON body too, not Node's bare 400.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return void socket.destroy();
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const body = JSON.stringify(errorBody(context404('/'), status, `The request is not valid HTTP/1.1 (${error.code ?? 'parse error'}).`));
    socket.end(`HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });

  async function handle(request: IncomingMessage, reply: ServerResponse): Promise<void> {
    setCorsHeaders(request, reply);
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method']) {
      reply.writeHead(204, { 'Access-Control-Allow-Methods': headerSafe(String(request.headers['access-control-request-method'])), Vary: 'origin', 'Content-Length': '0' });
      reply.end();
      return;
    }
    const target = parseTarget(request.url ?? '/');
    if (!target) {
      const body = errorBody(context404('/'), 400, `The request target "${request.url}" is not a URL.`);
      return writeAnswer(reply, { status: 400, headers: { 'Content-Type': 'application/json' }, body });
    }
    const { pathname, searchParams } = target;
    const method = (request.method ?? 'GET').toUpperCase();
    const transactionId = typeof request.headers.transactionid === 'string' ? request.headers.transactionid : undefined;
    let context: ErrorContext = { operations, path: pathname, transactionId };
    let operationId: string | undefined;
    let parsedBody: unknown;
    let answer: Answer | 'drop';
    const journalId = randomUUID();
    const pathAndQuery = request.url?.startsWith('/') ? request.url : pathname;
    try {
      const raw = await readRaw(request);
      if (options.capabilities && pathname === '/__admin/capabilities' && method === 'GET') {
        return writeAnswer(reply, { status: 200, headers: { 'Content-Type': 'application/json' }, body: options.capabilities });
      }
      if (layer?.admin && pathname.startsWith('/__admin/')) {
        const adminAnswer = await layer.admin(method, pathname, parseAdminBody(raw.buffer));
        return writeAnswer(reply, adminAnswer);
      }
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
      if (raw.tooLarge) throw new ClientError(413, `The request body is over the ${maxBodyBytes / 1024 / 1024} MB limit.`, raw.drained ? {} : { Connection: 'close' });
      const headers = { ...request.headers } as Record<string, string | string[] | undefined>;
      const body = decodeBody(operation, headers, raw.buffer);
      parsedBody = body;
      const responseType = negotiate(headerText(headers.accept), responseMediaTypes(operation));
      if (responseType === undefined) {
        throw new ClientError(406, `The Accept header "${headerText(headers.accept)}" allows none of the media types this operation answers with: ${responseMediaTypes(operation).join(', ')}.`);
      }
      if (headers.accept !== undefined) headers.accept = responseType;
      const query = queryOf(searchParams);
      const input: IHttpRequest = { method: method.toLowerCase() as IHttpRequest['method'], url: { path: pathname, query }, headers: headers as Record<string, string>, body };
      const prepared: PreparedRequest = { operation, operationId: operationId!, method, path: pathname, pathParams, query, headers, body, input, errorContext: context };
      const runPrism = () => prismAnswer(prepared);
      await layer?.record?.({ id: journalId, method, path: pathAndQuery, operationId, headers: request.headers, body, status: null });
      answer = layer?.handle ? await layer.handle(prepared, runPrism) : await runPrism();
    } catch (error) {
      if (!(error instanceof ClientError)) throw error;
      const status = error.status !== 415 || !context.operation || documentsStatus(context.operation, 415) ? error.status : 400;
      answer = { status, headers: { 'Content-Type': 'application/json', ...error.headers }, body: errorBody(context, status, error.message) };
    }
    await layer?.record?.({ id: journalId, method, path: pathAndQuery, operationId, headers: request.headers, body: parsedBody, status: answer === 'drop' ? null : answer.status });
    if (answer === 'drop') {
      request.socket.destroy();
      return;
    }
    logger.info(`${method} ${pathname} → ${answer.status}`);
    writeAnswer(reply, answer);
  }

  /** Prism's answer: validation, security, examples; its errors become the API's error body. */
  async function prismAnswer(prepared: PreparedRequest): Promise<Answer> {
    const preferences = getHttpConfigFromRequest(prepared.input);
    if (preferences._tag === 'Left') {
      throw new ClientError(400, `The Prefer header "${headerText(prepared.headers.prefer)}" is not understood: ${preferences.left.message}`);
    }
    const requestConfig = { ...config, mock: { ...config.mock, ...preferences.right } } as IHttpConfig;
    let result = await prism.request(prepared.input, operations, requestConfig)();
    // Prism answers a request that breaks the spec with a documented 422 before a 400. In these
    // specs 400 is the documents' bad request and 422 the reuse of an Idempotency-Key with another
    // request (specs/shared/responses/IdempotencyKeyReused.yaml): the 400 it is.
    if (result._tag === 'Right' && result.right.output.statusCode === 422 && result.right.validations.input.length > 0 && documentsStatus(prepared.operation, 400)) {
      const without422 = operations.map((operation) => (operation === prepared.operation ? { ...operation, responses: operation.responses.filter((response) => response.code !== '422') } : operation));
      result = await prism.request(prepared.input, without422, requestConfig)();
    }
    if (result._tag === 'Left') {
      const error = result.left as ProblemJsonError;
      const status = error.status ?? 500;
      if (status >= 500) throw error;
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      for (const [name, value] of Object.entries(error.additional?.headers ?? {})) headers[name] = headerSafe(String(value));
      return { status: status === 422 ? 400 : status, headers, body: errorBody(prepared.errorContext, status === 422 ? 400 : status, error.detail || error.message) };
    }
    const { output, validations } = result.right;
    const inputViolations = validations.input.map((violation) => ({ ...violation, path: ['request', ...(violation.path ?? [])] }));
    const violations = [...inputViolations, ...validations.output.map((violation) => ({ ...violation, path: ['response', ...(violation.path ?? [])] }))].map((violation) => ({
      location: violation.path,
      severity: severityNames[violation.severity] ?? 'Error',
      code: violation.code,
      message: violation.message,
    }));
    const headers: Record<string, string | number> = {};
    if (violations.length > 0) headers['sl-violations'] = violationsHeader(violations);
    for (const [name, value] of Object.entries(output.headers ?? {})) headers[name] = typeof value === 'string' ? headerSafe(value) : (value as number);
    let body = output.body;
    const errors = inputViolations.filter((violation) => violation.severity === 0);
    if (options.describeViolations && errors.length > 0 && output.statusCode >= 400 && output.statusCode < 500 && output.statusCode !== 401) {
      body = errorBody(prepared.errorContext, output.statusCode, describeViolations(errors));
    }
    return { status: output.statusCode, headers, body };
  }

  function writeAnswer(reply: ServerResponse, answer: Answer): void {
    if (reply.headersSent) return void reply.end();
    for (const [name, value] of Object.entries(answer.headers)) reply.setHeader(name, typeof value === 'string' ? headerSafe(value) : value);
    reply.statusCode = answer.status;
    const contentType = reply.getHeader('content-type') as string | undefined;
    const payload = answer.body === undefined ? undefined : serialize(answer.body, contentType);
    reply.end(payload === undefined || payload === null ? undefined : typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload));
  }

  return {
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          resolve(`http://${address.address}:${address.port}`);
        });
      }),
    close: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** "Request body property pin must be string (request.body.pin: type)", at most three. */
function describeViolations(violations: Array<{ path: Array<string | number>; code?: string | number; message: string }>): string {
  const described = violations.slice(0, 3).map((violation) => `${violation.message} (${violation.path.join('.')}: ${String(violation.code ?? 'invalid')})`);
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
function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
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

/** The body's bytes, up to 10 MB; past that `tooLarge`, drained (up to 64 MB) so that the 413 can be read by the client. */
async function readRaw(request: IncomingMessage): Promise<{ buffer: Buffer; tooLarge: boolean; drained: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = Number(request.headers['content-length'] ?? 0) > maxBodyBytes;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) tooLarge = true;
    if (size > drainLimitBytes) return { buffer: Buffer.alloc(0), tooLarge: true, drained: false };
    if (!tooLarge) chunks.push(chunk as Buffer);
  }
  return { buffer: tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks), tooLarge, drained: true };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const charsets = new Set(['utf-8', 'utf8', 'us-ascii']);

/**
 * Checks Content-Encoding and Content-Type against what the operation takes, and decodes the
 * body: parsed JSON, or the raw text (invalid JSON then fails Prism's validation with the
 * documented 400). Leaves in `headers` only what Prism can parse.
 */
function decodeBody(operation: IHttpOperation, headers: Record<string, string | string[] | undefined>, buffer: Buffer): unknown {
  const accepted = requestMediaTypes(operation);
  const rawType = headerText(headers['content-type']);
  const encoding = headerText(headers['content-encoding'])?.trim().toLowerCase();
  if (encoding && encoding !== 'identity' && buffer.length > 0) {
    throw new ClientError(415, `The Content-Encoding header "${encoding}" is not supported; send the body unencoded (identity).`, { 'Accept-Encoding': 'identity' });
  }
  delete headers['content-encoding'];
  if (accepted.length === 0) {
    // No body is documented: a Content-Type is only checked to be one, and not passed on.
    if (rawType !== undefined && !parseMediaType(rawType)) throw new ClientError(415, `The Content-Type header "${rawType}" is not a media type.`);
    delete headers['content-type'];
    return undefined;
  }
  if (rawType === undefined) return buffer.length === 0 ? undefined : text(buffer);
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
  if (buffer.length === 0) return undefined;
  const content = text(buffer);
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

function text(buffer: Buffer): string {
  try {
    return utf8.decode(buffer);
  } catch {
    throw new ClientError(400, 'The request body is not valid UTF-8.');
  }
}

function parseAdminBody(buffer: Buffer): unknown {
  if (buffer.length === 0) return undefined;
  try {
    return JSON.parse(buffer.toString('utf8'));
  } catch {
    return buffer.toString('utf8');
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

function setCorsHeaders(request: IncomingMessage, reply: ServerResponse): void {
  reply.setHeader('Access-Control-Allow-Origin', headerSafe(String(request.headers.origin ?? '*')));
  reply.setHeader('Access-Control-Allow-Headers', headerSafe(String(request.headers['access-control-request-headers'] ?? '*')));
  reply.setHeader('Access-Control-Allow-Credentials', 'true');
  reply.setHeader('Access-Control-Expose-Headers', '*');
}

function sendProblem(reply: ServerResponse, status: number, title: string, detail: string): void {
  if (reply.headersSent) return void reply.end();
  reply.writeHead(status, { 'Content-Type': 'application/problem+json' });
  reply.end(JSON.stringify({ type: 'https://carrier-api.dev/mock/errors#internal', title, status, detail }));
}
