import type { IHttpOperation } from '@stoplight/types';

/** RFC 9110 token characters, for media types. */
const token = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const mediaTypePattern = new RegExp(`^\\s*(${token})/(${token})\\s*((?:;.*)?)$`);

export interface MediaType {
  /** `type/subtype`, lower case. */
  essence: string;
  type: string;
  subtype: string;
  parameters: Record<string, string>;
}

/** Parses a Content-Type value; undefined when it is not a media type (e.g. `foo`). */
export function parseMediaType(value: string): MediaType | undefined {
  const match = mediaTypePattern.exec(value);
  if (!match) return undefined;
  const type = match[1]!.toLowerCase();
  const subtype = match[2]!.toLowerCase();
  const parameters: Record<string, string> = {};
  for (const part of (match[3] ?? '').split(';').slice(1)) {
    const [name, ...rest] = part.split('=');
    if (name && rest.length > 0) parameters[name.trim().toLowerCase()] = rest.join('=').trim().replace(/^"(.*)"$/, '$1');
  }
  return { essence: `${type}/${subtype}`, type, subtype, parameters };
}

/**
 * The first of `offered` (media types the operation documents) that the Accept header allows;
 * undefined when none does. Malformed ranges are ignored, so `Accept: foo` allows nothing.
 */
export function negotiate(accept: string | undefined, offered: string[]): string | undefined {
  if (accept === undefined || accept.trim() === '') return offered[0];
  const ranges = accept
    .split(',')
    .map((range) => parseMediaType(range))
    .filter((range): range is MediaType => range !== undefined)
    .map((range) => ({ ...range, q: range.parameters.q === undefined ? 1 : Number(range.parameters.q) }))
    .filter((range) => Number.isFinite(range.q) && range.q > 0);
  return offered.find((media) => {
    const [type, subtype] = media.toLowerCase().split('/');
    return ranges.some((range) => (range.type === '*' || range.type === type) && (range.subtype === '*' || range.subtype === subtype));
  });
}

export interface MatchedOperation {
  operation: IHttpOperation;
  /** Path parameters, decoded. */
  pathParams: Record<string, string>;
}

export interface OperationIndex {
  /** The operation for this method and path; `undefined` with the methods the path has (405), or with none (404). */
  match(method: string, pathname: string): { found: MatchedOperation } | { allowed: string[]; onPath: IHttpOperation[] };
}

