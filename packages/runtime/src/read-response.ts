import type { OperationDefinition } from './api-definition.js';
import { atDeadline, callAborted, callPastDeadline, withinCallLimits, type CallLimits } from './call-limits.js';
import { CarrierParseError, CarrierResponseValidationError, type ResponseIssue } from './errors.js';

/** Default bound of a body the carrier fetch reads: 16 MiB (the documented bodies are a few kB). */
export const DEFAULT_MAX_RESPONSE_BYTES: number = 16 * 1024 * 1024;

/**
 * Checks a 2xx body against the operation's documented schema (opt-in: `validateResponses`).
 * `@carrier-api/schema-validator` fits: `(check) => validator.validate(check.schema, check.body)`.
 *
 * @param check.schema - JSON pointer into the API's bundled spec (`@carrier-api/specs`) of the
 *   body's schema (see `OperationDefinition.responseSchemas`).
 * @returns The issues, `[]` when the body is valid.
 */
/**
 * Lets go of a body that will not be read (a 401 sent again with a renewed token, a retried 503,
 * one past its byte bound): the stream is cancelled and its connection freed, and the cancel is
 * never awaited. A cancel can stay pending for good: MSW 2's mocked responses in Node never
 * settle it, and a call awaiting it hung there (test/discard-body.test.ts).
 *
 * @param body - The response's body, or a reader of it; nothing to do for null.
 */
export function discardBody(body: ReadableStream<Uint8Array> | ReadableStreamDefaultReader<Uint8Array> | null | undefined): void {
  void body?.cancel().catch(() => undefined);
}

export type ResponseValidator = (check: { operationId: string; status: number; schema: string; body: unknown }) => readonly ResponseIssue[];

/**
 * What reading a final answer needs of its call; the body is read within the call's limits too
 * (its `onLimit` ends the attempt's request when the deadline or the caller's signal wins the
 * race for its body).
 */
export interface SettleOptions extends CallLimits {
  operation: OperationDefinition;
  /** Bytes; undefined: no bound. */
  maxBytes: number | undefined;
  validate: ResponseValidator | undefined;
  /**
   * The body can stall without anyone noticing: a fetch of the caller's, or a short timeout.
   * Its read then races the deadline and the caller's signal. False on Node's fetch with the
   * timeout dispatcher and no deadline: undici's `bodyTimeout` and the signal given to fetch end a stalled body.
   */
  watchBody: boolean;
}

/** A CarrierParseError of the answer being read, for a body that could not be read whole. */
type BodyParseError = (reason: 'too-large' | 'interrupted', text: string, cause?: unknown) => CarrierParseError;

/** Statuses whose Response cannot carry a body (the Response constructor refuses one). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/** The statuses the spec writes for `status`: itself, its class (`2XX`), then `default`. */
function schemaFor(operation: OperationDefinition, status: number): string | undefined {
  const schemas = operation.responseSchemas;
  if (!schemas) return undefined;
  return schemas[String(status)] ?? schemas[`${String(status).charAt(0)}XX`] ?? schemas.default;
}

/**
 * Reads the final answer of an operation once, within bounds, and decides what it is before any
 * client sees it, so that the light client (openapi-fetch) and the SDK (typescript-fetch) reach
 * the same outcome. The Response itself is handed on, its body methods answering from what was
 * read (`json()` with the value parsed here: one parse per call, no second Response or stream):
 * - an error status: returned with its body (the clients make it a CarrierApiError);
 * - a 2xx the spec documents without a body (`emptySuccess`), answered empty: returned empty;
 * - any other 2xx: its body must be JSON (whatever the `Content-Type` says: gateways label JSON
 *   `text/plain`), else a CarrierParseError with status, content type and a redacted excerpt;
 *   with a validator, it must also match the documented schema (CarrierResponseValidationError).
 *
 * @returns A Response equal to the one received (status, headers, URL) whose body is the text read.
 * @throws CarrierParseError (`empty`, `not-json`, `too-large`, `interrupted`), CarrierResponseValidationError,
 *   CarrierAbortError (the caller's signal fired while reading), CarrierTimeoutError (the deadline ran out while reading).
 */
