import { createOperationMatcher, type ApiDefinition } from './api-definition.js';
import { createAuthProvider, type ApiKeyAuth, type OAuth2Auth } from './auth.js';
import { CarrierNetworkError, type RequestContext } from './errors.js';
import { assertRequestReference, generateRequestReference } from './request-reference.js';
import { backoffDelay, isSafeToRetry, parseRetryAfter, resolveRetryPolicy, type RetryOptions } from './retry.js';

export interface CarrierFetchOptions {
  definition: ApiDefinition;
  auth: OAuth2Auth | ApiKeyAuth;
  /** Retry policy; `false` sends every request once. */
  retry?: RetryOptions | false;
  /** The fetch to send with (undici's, a test double...). Default: globalThis.fetch. */
  fetch?: typeof globalThis.fetch;
}

export type CarrierFetch = (input: Request | string | URL, init?: RequestInit) => Promise<Response>;

const contexts = new WeakMap<Response, RequestContext>();

/**
 * Keeps the context with the response and with its clones: typescript-fetch hands its middleware
 * `response.clone()`, and the SDK's errors must still name the operation and its keys.
 */
function remember(response: Response, context: RequestContext): void {
  contexts.set(response, context);
  const clone = response.clone.bind(response);
  response.clone = () => {
    const copy = clone();
    remember(copy, context);
    return copy;
  };
}

/** What the carrier fetch knows of the request that produced `response`. */
export function getRequestContext(response: Response): RequestContext | undefined {
  return contexts.get(response);
}

/**
 * A fetch that adds what every call of an API needs: credentials, an Idempotency-Key where the
 * spec declares one (the same key on every retry), MTN's request reference, and retries that can
 * never do a thing twice. openapi-fetch clients and openapi-generator SDKs both send through it.
 */
export function createCarrierFetch(options: CarrierFetchOptions): CarrierFetch {
  const send = options.fetch ?? globalThis.fetch;
  const policy = resolveRetryPolicy(options.retry);
  const auth = createAuthProvider(options.definition, options.auth, send);
  const findOperation = createOperationMatcher(options.definition);

  return async function carrierFetch(input, init) {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const operation = findOperation(request.method, url.pathname);
    const headers = new Headers(request.headers);

    // An empty key is no key: the server would treat it as absent, and a retry could charge twice.
    if (operation?.idempotencyKey && !headers.get('Idempotency-Key')) headers.set('Idempotency-Key', crypto.randomUUID());
    const rule = operation?.requestReference;
    if (rule) {
      const given = headers.get(rule.header);
      if (given === null || given === '') headers.set(rule.header, generateRequestReference(rule));
      else assertRequestReference(given, rule);
    }
    // Read once: a retry must send the very same bytes.
    const body = request.body ? await request.arrayBuffer() : undefined;
    const context: RequestContext = {
      operationId: operation?.operationId,
      method: request.method,
      url: `${url.origin}${url.pathname}`,
      requestReference: rule ? (headers.get(rule.header) ?? undefined) : undefined,
      idempotencyKey: headers.get('Idempotency-Key') ?? undefined,
      attempts: 0,
    };
    const retryable = isSafeToRetry(request.method, context.idempotencyKey !== undefined);
    const startedAt = Date.now();
    let renewedAuth = false;

    for (;;) {
      const authHeaders = operation?.authenticated === false ? {} : await auth.headers();
      const attemptHeaders = new Headers(headers);
      for (const [name, value] of Object.entries(authHeaders)) attemptHeaders.set(name, value);
      context.attempts += 1;

      let response: Response;
      try {
        response = await send(new Request(request.url, { method: request.method, headers: attemptHeaders, body, signal: request.signal, redirect: request.redirect }));
      } catch (error) {
        if (request.signal.aborted) throw error;
        const delay = retryable ? nextDelay(context.attempts, undefined) : undefined;
        if (delay === undefined) throw new CarrierNetworkError(context, error);
        policy.onRetry?.({ operationId: context.operationId, attempt: context.attempts, delayMs: delay, reason: 'network error' });
        await policy.sleep(delay, request.signal);
        continue;
      }

      // A 401 means the request was refused before anything ran: renewing the token and sending
      // once more is safe even for a payment without an idempotency key.
      if (response.status === 401 && !renewedAuth && auth.renewAfterUnauthorized(authHeaders)) {
        renewedAuth = true;
        await response.body?.cancel();
        continue;
      }
      if (retryable && policy.retryOnStatuses.includes(response.status)) {
        const delay = nextDelay(context.attempts, parseRetryAfter(response.headers.get('Retry-After')));
        if (delay !== undefined) {
          policy.onRetry?.({ operationId: context.operationId, attempt: context.attempts, delayMs: delay, reason: `HTTP ${response.status}` });
          await response.body?.cancel();
          await policy.sleep(delay, request.signal);
          continue;
        }
      }
      remember(response, { ...context });
      return response;
    }

    /** The wait before the next attempt, or undefined when attempts or time are used up. */
    function nextDelay(attempt: number, retryAfterMs: number | undefined): number | undefined {
      if (attempt >= policy.maxAttempts) return undefined;
      const delay = retryAfterMs ?? backoffDelay(attempt, policy);
      return Date.now() - startedAt + delay > policy.maxElapsedMs ? undefined : delay;
    }
  };
}

/** What every generated client factory takes. */
export interface ClientOptions<TAuth> {
  /** Where the API lives; default: the spec's first server. A mock: the URL carrier-mock prints. */
  baseUrl?: string;
  auth: TAuth;
  retry?: RetryOptions | false;
  fetch?: typeof globalThis.fetch;
}
