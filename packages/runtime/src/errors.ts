/** Where a failed call came from; never carries credentials. */
export interface RequestContext {
  operationId: string | undefined;
  method: string;
  /** The URL without its query string (queries may carry subscriber numbers). */
  url: string;
  /** MTN `transactionId` request reference, when the operation has one. */
  requestReference: string | undefined;
  idempotencyKey: string | undefined;
  /** How many times the request was sent. */
  attempts: number;
}

/** An API answered with an error status. `body` is the documented error body of the operation. */
export class CarrierApiError<TBody = unknown> extends Error {
  override name = 'CarrierApiError';
  readonly status: number;
  /** Centili's `code` (`{code, message}` bodies) or OAuth2's `error`. */
  readonly code: string | undefined;
  /** MTN's `statusCode` extension. */
  readonly statusCode: string | undefined;
  readonly body: TBody;
  readonly operationId: string | undefined;
  readonly requestReference: string | undefined;
  readonly idempotencyKey: string | undefined;
  readonly attempts: number;

  constructor(status: number, body: TBody, context: RequestContext, message?: string) {
    const fields = readErrorFields(body);
    const what = context.operationId ?? `${context.method} ${context.url}`;
    super(message ?? `${what} failed with HTTP ${status}${fields.code ? ` (${fields.code})` : ''}${fields.message ? `: ${fields.message}` : ''}`);
    this.status = status;
    this.body = body;
    this.code = fields.code;
    this.statusCode = fields.statusCode;
    this.operationId = context.operationId;
    this.requestReference = context.requestReference;
    this.idempotencyKey = context.idempotencyKey;
    this.attempts = context.attempts;
  }
}

/** The token endpoint refused the grant (wrong credentials, expired refresh token, unknown client). */
export class CarrierAuthError extends CarrierApiError<{ error?: string; error_description?: string } | undefined> {
  override name = 'CarrierAuthError';
}

/** The request never got an HTTP answer (connection refused or dropped, timeout). */
export class CarrierNetworkError extends Error {
  override name = 'CarrierNetworkError';
  readonly operationId: string | undefined;
  readonly attempts: number;
  constructor(context: RequestContext, cause: unknown) {
    const what = context.operationId ?? `${context.method} ${context.url}`;
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`${what} got no response after ${context.attempts} attempt(s): ${reason}`, { cause });
    this.operationId = context.operationId;
    this.attempts = context.attempts;
  }
}

/** The caller passed something the API would reject; nothing was sent. */
export class CarrierValidationError extends Error {
  override name = 'CarrierValidationError';
  constructor(
    readonly field: string,
    readonly rule: string,
    detail: string,
  ) {
    super(`Invalid ${field}: ${detail} (rule: ${rule})`);
  }
}

export function isCarrierApiError<TBody = unknown>(error: unknown): error is CarrierApiError<TBody> {
  return error instanceof CarrierApiError;
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
