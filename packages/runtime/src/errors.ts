import { redactCause, redactText, redactValue, variants } from './redact.js';

/** Where a failed call came from; never carries credentials. */
export interface RequestContext {
  operationId: string | undefined;
  method: string;
  /** The URL without its query string (queries may carry subscriber numbers). */
  url: string;
  /** MTN `transactionId` request reference, when the operation has one. */
  requestReference: string | undefined;
  /** The Idempotency-Key sent on every attempt; pass it again to try later without a double charge. */
  idempotencyKey: string | undefined;
  /** How many times the request was sent. */
  attempts: number;
  /** The server's id of the last answer (`X-Request-Id`, `X-Correlation-Id` or `Request-Id`), if any. */
  requestId?: string | undefined;
}

/**
 * The brand every carrier error carries, under a registry symbol: the ESM and the CommonJS copy
 * of this package (or two versions of it) in one process recognise each other's errors.
 */
const brand: unique symbol = Symbol.for('@carrier-api/runtime/error-kinds') as never;

type ErrorKind =
  | 'CarrierError'
  | 'CarrierApiError'
  | 'CarrierAuthError'
  | 'CarrierIdempotencyKeyReusedError'
  | 'CarrierNetworkError'
  | 'CarrierTimeoutError'
  | 'CarrierAbortError'
  | 'CarrierValidationError'
  | 'CarrierParseError'
  | 'CarrierResponseValidationError';

function kindsOf(value: unknown): readonly string[] | undefined {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return undefined;
  const kinds = (value as { [brand]?: unknown })[brand];
  return Array.isArray(kinds) ? kinds : undefined;
}

function isKind(value: unknown, kind: ErrorKind): boolean {
  return kindsOf(value)?.includes(kind) ?? false;
}

function setKinds(target: { prototype: object }, kinds: ErrorKind[]): void {
  Object.defineProperty(target.prototype, brand, { value: Object.freeze(kinds), enumerable: false });
  // The name on the prototype: the stack's first line reads it, and it is not an own field.
  Object.defineProperty(target.prototype, 'name', { value: kinds[kinds.length - 1], enumerable: false, configurable: true, writable: true });
}

/**
 * What every carrier error has in common: the operation, the keys to try again safely, the
 * attempts made and the server's request id. `instanceof` works across copies of the runtime.
 */
export class CarrierError extends Error {
  /** The brand `instanceof` checks; see the `is…` functions. */
  static readonly kind: ErrorKind = 'CarrierError';
  readonly operationId: string | undefined;
  readonly requestReference: string | undefined;
  /**
   * The Idempotency-Key every attempt carried. When set, sending the same call again with this
   * key can never execute it twice: the server answers with the first outcome.
   */
  readonly idempotencyKey: string | undefined;
  /** How many times the request was sent (0: never). */
  readonly attempts: number;
  /** The server's request id of the last answer, for support tickets. */
  readonly requestId: string | undefined;

  /**
   * @param message - Redacted here: every secret in `secrets` is masked.
   * @param context - The request; its fields are copied.
   * @param secrets - The credentials in play (password, client secret, tokens, API key).
   * @param cause - Kept as a redacted copy.
   */
  constructor(message: string, context: RequestContext | undefined, secrets: readonly string[] = [], cause?: unknown) {
    super(redactText(message, secrets), cause === undefined ? undefined : { cause: redactCause(cause, secrets) });
    this.operationId = context?.operationId;
    this.requestReference = context?.requestReference;
    this.idempotencyKey = context?.idempotencyKey;
    this.attempts = context?.attempts ?? 0;
    this.requestId = context?.requestId === undefined ? undefined : redactText(context.requestId, secrets);
  }