export function indexOperations(operations: IHttpOperation[]): OperationIndex {
  const templates = operations
    .map((operation) => {
      const names: string[] = [];
      const source = operation.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_whole, name: string) => {
        names.push(name);
        return '([^/]+)';
      });
      return { operation, names, pattern: new RegExp(`^${source}$`) };
    })
    // Literal paths before templated ones.
    .sort((a, b) => a.names.length - b.names.length);
  return {
    match(method, pathname) {
      const onPath = templates.filter((template) => template.pattern.test(pathname));
      const template = onPath.find((candidate) => candidate.operation.method.toLowerCase() === method.toLowerCase());
      if (!template) return { allowed: [...new Set(onPath.map((candidate) => candidate.operation.method.toUpperCase()))], onPath: onPath.map((candidate) => candidate.operation) };
      const values = template.pattern.exec(pathname)!.slice(1);
      const pathParams = Object.fromEntries(template.names.map((name, index) => [name, safeDecode(values[index]!)]));
      return { found: { operation: template.operation, pathParams } };
    },
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Media types of an operation's request body; empty when it takes none. */
export function requestMediaTypes(operation: IHttpOperation): string[] {
  return (operation.request?.body?.contents ?? []).map((content) => content.mediaType.toLowerCase());
}

/** Every media type an operation's documented responses can be written in. */
export function responseMediaTypes(operation: IHttpOperation): string[] {
  return [...new Set(operation.responses.flatMap((response) => (response.contents ?? []).map((content) => content.mediaType.toLowerCase())))];
}

export function documentsStatus(operation: IHttpOperation, status: number): boolean {
  return operation.responses.some((response) => response.code === String(status));
}

const reasons: Record<number, [code: string, phrase: string]> = {
  400: ['BAD_REQUEST', 'Bad Request'],
  401: ['UNAUTHORIZED', 'Unauthorized'],
  403: ['FORBIDDEN', 'Forbidden'],
  404: ['NOT_FOUND', 'Not Found'],
  405: ['METHOD_NOT_ALLOWED', 'Method Not Allowed'],
  406: ['NOT_ACCEPTABLE', 'Not Acceptable'],
  409: ['CONFLICT', 'Conflict'],
  413: ['PAYLOAD_TOO_LARGE', 'Payload Too Large'],
  415: ['UNSUPPORTED_MEDIA_TYPE', 'Unsupported Media Type'],
  422: ['UNPROCESSABLE_ENTITY', 'Unprocessable Entity'],
  429: ['TOO_MANY_REQUESTS', 'Too Many Requests'],
  500: ['INTERNAL_ERROR', 'Internal Server Error'],
  503: ['SERVICE_UNAVAILABLE', 'Service Unavailable'],
};

export function reasonOf(status: number): [code: string, phrase: string] {
  return reasons[status] ?? [status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST', status >= 500 ? 'Server Error' : 'Client Error'];
}

interface ErrorSchema {
  properties?: Record<string, unknown>;
}

/** The error schema documented for `status` on the operation, else its 400's, else the API's first 4xx. */
function errorSchemaFor(operations: IHttpOperation[], operation: IHttpOperation | undefined, status: number): ErrorSchema | undefined {
  const schemaOf = (op: IHttpOperation, code: string) =>
    op.responses.find((response) => response.code === code)?.contents?.find((content) => /json/i.test(content.mediaType))?.schema as ErrorSchema | undefined;
  if (operation) {
    const own = schemaOf(operation, String(status)) ?? schemaOf(operation, '400');
    if (own?.properties) return own;
  }
  // An unknown path: the API's own error body (any operation but the shared OAuth2 token endpoint).
  for (const op of operations) {
    if (op.iid === 'createToken') continue;
    for (const response of op.responses) {
      if (!/^4/.test(response.code)) continue;
      const schema = schemaOf(op, response.code);
      if (schema?.properties) return schema;
    }
  }
  return undefined;
}

export interface ErrorContext {
  operations: IHttpOperation[];
  operation?: IHttpOperation;
  path: string;
  /** MTN: the request's transactionId header, echoed when valid. */
  transactionId?: string;
}

/**
 * The API's documented error body for `status`, filled from its schema's property names:
 * Centili `{code, message}`, MTN's `{transactionId, timestamp, statusCode, error, message, path}`,
 * the OAuth2 `{error, error_description}` of the token endpoint.
 */
export function errorBody(context: ErrorContext, status: number, message: string, code?: string): Record<string, unknown> {
  const schema = errorSchemaFor(context.operations, context.operation, status);
  const [defaultCode, phrase] = reasonOf(status);
  const properties = Object.keys(schema?.properties ?? { code: {}, message: {} });
  const oauth = properties.includes('error_description');
  const body: Record<string, unknown> = {};
  for (const name of properties) {
    switch (name) {
      case 'code':
        body.code = code ?? defaultCode;
        break;
      case 'message':
        body.message = message;
        break;
      case 'error':
        body.error = oauth ? (code ?? 'invalid_request') : phrase;
        break;
      case 'error_description':
        body.error_description = message;
        break;
      case 'statusCode':
        body.statusCode = String(status);
        break;
      case 'timestamp':
        body.timestamp = new Date().toISOString();
        break;
      case 'path':
        body.path = context.path;
        break;
      case 'transactionId':
        body.transactionId = validMtnTransactionId(context.transactionId) ?? generateMtnTransactionId();
        break;
      default:
        break;
    }
  }
  return body;
}

/** MTN: "The value must be between 5 and 20 characters, and consist of ASCII letters, digits, or the characters +, /, =, and -." */
export function validMtnTransactionId(value: string | undefined): string | undefined {
  return value !== undefined && /^[A-Za-z0-9+/=-]{5,20}$/.test(value) ? value : undefined;
}

/** MTN: "Invalid or blank IDs will be ignored and replaced with generated ones." */
export function generateMtnTransactionId(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(6));
  return `sbx-${[...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}
