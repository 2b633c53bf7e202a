import { createOperationMatcher, type ApiDefinition, type OperationDefinition } from './api-definition.js';
import { createAuthProvider, type ApiKeyAuth, type AuthProvider, type OAuth2Auth } from './auth.js';
import { withinCallLimits } from './call-limits.js';
import { CarrierAbortError, CarrierNetworkError, CarrierParseError, CarrierTimeoutError, CarrierValidationError, type CarrierError, type RequestContext } from './errors.js';
import { isLightRequest } from './light-request.js';
import { errorFromResponse } from './result.js';
import { DEFAULT_MAX_RESPONSE_BYTES, cloneSettled, discardBody, isSettled, setSettledClone, settleResponse, type ResponseValidator } from './read-response.js';
import { redactHeaders, redactText } from './redact.js';
import { assertRequestReference, generateRequestReference } from './request-reference.js';
import { backoffDelay, isSafeToRetry, parseRetryAfter, resolveRetryPolicy, type RetryOptions } from './retry.js';

/** Default time limit of one attempt, until the response headers arrive: 30 s. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** Default time limit of a whole call, retries and their waits included: 60 s. */
export const DEFAULT_DEADLINE_MS = 60_000;

/**
 * What the observability hook is told. Never holds a credential: headers are redacted
 * (Authorization, API keys and cookies become `[REDACTED]`), and so are error messages.
 */
export interface CarrierEvent {
  /** `request`: an attempt is sent; `response`: its answer came; `retry`: another attempt follows after `delayMs`; `error`: the call failed without an answer. */
  type: 'request' | 'response' | 'retry' | 'error';
  method: string;
  operationId: string | undefined;
  /** The URL without its query string. */
  url: string;
  /** The attempt this event is about, 1 for the first. */
  attempt: number;
  /** Time since the attempt was sent, in ms (0 for `request`). */
  durationMs: number;
  idempotencyKey: string | undefined;
  requestReference: string | undefined;
  /** HTTP status (`response`, and `retry` after an answer). */
  status?: number;
  /** The server's request id, when it sent one. */
  requestId?: string;
  /** Request headers (`request`) or response headers (`response`), redacted. */
  headers?: Record<string, string>;
  /** The wait before the next attempt, in ms (`retry`). */
  delayMs?: number;
  /** Why a retry or an error: `HTTP 503`, `network error`, `timeout`. */
  reason?: string;
  /** The error the call ends with (`error`), redacted. */
  error?: CarrierError;
}

/** What createCarrierFetch needs: the API (from its spec), credentials, and the limits of a call. */
export interface CarrierFetchOptions {
  /** The API's operations as its spec declares them (generated: `apiDefinition` of each client and SDK). */
  definition: ApiDefinition;
  /** OAuth2 password credentials (Centili) or an API key (MTN), as the spec's security scheme says. */
  auth: OAuth2Auth | ApiKeyAuth;
  /** Retry policy; `false` sends every request once. */
  retry?: RetryOptions | false;
  /** The fetch to send with (undici's, a test double...). Default: globalThis.fetch. */
  fetch?: typeof globalThis.fetch;
  /**
   * Time limit of one attempt in ms, until the response headers arrive. With Node's fetch and
   * 5 s or more, undici's headers timeout counts it once the request is sent, and no pause in the
   * body may be longer (see createTimeoutDispatcher). The body is always read within the
   * deadline and your `signal`. A timed-out attempt of a read or of a call carrying an
   * Idempotency-Key is retried with the same key; the last one ends in a CarrierTimeoutError.
   * Default 30 000; `false`: none.
   */
  timeout?: number | false;
  /**
   * Time limit of the whole call in ms (every attempt and wait). Default 60 000; `false`: none.
   * Exceeding it ends in a CarrierTimeoutError whose `limit` is `deadline`.
   */
  deadline?: number | false;
  /** Told of every request, response, retry and failure; for logs and metrics. Must not throw (what it throws is ignored). */
  onEvent?: (event: CarrierEvent) => void;
  /**
   * Reject with a CarrierApiError on a final error status instead of resolving with the
   * Response (the SDKs: no middleware then needs a `response.clone()` per call). Default false.
   */
  throwOnHttpError?: boolean;
  /**
   * The base URL the caller gave the client (what `baseUrl` of ClientOptions was). Undefined: the
   * spec's servers, and then an operation with a server of its own (the Centili token endpoint
   * on api.centili.com) is sent there rather than to the API's first server.
   */
  baseUrl?: string | undefined;
  /**
   * Bound of a response body in bytes; a larger one ends in a CarrierParseError (`too-large`)
   * without being read further. Default 16 MiB; `false`: none.
   */
  maxResponseBytes?: number | false;
  /**
   * Opt-in: check every 2xx body against the schema its operation documents, and reject one
   * that breaks it with a CarrierResponseValidationError (field and rule of each issue). Without
   * it (the default) a 2xx JSON body is returned as the server sent it, even off-schema.
   * `@carrier-api/schema-validator` fits: see ResponseValidator.
   */
  validateResponses?: ResponseValidator;
}