  /** `error instanceof CarrierApiError` holds for errors of any copy of the runtime. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // A subclass of the caller's own (no `kind` of its own) keeps the ordinary prototype check.
    if (!Object.prototype.hasOwnProperty.call(this, 'kind')) return Function.prototype[Symbol.hasInstance].call(this, value);
    return isKind(value, this.kind);
  }

  /** What JSON.stringify and loggers see: name, message and the fields (all redacted already). */
  toJSON(): Record<string, unknown> {
    const cause = this.cause instanceof Error ? { name: this.cause.name, message: this.cause.message } : this.cause;
    return { ...(this as object), name: this.name, message: this.message, ...(cause === undefined ? {} : { cause }) };
  }
}
setKinds(CarrierError, ['CarrierError']);

/** An API answered with an error status. `body` is the documented error body of the operation. */
export class CarrierApiError<TBody = unknown> extends CarrierError {
  static override readonly kind: ErrorKind = 'CarrierApiError';
  readonly status: number;
  /** Centili's `code` (`{code, message}` bodies) or OAuth2's `error`. */
  readonly code: string | undefined;
  /** MTN's `statusCode` extension. */
  readonly statusCode: string | undefined;
  /** The parsed error body, with every secret the client holds masked. */
  readonly body: TBody;

  /**
   * @param status - The HTTP status.
   * @param body - The parsed body; stored redacted.
   * @param context - The request.
   * @param message - Overrides the message built from the status and the body's code and message.
   * @param secrets - The credentials to mask in message and body.
   */
  constructor(status: number, body: TBody, context: RequestContext, message?: string, secrets: readonly string[] = []) {
    const clean = redactValue(body, secrets);
    const fields = readErrorFields(clean);
    const what = context.operationId ?? `${context.method} ${context.url}`;
    super(message ?? `${what} failed with HTTP ${status}${fields.code ? ` (${fields.code})` : ''}${fields.message ? `: ${fields.message}` : ''}`, context, secrets);
    this.status = status;
    this.body = clean;
    this.code = fields.code;
    this.statusCode = fields.statusCode;
  }
}
setKinds(CarrierApiError, ['CarrierError', 'CarrierApiError']);

/** The token endpoint refused the grant (wrong credentials, expired refresh token, unknown client). */
export class CarrierAuthError extends CarrierApiError<{ error?: string; error_description?: string } | undefined> {
  static override readonly kind: ErrorKind = 'CarrierAuthError';
}
setKinds(CarrierAuthError, ['CarrierError', 'CarrierApiError', 'CarrierAuthError']);

/** The `code` of the documented refusal of a reused Idempotency-Key (specs/shared/responses/IdempotencyKeyReused.yaml). */
export const IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED';

/**
 * The server refused the call's Idempotency-Key because the key was already used with a different
 * request: HTTP 422 with `code: "IDEMPOTENCY_KEY_REUSED"` (specs/shared/responses/IdempotencyKeyReused.yaml,
 * after Stripe's rule and the IETF draft httpapi-idempotency-key-header §2.7). This request was not
 * executed, and the key still stands for its first request, whose outcome it keeps. Never retried.
 * `idempotencyKey` is the key reused: send this request again with a new key if it is a new
 * charge; if it was meant to repeat the first one, send the first one's parameters.
 */
export class CarrierIdempotencyKeyReusedError<TBody = unknown> extends CarrierApiError<TBody> {
  static override readonly kind: ErrorKind = 'CarrierIdempotencyKeyReusedError';
  /** The key reused; always set on this error. */
  declare readonly idempotencyKey: string;

  /**
   * @param body - The parsed error body; stored redacted.
   * @param context - The request; its `idempotencyKey` is the key refused.
   * @param secrets - The credentials to mask.
   */
  constructor(body: TBody, context: RequestContext & { idempotencyKey: string }, secrets: readonly string[] = []) {
    const what = context.operationId ?? `${context.method} ${context.url}`;
    super(422, body, context, `${what} failed with HTTP 422 (${IDEMPOTENCY_KEY_REUSED}): Idempotency-Key "${context.idempotencyKey}" was already used with a different request; nothing was executed, and the key keeps its first request's outcome`, secrets);
  }
}
setKinds(CarrierIdempotencyKeyReusedError, ['CarrierError', 'CarrierApiError', 'CarrierIdempotencyKeyReusedError']);