export async function settleResponse(response: Response, options: SettleOptions): Promise<Response> {
  const { operation, context } = options;
  // Read only when an error needs it: this runs on every call.
  const contentType = () => response.headers.get('content-type') ?? undefined;
  const parseError = (reason: 'empty' | 'not-json' | 'too-large' | 'interrupted', text: string, cause?: unknown) =>
    new CarrierParseError(response.status, text, context, cause, options.secrets(), { reason, contentType: contentType() });
  const text = await readText(response, options, parseError);
  if (response.ok) {
    if (text.length === 0 || (text.charCodeAt(0) <= 0x20 && text.trim() === '')) {
      if (!operation.emptySuccess?.includes(response.status)) throw parseError('empty', text);
      return settled(response, '', undefined);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw parseError('not-json', text, error);
    }
    const schema = options.validate ? schemaFor(operation, response.status) : undefined;
    if (schema !== undefined) {
      let issues: readonly ResponseIssue[];
      try {
        issues = options.validate!({ operationId: operation.operationId, status: response.status, schema, body });
      } catch (error) {
        // The validator failed, not the body: still a typed error, with the call's key (the 2xx may have charged).
        throw new CarrierParseError(response.status, text, context, error, options.secrets(), { reason: 'schema', contentType: contentType(), message: `validateResponses failed on ${operation.operationId}'s ${response.status} answer` });
      }
      if (issues.length > 0) throw new CarrierResponseValidationError(response.status, text, context, options.secrets(), contentType(), issues, schema);
    }
    return settled(response, text, body);
  }
  return settled(response, text, NOT_PARSED);
}

/**
 * The body as text, at most `maxBytes`, within the caller's signal and the call's deadline.
 * Not an async function: the usual answer (its length known and within bounds) is the
 * platform's own read, without another promise around it.
 */
function readText(response: Response, options: SettleOptions, parseError: BodyParseError): Promise<string> {
  const { maxBytes } = options;
  const length = response.headers.get('content-length');
  const declared = length === null ? Number.NaN : Number(length);
  if (maxBytes !== undefined && declared > maxBytes) {
    discardBody(response.body);
    return Promise.reject(parseError('too-large', ''));
  }
  if (!response.body) return Promise.resolve('');
  // The declared length bounds what is read only when the body is not decoded on the way (a
  // gzip body's Content-Length is its compressed size): otherwise count the bytes as they come.
  const encoding = response.headers.get('content-encoding');
  const lengthIsTheBody = Number.isFinite(declared) && (encoding === null || encoding === 'identity');
  if (maxBytes !== undefined && !lengthIsTheBody) return readChunks(response.body, options, parseError);
  // Not Response.prototype.text: a fetch of the caller's may answer with another Response class.
  const reading = response.text().catch((error: unknown) => {
    throw readFailure(error, options, parseError, NOTHING_READ, false);
  });
  return options.watchBody ? withinCallLimits(reading, options) : reading;
}

const NOTHING_READ: readonly Uint8Array[] = [];

/**
 * What a read of the body that failed (the platform's read rejected) becomes: a CarrierAbortError
 * when the caller's signal fired (the read was ended by it), a CarrierTimeoutError when the read
 * was cancelled at the deadline, else a CarrierParseError (`interrupted`) with what was read so far.
 */
function readFailure(error: unknown, options: SettleOptions, parseError: BodyParseError, readSoFar: readonly Uint8Array[], pastDeadline: boolean): Error {
  if (options.callerSignal?.aborted) return callAborted(options);
  if (pastDeadline) return callPastDeadline(options);
  return parseError('interrupted', decodeUtf8(readSoFar), error);
}