/** A fetch (same arguments and result as the standard one) that sends through the carrier runtime. */
export type CarrierFetch = (input: Request | string | URL, init?: RequestInit) => Promise<Response>;

interface Remembered {
  context: RequestContext;
  response: Response;
  secrets: () => readonly string[];
  /** The operation answered, when known: its documented empty successes. */
  operation?: OperationDefinition | undefined;
}

const remembered = new WeakMap<Response, Remembered>();
const nativeClone: (() => Response) | undefined = typeof Response === 'function' ? Response.prototype.clone : undefined;

/** typescript-fetch hands its middleware `response.clone()`: the clone keeps the context. */
function cloneKeepingContext(this: Response): Response {
  const copy = isSettled(this) ? cloneSettled(this) : nativeClone!.call(this);
  const entry = remembered.get(this);
  if (entry) remember(copy, entry);
  return copy;
}

/**
 * `response.json()` as openapi-fetch and typescript-fetch call it, but a body that is not JSON
 * rejects with a CarrierParseError (operation, idempotency key, attempts) instead of a bare
 * SyntaxError.
 */
async function jsonOrParseError(this: Response): Promise<unknown> {
  const text = await this.text();
  const entry = remembered.get(this);
  // A success the spec documents without a body (a 204): no data, rather than a parse failure.
  if (text.trim() === '' && this.ok && entry?.operation?.emptySuccess?.includes(this.status)) return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    const context = entry ? (getRequestContext(this) ?? entry.context) : { operationId: undefined, method: 'unknown', url: this.url, requestReference: undefined, idempotencyKey: undefined, attempts: 1 };
    throw new CarrierParseError(this.status, text, context, error, entry?.secrets() ?? [], { reason: text.trim() === '' ? 'empty' : 'not-json', contentType: this.headers.get('content-type') ?? undefined });
  }
}

setSettledClone((response) => cloneKeepingContext.call(response));

function remember(response: Response, entry: Remembered): void {
  remembered.set(response, entry);
  // A 2xx read by settleResponse already holds its parsed body and a clone that keeps the
  // context (setSettledClone): nothing more to set on the call's hot path.
  const settledAnswer = isSettled(response);
  if (settledAnswer && response.ok && response.clone !== nativeClone) return;
  if (!response.ok || !settledAnswer) response.json = jsonOrParseError;
  if (settledAnswer || response.clone === nativeClone) {
    response.clone = cloneKeepingContext;
    return;
  }
  const clone = response.clone.bind(response);
  response.clone = () => {
    const copy = clone();
    remember(copy, entry);
    return copy;
  };
}

const requestIdHeaders = ['x-request-id', 'x-correlation-id', 'request-id'];
function readRequestId(headers: Headers): string | undefined {
  for (const name of requestIdHeaders) {
    const value = headers.get(name);
    if (value) return value;
  }
  return undefined;
}

/**
 * What the carrier fetch knows of the request that produced `response` (or a clone of it):
 * operation, keys, attempts and the server's request id.
 */