/**
 * The error of an error status, typed by what it says: a refused reused Idempotency-Key (a 422
 * with `code: "IDEMPOTENCY_KEY_REUSED"` to a request that carried a key) is a
 * CarrierIdempotencyKeyReusedError, any other status a CarrierApiError.
 *
 * @param status - The HTTP status.
 * @param body - The parsed body (stored redacted).
 * @param context - The request.
 * @param secrets - The credentials to mask in message and body.
 */
export function createApiError<TBody>(status: number, body: TBody, context: RequestContext, secrets: readonly string[] = []): CarrierApiError<TBody> {
  const key = context.idempotencyKey;
  if (status === 422 && key !== undefined && readErrorFields(body).code === IDEMPOTENCY_KEY_REUSED) return new CarrierIdempotencyKeyReusedError(body, { ...context, idempotencyKey: key }, secrets);
  return new CarrierApiError(status, body, context, undefined, secrets);
}

/**
 * The request got no HTTP answer (connection refused or dropped) after every attempt allowed.
 * A write may still have run: try again later with `idempotencyKey`, never without it.
 */
export class CarrierNetworkError extends CarrierError {
  static override readonly kind: ErrorKind = 'CarrierNetworkError';
  /**
   * @param context - The request.
   * @param cause - What fetch threw; kept redacted.
   * @param secrets - The credentials to mask.
   * @param message - Overrides the default message.
   */
  constructor(context: RequestContext, cause: unknown, secrets: readonly string[] = [], message?: string) {
    const what = context.operationId ?? `${context.method} ${context.url}`;
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(message ?? `${what} got no response after ${context.attempts} attempt(s): ${reason}`, context, secrets, cause);
  }
}
setKinds(CarrierNetworkError, ['CarrierError', 'CarrierNetworkError']);

/**
 * No answer came in time: the last attempt outlived `timeout` (ms, per attempt) or the call
 * outlived `deadline` (ms, in all). Attempts that carried an idempotency key were retried with the
 * same key first. The server may have executed the call: try again with `idempotencyKey`.
 */
export class CarrierTimeoutError extends CarrierNetworkError {
  static override readonly kind: ErrorKind = 'CarrierTimeoutError';
  /** Which limit ran out: one attempt's `timeout`, or the whole call's `deadline`. */
  readonly limit: 'timeout' | 'deadline';
  /** That limit, in ms. */
  readonly limitMs: number;

  constructor(context: RequestContext, limit: 'timeout' | 'deadline', limitMs: number, secrets: readonly string[] = []) {
    const what = context.operationId ?? `${context.method} ${context.url}`;
    const detail = limit === 'timeout' ? `attempt ${context.attempts} of ${context.attempts} took longer than the ${limitMs} ms timeout` : `no answer within the ${limitMs} ms deadline (${context.attempts} attempt(s))`;
    super(context, undefined, secrets, `${what} timed out: ${detail}`);
    this.limit = limit;
    this.limitMs = limitMs;
  }
}
setKinds(CarrierTimeoutError, ['CarrierError', 'CarrierNetworkError', 'CarrierTimeoutError']);

/**
 * The caller's AbortSignal fired: the call stopped at once, without retrying. `cause` is the
 * signal's reason. If an attempt was sent, it may have run: try again with `idempotencyKey`.
 */
export class CarrierAbortError extends CarrierError {
  static override readonly kind: ErrorKind = 'CarrierAbortError';
  constructor(context: RequestContext, reason: unknown, secrets: readonly string[] = []) {
    const what = context.operationId ?? `${context.method} ${context.url}`;
    super(`${what} was aborted by the caller after ${context.attempts} attempt(s)`, context, secrets, reason);
  }
}
setKinds(CarrierAbortError, ['CarrierError', 'CarrierAbortError']);