/** A body of unknown length, chunk by chunk, stopped past `maxBytes`, the deadline or the caller's abort. */
async function readChunks(body: ReadableStream<Uint8Array>, options: SettleOptions, parseError: BodyParseError): Promise<string> {
  const { maxBytes } = options;
  const reader = body.getReader();
  // Decoded once at the end (or for an error's excerpt): most answers are a single chunk.
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  let pastDeadline = false;
  // The headers came within the attempt's timeout; a body that can stall unseen must still come
  // within the call's deadline (on undici's path, its bodyTimeout bounds every pause instead).
  const onDeadline = () => {
    pastDeadline = true;
    discardBody(reader);
  };
  const timer = options.watchBody ? atDeadline(options, onDeadline) : undefined;
  try {
    // Bounded: each round consumes a chunk of a finite stream, and the byte bound (when set) ends it early.
    for (;;) {
      let read: ReadableStreamReadResult<Uint8Array>;
      try {
        read = await reader.read();
      } catch (error) {
        throw readFailure(error, options, parseError, chunks, pastDeadline);
      }
      if (pastDeadline) throw callPastDeadline(options);
      if (read.done) break;
      const { value } = read;
      bytes += value.byteLength;
      chunks.push(value);
      if (maxBytes !== undefined && bytes > maxBytes) {
        discardBody(reader);
        throw parseError('too-large', decodeUtf8(chunks));
      }
    }
    return decodeUtf8(chunks);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

/** One decoder for the process: decoding without `stream` keeps no state between calls. */
const utf8 = new TextDecoder();

function decodeUtf8(chunks: readonly Uint8Array[]): string {
  if (chunks.length === 0) return '';
  if (chunks.length === 1) return utf8.decode(chunks[0]);
  const all = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return utf8.decode(all);
}

/** `json()` has nothing parsed to give: the body is parsed when asked (an error status's body). */
const NOT_PARSED = Symbol('not parsed');
/** What settleResponse read of an answer; its body methods answer from it. */
const settledBodies = new WeakMap<Response, { text: string; parsed: unknown }>();

/** The answer was read by settleResponse: its body methods answer from what was read. */
export function isSettled(response: Response): boolean {
  return settledBodies.has(response);
}

// Shared by every settled answer (no closures per call); `this` is the answer.
function settledText(this: Response): Promise<string> {
  return Promise.resolve(settledBodies.get(this)!.text);
}
function settledJson(this: Response): Promise<unknown> {
  const { text, parsed } = settledBodies.get(this)!;
  // An empty settled body is a documented empty success: no data.
  return parsed === NOT_PARSED ? Promise.resolve().then(() => (text === '' ? undefined : JSON.parse(text))) : Promise.resolve(parsed);
}
function settledArrayBuffer(this: Response): Promise<ArrayBuffer> {
  return Promise.resolve(new TextEncoder().encode(settledBodies.get(this)!.text).buffer as ArrayBuffer);
}
function settledBlob(this: Response): Promise<Blob> {
  return Promise.resolve(new Blob([settledBodies.get(this)!.text], { type: this.headers.get('content-type') ?? '' }));
}
/** What a settled answer answers from what was read; `body` and `bodyUsed` as if unread (openapi-fetch's `parseAs: 'stream'`). */
const settledProperties: PropertyDescriptorMap = {
  text: { value: settledText, writable: true, configurable: true },
  json: { value: settledJson, writable: true, configurable: true },
  arrayBuffer: { value: settledArrayBuffer, writable: true, configurable: true },
  blob: { value: settledBlob, writable: true, configurable: true },
  body: {
    get(this: Response) {
      const { text } = settledBodies.get(this)!;
      return text === '' ? null : new Blob([text]).stream();
    },
    configurable: true,
  },
  bodyUsed: { value: false, configurable: true },
  clone: {
    value(this: Response) {
      return settledClone(this);
    },
    writable: true,
    configurable: true,
  },
};

let settledClone: (response: Response) => Response = (response) => cloneSettled(response);
/**
 * What `clone()` of a settled answer does: the carrier fetch's, so that a copy keeps its request
 * context (set once, when the carrier fetch loads).
 */
export function setSettledClone(clone: (response: Response) => Response): void {
  settledClone = clone;
}
const settledPrototype: object | undefined = typeof Response === 'function' ? Object.create(Response.prototype, settledProperties) : undefined;

/**
 * `response`, whose body was read into `text`, answering `text()`, `json()`, `arrayBuffer()`
 * and `blob()` from it, as if unread: what openapi-fetch and typescript-fetch call (`clone()`:
 * see cloneSettled). A body that is not JSON was refused before (2xx) or is read as the text
 * (error statuses, for the CarrierApiError).
 */
function settled(response: Response, text: string, parsed: unknown): Response {
  settledBodies.set(response, { text, parsed });
  // The platform's Response: one prototype switch (the methods and properties below, shared by
  // every settled answer) instead of six own properties per call. Another class keeps its own
  // prototype and gets them as own properties.
  if (settledPrototype !== undefined && Object.getPrototypeOf(response) === Response.prototype) return Object.setPrototypeOf(response, settledPrototype) as Response;
  Object.defineProperties(response, settledProperties);
  return response;
}

/** A copy of a settled answer (status, headers, URL), itself settled with the same body. */
export function cloneSettled(response: Response): Response {
  const { text } = settledBodies.get(response)!;
  const headers = new Headers(response.headers);
  // The copy's body is the decoded text: the original's length and encoding no longer describe it.
  headers.delete('content-encoding');
  headers.delete('content-length');
  const copy = new Response(text === '' || NULL_BODY_STATUSES.has(response.status) ? null : text, { status: response.status, statusText: response.statusText, headers });
  Object.defineProperty(copy, 'url', { value: response.url, enumerable: true });
  // Parsed again when asked: a middleware changing its copy's data must not change the caller's.
  return settled(copy, text, NOT_PARSED);
}