export function getRequestContext(response: Response): RequestContext | undefined {
  const entry = remembered.get(response);
  if (!entry) return undefined;
  if (entry.context.requestId === undefined) entry.context.requestId = readRequestId(entry.response.headers);
  return entry.context;
}

/** The secrets of the client that produced `response`, to keep them out of errors built from it. */
export function getResponseSecrets(response: Response): readonly string[] {
  return remembered.get(response)?.secrets() ?? [];
}

/** The reason of our own aborts (timeout, deadline). */
const TIMED_OUT = Symbol('timeout');

type HeaderRecord = Record<string, string>;

function toRecord(source: HeadersInit | undefined): HeaderRecord {
  const out: HeaderRecord = {};
  if (!source) return out;
  if (source instanceof Headers) {
    source.forEach((value, name) => (out[name] = value));
    return out;
  }
  if (Array.isArray(source)) {
    for (const [name, value] of source as [string, string][]) out[name.toLowerCase()] = String(value).trim();
    return out;
  }
  // Trimmed as a Headers object would: what the platform sends is what the checks below see.
  for (const name in source) {
    const value = (source as HeaderRecord)[name];
    if (value !== undefined) out[name.toLowerCase()] = String(value).trim();
  }
  return out;
}

/** A body that can be sent more than once as it is; anything else (a stream) is read first. */
function isReusable(body: unknown): boolean {
  return (
    typeof body === 'string' ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body) ||
    body instanceof URLSearchParams ||
    (typeof Blob === 'function' && body instanceof Blob) ||
    (typeof FormData === 'function' && body instanceof FormData)
  );
}

/** `origin + pathname` and the pathname of an absolute URL, without building a URL object. */
function splitUrl(url: string): { base: string; pathname: string } {
  const scheme = url.indexOf('//');
  const slash = url.indexOf('/', scheme + 2);
  if (scheme < 0 || slash < 0) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new CarrierValidationError('url', 'format: url', 'must be an absolute URL (is baseUrl set?)');
    }
    return { base: `${parsed.origin}${parsed.pathname}`, pathname: parsed.pathname };
  }
  let end = url.length;
  const query = url.indexOf('?', slash);
  if (query >= 0) end = query;
  const hash = url.indexOf('#', slash);
  if (hash >= 0 && hash < end) end = hash;
  return { base: url.slice(0, end), pathname: url.slice(slash, end) };
}

/**
 * A fetch that adds what every call of an API needs: credentials, an Idempotency-Key where the
 * spec declares one (the same key on every retry), MTN's request reference, per-attempt timeouts
 * and a deadline, and retries that can never do a thing twice. openapi-fetch clients and
 * openapi-generator SDKs both send through it.
 *
 * The returned function rejects with CarrierNetworkError (no answer), CarrierTimeoutError
 * (`timeout` or `deadline` ran out), CarrierAbortError (the caller's signal fired),
 * CarrierValidationError (a bad request reference) or the TokenManager's errors; every one
 * carries the operation, the idempotency key and the attempts made. The deadline and the
 * caller's signal also end a wait for a token. An HTTP error status is a resolved Response
 * (`expectData` turns it into a CarrierApiError), except with `throwOnHttpError`, where the
 * function rejects with that CarrierApiError itself (the SDKs).
 *
 * @throws CarrierValidationError when `auth` is missing or of the wrong kind for the API.
 * @throws RangeError when `timeout` or `deadline` is not a positive number of ms.
 */