/** Why an answer could not be read as the operation's documented data. */
export type ParseFailure =
  /** A 2xx without a body where the spec documents one (a `204`, `Content-Length: 0`, empty chunks). */
  | 'empty'
  /** The body is not JSON (an HTML portal or login page, a truncated document). */
  | 'not-json'
  /** The body is larger than `maxResponseBytes`. */
  | 'too-large'
  /** The connection ended before the body did (`Content-Length` not reached, a cut chunk). */
  | 'interrupted'
  /** `validateResponses` found the body does not match the documented schema. */
  | 'schema';

/** What CarrierParseError keeps of an answer: the start of its body, at most 500 characters. */
export const PARSE_ERROR_EXCERPT_CHARS = 500;

/**
 * The API answered, but its answer is not the data the operation documents: an empty 2xx where
 * the spec documents a body, a body that is not JSON (a proxy's HTML page, a truncated
 * document), one larger than `maxResponseBytes`, one cut off by the connection, or (with
 * `validateResponses`) one that breaks the documented schema. Never a bare SyntaxError. The call
 * may have executed: the idempotency key is kept, as everywhere.
 */
export class CarrierParseError extends CarrierError {
  static override readonly kind: ErrorKind = 'CarrierParseError';
  /** The HTTP status of the answer. */
  readonly status: number;
  /** The answer's `Content-Type` header as sent (undefined when absent). */
  readonly contentType: string | undefined;
  /** Why the answer could not be read. */
  readonly reason: ParseFailure;
  /** The start of the body as received (at most 500 characters), secrets masked. */
  readonly text: string;
  /**
   * @param status - The HTTP status of the answer.
   * @param text - The body as received (or what of it was read); only an excerpt is kept.
   * @param context - The request.
   * @param cause - What JSON.parse (or the body stream) threw.
   * @param secrets - The credentials to mask, in the message and the excerpt.
   * @param detail - Why, and the content type; default `{ reason: 'not-json' }`.
   */
  constructor(
    status: number,
    text: string,
    context: RequestContext,
    cause: unknown,
    secrets: readonly string[] = [],
    detail: { reason?: ParseFailure; contentType?: string | undefined; message?: string } = {},
  ) {
    const what = context.operationId ?? `${context.method} ${context.url}`;
    const reason = detail.reason ?? 'not-json';
    const type = detail.contentType ? ` (${detail.contentType})` : '';
    const why: Record<ParseFailure, string> = {
      empty: 'an empty body where the spec documents one',
      'not-json': 'a body that is not valid JSON',
      'too-large': 'a body larger than the client accepts',
      interrupted: 'a body the connection cut off',
      schema: 'a body that does not match the documented schema',
    };
    super(detail.message ?? `${what} answered HTTP ${status}${type} with ${why[reason]}`, context, secrets, cause);
    this.status = status;
    this.contentType = detail.contentType === undefined ? undefined : redactText(detail.contentType, secrets);
    this.reason = reason;
    // Redacted before it is cut: a secret across the cut is masked whole, never half shown.
    const longest = secrets.reduce((max, secret) => Math.max(max, ...variants(secret).map((form) => form.length)), 0);
    this.text = redactText(text.slice(0, PARSE_ERROR_EXCERPT_CHARS + longest), secrets).slice(0, PARSE_ERROR_EXCERPT_CHARS);
  }
}
setKinds(CarrierParseError, ['CarrierError', 'CarrierParseError']);

/** One way a body breaks its documented schema: where (a JSON pointer into the body) and which rule. */
export interface ResponseIssue {
  /** JSON pointer into the body, `/` for the body itself. */
  instancePath: string;
  /** The JSON Schema keyword broken (`required`, `type`, `enum`...). */
  rule: string;
  message: string;
}

/**
 * A 2xx body is valid JSON but breaks the operation's documented schema; only raised when the
 * client was given `validateResponses`. `issues` names each field (JSON pointer) and rule.
 */