export function createCarrierFetch(options: CarrierFetchOptions): CarrierFetch {
  const send = options.fetch ?? globalThis.fetch;
  // A fetch double of the caller's gets a Request, as openapi-fetch would send; the platform's
  // fetch gets (url, init) and builds its Request once.
  const sendsRequests = options.fetch !== undefined;
  const policy = resolveRetryPolicy(options.retry);
  const attemptTimeout = options.timeout === false ? undefined : (options.timeout ?? DEFAULT_TIMEOUT_MS);
  const deadline = options.deadline === false ? undefined : (options.deadline ?? DEFAULT_DEADLINE_MS);
  for (const [name, value] of [['timeout', attemptTimeout], ['deadline', deadline]] as const) {
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) throw new RangeError(`${name} must be a positive number of ms or false, got ${value}`);
  }
  // The token requests keep the TokenManager's own timeout (10 s): a short API timeout must not
  // make logging in fail.
  const auth: AuthProvider = createAuthProvider(options.definition, options.auth, send, options.retry !== undefined ? { retry: options.retry } : {});
  const secrets = () => auth.secrets();
  const apiKeyHeader = options.definition.auth.type === 'apiKey' ? options.definition.auth.header.toLowerCase() : undefined;
  const findOperation = createOperationMatcher(options.definition);
  const timeoutDispatcher = attemptTimeout !== undefined && options.fetch === undefined ? createTimeoutDispatcher(attemptTimeout) : undefined;
  const onEvent = options.onEvent;
  const throwOnHttpError = options.throwOnHttpError === true;
  const maxResponseBytes = options.maxResponseBytes === false ? undefined : (options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES);
  if (maxResponseBytes !== undefined && !(Number.isFinite(maxResponseBytes) && maxResponseBytes > 0)) throw new RangeError(`maxResponseBytes must be a positive number of bytes or false, got ${maxResponseBytes}`);
  const validateResponses = options.validateResponses;
  // Without a base URL of the caller's, URLs start with the spec's first server; an operation
  // with its own server is moved there.
  const specServer = options.baseUrl === undefined && options.definition.operations.some((operation) => operation.serverUrl !== undefined) ? normalizeBaseUrl(options.definition.defaultBaseUrl) : undefined;
  const emit = (event: CarrierEvent) => {
    try {
      onEvent!(event);
    } catch {
      // An observer's failure is not the call's.
    }
  };

  return async function carrierFetch(input, init) {
    let url: string;
    let method: string;
    let headers: HeaderRecord;
    let body: BodyInit | undefined;
    let callerSignal: AbortSignal | undefined;
    let redirect: RequestRedirect | undefined;
    if (typeof input === 'string' || input instanceof URL) {
      url = typeof input === 'string' ? input : input.href;
      method = (init?.method ?? 'GET').toUpperCase();
      headers = toRecord(init?.headers);
      const given = init?.body ?? undefined;
      // Read once when it is a stream: a retry must send the very same bytes.
      body = given === undefined || isReusable(given) ? (given as BodyInit | undefined) : await new Response(given).arrayBuffer();
      callerSignal = init?.signal ?? undefined;
      redirect = init?.redirect;
    } else if (isLightRequest(input)) {
      // Built by a light client's openapi-fetch (createLightRequests): the fields as given.
      url = input.url;
      method = input.method;
      headers = toRecord(input.headers);
      const given = input.body;
      body = given === undefined || given === null || isReusable(given) ? ((given ?? undefined) as BodyInit | undefined) : await new Response(given as BodyInit).arrayBuffer();
      callerSignal = input.signal;
      redirect = input.redirect;
    } else {
      const request = init === undefined ? input : new Request(input, init);
      url = request.url;
      method = request.method;
      headers = toRecord(request.headers);
      body = request.body ? await request.arrayBuffer() : undefined;
      callerSignal = request.signal;
      redirect = request.redirect;
    }
    let { base, pathname } = splitUrl(url);
    const operation = findOperation(method, pathname);
    if (operation?.serverUrl !== undefined && specServer !== undefined && url.startsWith(`${specServer}/`)) {
      url = `${normalizeBaseUrl(operation.serverUrl)}${url.slice(specServer.length)}`;
      ({ base, pathname } = splitUrl(url));
    }
    if (operation?.requestMediaType === FORM_MEDIA_TYPE) body = asForm(body, headers);

    // An empty key is no key: the server would treat it as absent, and a retry could charge twice.
    // (Blank too: fetch trims header values, and a key of spaces goes out empty.)
    if (operation?.idempotencyKey && !headers['idempotency-key']?.trim()) headers['idempotency-key'] = crypto.randomUUID();
    const rule = operation?.requestReference;
    let requestReference: string | undefined;
    if (rule) {
      const name = rule.header.toLowerCase();
      const given = headers[name];
      if (given === undefined || given === '') headers[name] = generateRequestReference(rule);
      else assertRequestReference(given, rule);
      requestReference = headers[name];
    }
    const context: RequestContext = {
      operationId: operation?.operationId,
      method,
      url: base,
      requestReference,
      idempotencyKey: headers['idempotency-key'],
      attempts: 0,
      requestId: undefined,
    };
    const retryable = isSafeToRetry(method, context.idempotencyKey !== undefined);
    const startedAt = Date.now();
    const deadlineAt = deadline === undefined ? undefined : startedAt + deadline;
    const fail = (error: CarrierError, reason: string, attemptStarted: number): CarrierError => {
      if (onEvent) emit({ ...eventBase(attemptStarted), type: 'error', reason, error });
      return error;
    };
    const eventBase = (attemptStarted: number) => ({
      method,
      operationId: context.operationId,
      url: base,
      attempt: context.attempts,
      durationMs: Date.now() - attemptStarted,
      idempotencyKey: context.idempotencyKey,
      requestReference,
    });
    let renewedAuth = false;

    for (;;) {
      if (callerSignal?.aborted) throw fail(new CarrierAbortError(context, callerSignal.reason, secrets()), 'aborted', Date.now());
      let attemptHeaders = headers;
      if (operation?.authenticated !== false) {
        const credentials = auth.headers();
        // Credentials at hand (an API key, a fresh token) are used at once: no promise, no timer.
        // Else the wait ends at the caller's abort or the deadline, and the call fails with that
        // (the renewal itself goes on: other calls share it).
        const authHeaders = credentials instanceof Promise ? await withinCallLimits(credentials, { context, secrets, callerSignal, deadlineAt, deadlineMs: deadline, onLimit: (error) => void fail(error, error instanceof CarrierAbortError ? 'aborted' : 'timeout', Date.now()) }) : credentials;
        attemptHeaders = { ...headers };
        for (const name in authHeaders) attemptHeaders[name.toLowerCase()] = authHeaders[name]!;
      }
      if (callerSignal?.aborted) throw fail(new CarrierAbortError(context, callerSignal.reason, secrets()), 'aborted', Date.now());
      const attemptStarted = Date.now();
      const remaining = deadlineAt === undefined ? undefined : deadlineAt - attemptStarted;
      if (remaining !== undefined && remaining <= 0) throw fail(new CarrierTimeoutError(context, 'deadline', deadline!, secrets()), 'timeout', attemptStarted);
      context.attempts += 1;

      // The attempt's limit: undici's own headers timeout where it is precise enough and the
      // deadline is not sooner (no signal: the cheap path, see createTimeoutDispatcher; a timer of
      // ours still holds the deadline), else at most one controller and one timer, the sooner of
      // timeout and deadline. The caller's signal is joined to it, and covers the body too.
      let signal = callerSignal;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let controller: AbortController | undefined;
      // The deadline's one timer on undici's path, for the headers and then the body.
      let watch: DeadlineWatch | undefined;
      let limit: 'timeout' | 'deadline' | undefined;
      const dispatcher = timeoutDispatcher !== undefined && (remaining === undefined || remaining >= attemptTimeout!) ? timeoutDispatcher : undefined;
      if (dispatcher === undefined && (attemptTimeout !== undefined || remaining !== undefined)) {
        const attempt = (controller = new AbortController());
        const byDeadline = remaining !== undefined && (attemptTimeout === undefined || remaining <= attemptTimeout);
        timer = setTimeout(
          () => {
            limit = byDeadline ? 'deadline' : 'timeout';
            attempt.abort(TIMED_OUT);
          },
          byDeadline ? remaining : attemptTimeout,
        );
        signal = callerSignal ? AbortSignal.any([callerSignal, attempt.signal]) : attempt.signal;
      }
      if (onEvent) emit({ ...eventBase(attemptStarted), type: 'request', headers: redactHeaders(attemptHeaders, secrets(), apiKeyHeader) });

      let response: Response;
      try {
        const requestInit: RequestInit = { method, headers: attemptHeaders };
        if (body !== undefined) requestInit.body = body;
        if (signal) requestInit.signal = signal;
        if (redirect !== undefined) requestInit.redirect = redirect;
        if (dispatcher !== undefined) (requestInit as RequestInit & { dispatcher: TimeoutDispatcher }).dispatcher = dispatcher;
        const sent = sendsRequests ? send(new Request(url, requestInit)) : send(url, requestInit);
        if (dispatcher === undefined) response = await sent;
        else {
          // undici's headers timeout starts only once the request is on a socket, and a global
          // dispatcher of the caller's may ignore it: the deadline still ends the call (the
          // request itself is left to undici's own limits).
          watch = deadlineAt === undefined ? undefined : watchDeadline(deadlineAt);
          const answer = watch === undefined ? await sent : await Promise.race([sent, watch.reached]);
          if (answer === PAST_DEADLINE) throw fail(new CarrierTimeoutError(context, 'deadline', deadline!, secrets()), 'timeout', attemptStarted);
          response = answer as Response;
        }
      } catch (error) {
        if (error instanceof CarrierTimeoutError) throw error;
        if (callerSignal?.aborted) throw fail(new CarrierAbortError(context, callerSignal.reason, secrets()), 'aborted', attemptStarted);
        if (dispatcher !== undefined && isHeadersTimeout(error)) limit = 'timeout';
        if (limit === 'deadline') throw fail(new CarrierTimeoutError(context, 'deadline', deadline!, secrets()), 'timeout', attemptStarted);
        const reason = limit === 'timeout' ? 'timeout' : 'network error';
        const delay = retryable ? nextDelay(context.attempts, undefined) : undefined;
        if (delay === undefined) {
          throw fail(
            limit === 'timeout' ? new CarrierTimeoutError(context, 'timeout', attemptTimeout!, secrets()) : new CarrierNetworkError(context, error, secrets()),
            reason,
            attemptStarted,
          );
        }
        if (onEvent) emit({ ...eventBase(attemptStarted), type: 'retry', delayMs: delay, reason });
        policy.onRetry?.({ operationId: context.operationId, attempt: context.attempts, delayMs: delay, reason });
        await wait(delay, attemptStarted);
        continue;
      } finally {
        if (timer !== undefined) clearTimeout(timer);
      }

      if (onEvent) {
        context.requestId = readRequestId(response.headers);
        emit({
          ...eventBase(attemptStarted),
          type: 'response',
          status: response.status,
          ...(context.requestId ? { requestId: redactText(context.requestId, secrets()) } : {}),
          headers: redactHeaders(response.headers, secrets(), apiKeyHeader),
        });
      }

      // A 401 means the request was refused before anything ran: renewing the token and sending
      // once more is safe even for a payment without an idempotency key.
      if (response.status === 401 && !renewedAuth && auth.renewAfterUnauthorized(lowerAuthHeaders(attemptHeaders))) {
        renewedAuth = true;
        discardBody(response.body);
        continue;
      }
      if (retryable && policy.retryOnStatuses.includes(response.status)) {
        const delay = nextDelay(context.attempts, parseRetryAfter(response.headers.get('Retry-After')));
        if (delay !== undefined) {
          const reason = `HTTP ${response.status}`;
          context.requestId = readRequestId(response.headers);
          if (onEvent) emit({ ...eventBase(attemptStarted), type: 'retry', status: response.status, delayMs: delay, reason });
          policy.onRetry?.({ operationId: context.operationId, attempt: context.attempts, delayMs: delay, reason });
          discardBody(response.body);
          await wait(delay, attemptStarted);
          continue;
        }
      }
      // Read from the final response when asked for (getRequestContext), not on every call.
      context.requestId = undefined;
      if (operation) {
        context.requestId = readRequestId(response.headers);
        try {
          response = await settleResponse(response, { operation, context, secrets, maxBytes: maxResponseBytes, callerSignal, deadlineAt, deadlineMs: deadline, validate: validateResponses, watchBody: dispatcher === undefined || deadlineAt !== undefined, onLimit: controller === undefined ? undefined : () => controller!.abort(TIMED_OUT), deadlineReached: watch?.reached });
        } catch (error) {
          throw fail(error as CarrierError, error instanceof CarrierParseError ? `unreadable answer (${error.reason})` : 'error', attemptStarted);
        }
        context.requestId = undefined;
      }
      watch?.clear();
      remember(response, { context, response, secrets, operation });
      if (throwOnHttpError && !response.ok) throw await errorFromResponse(response);
      return response;
    }

    /** Waits before a retry; the caller's abort during the wait ends the call at once. */
    async function wait(ms: number, attemptStarted: number): Promise<void> {
      try {
        await policy.sleep(ms, callerSignal);
      } catch (reason) {
        throw fail(new CarrierAbortError(context, callerSignal?.aborted ? callerSignal.reason : reason, secrets()), 'aborted', attemptStarted);
      }
    }

    /** The wait before the next attempt, or undefined when attempts or time are used up. */
    function nextDelay(attempt: number, retryAfterMs: number | undefined): number | undefined {
      if (attempt >= policy.maxAttempts) return undefined;
      const delay = retryAfterMs ?? backoffDelay(attempt, policy);
      const now = Date.now();
      if (deadlineAt !== undefined && now + delay >= deadlineAt) return undefined;
      return now - startedAt + delay > policy.maxElapsedMs ? undefined : delay;
    }
  };
}

const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';

/**
 * The body of an operation whose spec declares a form (`application/x-www-form-urlencoded`,
 * the OAuth2 token endpoint): a JSON object (what openapi-fetch makes of `body`) is sent as the
 * form the spec declares, its fields in order; arrays repeat their field; nested objects are
 * sent as JSON text. Anything else (a form already, bytes) is sent as it is.
 */
function asForm(body: BodyInit | undefined, headers: HeaderRecord): BodyInit | undefined {
  const type = headers['content-type'];
  if (typeof body !== 'string' || (type !== undefined && !/json/i.test(type))) return body;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return body;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return body;
  const form = new URLSearchParams();
  for (const [name, field] of Object.entries(value as Record<string, unknown>)) {
    for (const item of Array.isArray(field) ? field : [field]) {
      if (item === undefined || item === null) continue;
      form.append(name, typeof item === 'object' ? JSON.stringify(item) : String(item));
    }
  }
  headers['content-type'] = FORM_MEDIA_TYPE;
  return form.toString();
}

/**
 * A base URL as every client uses it: absolute http(s), without a query or fragment, and
 * without trailing slashes (`https://gateway.example/centili/` and `…/centili` are one base), so
 * that `base + '/path'` never holds `//`.
 *
 * @param baseUrl - What the caller gave, or the spec's `servers[0].url`.
 * @throws CarrierValidationError (field `baseUrl`, rule `format: absolute http(s) URL`) otherwise.
 */