export class CarrierResponseValidationError extends CarrierParseError {
  static override readonly kind: ErrorKind = 'CarrierResponseValidationError';
  /** What is wrong, field by field (secrets masked). */
  readonly issues: readonly ResponseIssue[];
  /**
   * @param status - The HTTP status of the answer.
   * @param text - The body as received.
   * @param issues - What the validator found; the first three are named in the message.
   * @param schema - The JSON pointer of the schema checked.
   */
  constructor(status: number, text: string, context: RequestContext, secrets: readonly string[], contentType: string | undefined, issues: readonly ResponseIssue[], schema: string) {
    const what = context.operationId ?? `${context.method} ${context.url}`;
    const named = issues.slice(0, 3).map((issue) => `${issue.instancePath} [${issue.rule}] ${issue.message}`).join('; ');
    super(status, text, context, undefined, secrets, {
      reason: 'schema',
      contentType,
      message: `${what} answered HTTP ${status} with a body that does not match ${schema}: ${named}${issues.length > 3 ? ` (and ${issues.length - 3} more)` : ''}`,
    });
    this.issues = issues.map((issue) => ({ instancePath: redactText(issue.instancePath, secrets), rule: issue.rule, message: redactText(issue.message, secrets) }));
  }
}
setKinds(CarrierResponseValidationError, ['CarrierError', 'CarrierParseError', 'CarrierResponseValidationError']);

/** The caller passed something the API would reject; nothing was sent. */
export class CarrierValidationError extends CarrierError {
  static override readonly kind: ErrorKind = 'CarrierValidationError';
  readonly field: string;
  readonly rule: string;
  /**
   * @param field - The option or header at fault, e.g. `auth.apiKey`, `transactionId`.
   * @param rule - The rule broken, e.g. `required`, `pattern ^...$`.
   * @param detail - What was wrong, for the message; must hold no secret.
   */
  constructor(field: string, rule: string, detail: string) {
    super(`Invalid ${field}: ${detail} (rule: ${rule})`, undefined);
    this.field = field;
    this.rule = rule;
  }
}
setKinds(CarrierValidationError, ['CarrierError', 'CarrierValidationError']);

/** Any error of this runtime, from any copy of it (ESM or CJS). */
export function isCarrierError(error: unknown): error is CarrierError {
  return isKind(error, 'CarrierError');
}

/** An error status from an API or the token endpoint, from any copy of the runtime. */
export function isCarrierApiError<TBody = unknown>(error: unknown): error is CarrierApiError<TBody> {
  return isKind(error, 'CarrierApiError');
}

/** A refused reuse of an Idempotency-Key with a different request, from any copy of the runtime. */
export function isCarrierIdempotencyKeyReusedError<TBody = unknown>(error: unknown): error is CarrierIdempotencyKeyReusedError<TBody> {
  return isKind(error, 'CarrierIdempotencyKeyReusedError');
}

/** No answer: connection refused or dropped, or a timeout (CarrierTimeoutError is one). */
export function isCarrierNetworkError(error: unknown): error is CarrierNetworkError {
  return isKind(error, 'CarrierNetworkError');
}

/** The per-attempt timeout or the deadline ran out. */
export function isCarrierTimeoutError(error: unknown): error is CarrierTimeoutError {
  return isKind(error, 'CarrierTimeoutError');
}

/** The API's answer could not be read as the documented data (empty, not JSON, too large, cut off, or off-schema). */
export function isCarrierParseError(error: unknown): error is CarrierParseError {
  return isKind(error, 'CarrierParseError');
}

/** A 2xx body broke its documented schema (`validateResponses`). */
export function isCarrierResponseValidationError(error: unknown): error is CarrierResponseValidationError {
  return isKind(error, 'CarrierResponseValidationError');
}

/** The caller's own AbortSignal stopped the call. */
export function isCarrierAbortError(error: unknown): error is CarrierAbortError {
  return isKind(error, 'CarrierAbortError');
}

function readErrorFields(body: unknown): { code?: string; statusCode?: string; message?: string } {
  if (body === null || typeof body !== 'object') return {};
  const record = body as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : undefined);
  return {
    code: text(record.code) ?? text(record.error),
    statusCode: text(record.statusCode),
    message: text(record.message) ?? text(record.error_description) ?? text(record.statusMessage),
  };
}