export function normalizeBaseUrl(baseUrl: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(baseUrl);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.search !== '' || parsed.hash !== '' || baseUrl.includes('?') || baseUrl.includes('#')) {
    throw new CarrierValidationError('baseUrl', 'format: absolute http(s) URL without query or fragment', `${JSON.stringify(baseUrl.slice(0, 200))} is not one`);
  }
  return baseUrl.replace(/\/+$/, '');
}

/** The auth provider knows headers by their usual names. */
function lowerAuthHeaders(headers: HeaderRecord): Record<string, string> {
  return headers.authorization === undefined ? {} : { Authorization: headers.authorization };
}

/**
 * What every generated client and SDK factory takes.
 * @typeParam TAuth - OAuth2Auth (Centili) or ApiKeyAuth (MTN).
 */
export interface ClientOptions<TAuth> extends Omit<CarrierFetchOptions, 'definition' | 'auth' | 'throwOnHttpError'> {
  /**
   * Where the API lives: an absolute http(s) URL, with or without a trailing slash, possibly with
   * a path prefix (`https://gateway.example/centili/`); every operation is sent under it, the
   * token endpoint included. Default: the spec's servers (the first server of the API, and an
   * operation's own server where the spec declares one). A mock: the URL carrier-mock prints.
   */
  baseUrl?: string;
  auth: TAuth;
}

/** The shortest attempt timeout left to undici: its headers timer ticks about every 0.5 s. */
const DISPATCHER_MIN_TIMEOUT_MS = 5_000;
/** Where undici (Node's fetch, and the npm package) keeps the process's dispatcher: `setGlobalDispatcher` writes it. */
const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1');
/** The fetch of the platform, as it was when the runtime loaded (a later polyfill is not Node's). */
const platformFetch = typeof globalThis.fetch === 'function' ? globalThis.fetch : undefined;

/** What undici's fetch calls on its `dispatcher` option (undici's Dispatcher interface, in part). */
interface TimeoutDispatcher {
  dispatch(options: Record<string, unknown>, handler: unknown): boolean;
}

/**
 * The per-attempt timeout, enforced by undici on the connection rather than by an AbortSignal:
 * a signal per request costs Node's fetch about 10 µs (a WeakRef, a FinalizationRegistry entry,
 * abort listeners), more than everything else the carrier fetch does. Node's fetch takes a
 * `dispatcher`; this one hands every request to the process's global dispatcher (so a
 * `setGlobalDispatcher` of yours, e.g. a proxy or undici's MockAgent, still applies), with
 * undici's per-request `headersTimeout` and `bodyTimeout` (the longest pause between body
 * chunks) set to `timeoutMs`. When one runs out, undici destroys the socket: the attempt ends as
 * surely as with an abort.
 *
 * Only for Node's own fetch (another fetch would ignore `dispatcher`) and for timeouts of at
 * least 5 s (undici's headers timer is coarse, about ±0.5 s); otherwise undefined, and the
 * carrier fetch uses a timer and an AbortController of its own.
 *
 * @param timeoutMs - Time to wait for the response headers once the request is sent, in ms.
 */
function createTimeoutDispatcher(timeoutMs: number): TimeoutDispatcher | undefined {
  if (timeoutMs < DISPATCHER_MIN_TIMEOUT_MS || typeof process === 'undefined' || !process.versions?.undici) return undefined;
  if (platformFetch === undefined || globalThis.fetch !== platformFetch) return undefined;
  return {
    dispatch(options, handler) {
      // Read on every request: the global dispatcher is created by Node's first fetch and can be replaced.
      const global = (globalThis as unknown as Record<symbol, TimeoutDispatcher | undefined>)[GLOBAL_DISPATCHER];
      if (global === undefined) throw new Error('undici has no global dispatcher');
      // The body, read before the call resolves, may not pause longer than the headers may take.
      // undici's fetch makes these options for this one request: set in place, not copied.
      options.headersTimeout = timeoutMs;
      options.bodyTimeout = timeoutMs;
      return global.dispatch(options, handler);
    },
  };
}

/** undici's fetch failed because the headers timeout of the request ran out. */
function isHeadersTimeout(error: unknown): boolean {
  const cause = (error as { cause?: { code?: unknown } } | null | undefined)?.cause;
  return cause?.code === 'UND_ERR_HEADERS_TIMEOUT';
}

interface DeadlineWatch {
  /** Resolves with PAST_DEADLINE when the deadline comes (never, once cleared). */
  reached: Promise<typeof PAST_DEADLINE>;
  clear(): void;
}

/**
 * One timer for the deadline of an attempt on undici's path. Unref'd: an attempt that ends
 * another way may leave it to fire into nothing without keeping the process alive.
 */
function watchDeadline(deadlineAt: number): DeadlineWatch {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const reached = new Promise<typeof PAST_DEADLINE>((resolve) => {
    timer = setTimeout(resolve, Math.max(0, deadlineAt - Date.now()), PAST_DEADLINE);
    (timer as { unref?: () => void }).unref?.();
  });
  return { reached, clear: () => clearTimeout(timer) };
}
const PAST_DEADLINE = Symbol('past the deadline');
