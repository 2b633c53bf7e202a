import { CarrierAuthError, CarrierNetworkError, CarrierTimeoutError, CarrierValidationError, type RequestContext } from './errors.js';
import { backoffDelay, resolveRetryPolicy, type ResolvedRetryPolicy, type RetryOptions } from './retry.js';

/** How a TokenManager gets Centili's OAuth2 tokens (documents 000/001: "password" grant, then "refresh_token"). */
export interface TokenManagerOptions {
  /** The Keycloak token endpoint, e.g. https://api.centili.com/auth/realms/api/protocol/openid-connect/token */
  tokenUrl: string;
  /** `client_id` of the token request (the documents' "Client identifier"). */
  clientId: string;
  /** `username` of the password grant. */
  username: string;
  /** `password` of the password grant; masked in every error and log event. */
  password: string;
  /** The client secret of a confidential Keycloak client (sent as `client_secret`); none for a public client. */
  clientSecret?: string;
  /** Renew this many seconds before the access token expires. Default 30 (at most half its lifetime). */
  refreshMarginSeconds?: number;
  /** The fetch the token requests are sent with. Default: globalThis.fetch. */
  fetch?: typeof globalThis.fetch;
  /**
   * Retries of the token request on a 5xx answer or a network error (a grant can be asked for
   * twice without harm), exponential backoff with jitter. Default: 3 attempts; `false`: once.
   */
  retry?: RetryOptions | false;
  /** Time limit of one token request, in ms. Default 10 000. */
  timeout?: number;
  /** Injectable clock (ms), for tests. */
  now?: () => number;
}

interface TokenState {
  accessToken: string;
  /** When to stop using accessToken (expiry less the margin), in ms. */
  renewAt: number;
  refreshToken: string | undefined;
  refreshExpiresAt: number;
}

interface TokenResponseBody {
  access_token?: unknown;
  expires_in?: unknown;
  refresh_token?: unknown;
  refresh_expires_in?: unknown;
}

/**
 * Keeps one valid Centili access token: password grant first, refresh_token grant after, back to
 * the password grant when the refresh token is refused. Concurrent callers share one renewal.
 */
export class TokenManager {
  readonly #options: Required<Omit<TokenManagerOptions, 'fetch' | 'now' | 'retry' | 'clientSecret'>> & { clientSecret?: string };
  readonly #fetch: typeof globalThis.fetch;
  readonly #retry: ResolvedRetryPolicy;
  readonly #now: () => number;
  #state: TokenState | undefined;
  #renewal: Promise<string> | undefined;

  constructor(options: TokenManagerOptions) {
    for (const field of ['tokenUrl', 'clientId', 'username', 'password'] as const) {
      if (typeof options[field] !== 'string' || options[field].length === 0) {
        throw new CarrierValidationError(`auth.${field}`, 'required', 'must be a non-empty string');
      }
    }
    try {
      new URL(options.tokenUrl);
    } catch {
      throw new CarrierValidationError('auth.tokenUrl', 'format: url', 'must be an absolute URL');
    }
    const { fetch, now, retry, ...rest } = options;
    this.#options = { refreshMarginSeconds: 30, timeout: 10_000, ...rest };
    // Called as a plain function (a browser's fetch called as a method of this object throws
    // "Illegal invocation"); the default is looked up at each call, so that a fetch patched after
    // construction (MSW's setupServer) is the one used.
    this.#fetch = fetch ? (input, init) => fetch(input, init) : (input, init) => globalThis.fetch(input, init);
    this.#retry = resolveRetryPolicy(retry);
    this.#now = now ?? Date.now;
  }

  /**
   * A valid access token: the cached one, or a renewed one. Concurrent callers share one renewal.
   * @throws CarrierAuthError when the grant is refused; CarrierNetworkError (or CarrierTimeoutError)
   * when the token endpoint did not answer after every retry.
   */
  getAccessToken(): Promise<string> {
    const fresh = this.freshAccessToken();
    if (fresh !== undefined) return Promise.resolve(fresh);
    this.#renewal ??= this.#renew().finally(() => {
      this.#renewal = undefined;
    });
    return this.#renewal;
  }

  /**
   * The cached access token while it is not due for renewal (`refreshMarginSeconds` before it
   * expires), else undefined: lets a caller skip a promise when no renewal is needed.
   */
  freshAccessToken(): string | undefined {
    return this.#state && this.#now() < this.#state.renewAt ? this.#state.accessToken : undefined;
  }

  /** The API refused `token` (401): forget it, so the next call renews. A newer token is kept. */
  invalidate(token?: string): void {
    if (this.#state && (token === undefined || token === this.#state.accessToken)) this.#state.renewAt = 0;
  }

  /** The secrets this manager holds, so that callers can keep them out of messages. */
  secrets(): string[] {
    return [this.#options.password, this.#options.clientSecret, this.#state?.accessToken, this.#state?.refreshToken].filter(
      (secret): secret is string => typeof secret === 'string' && secret.length > 0,
    );
  }

  async #renew(): Promise<string> {
    const state = this.#state;
    if (state?.refreshToken && this.#now() < state.refreshExpiresAt) {
      try {
        return await this.#grant({ grant_type: 'refresh_token', refresh_token: state.refreshToken });
      } catch (error) {
        // A refused refresh token (expired, revoked, session ended) is no reason to fail: log in again.
        if (!(error instanceof CarrierAuthError)) throw error;
      }
    }
    return this.#grant({ grant_type: 'password', username: this.#options.username, password: this.#options.password });
  }

  /** One grant, retried on 5xx and network errors (a grant asked twice is harmless). */
  async #grant(params: Record<string, string>): Promise<string> {
    const context: RequestContext = {
      operationId: 'createToken',
      method: 'POST',
      url: this.#options.tokenUrl,
      requestReference: undefined,
      idempotencyKey: undefined,
      attempts: 0,
    };
    const form = new URLSearchParams({ client_id: this.#options.clientId, ...params });
    if (this.#options.clientSecret) form.set('client_secret', this.#options.clientSecret);
    const secrets = this.secrets();
    const startedAt = Date.now();
    let response: Response | undefined;
    let body: TokenResponseBody | undefined;
    for (;;) {
      context.attempts += 1;
      const timeout = AbortSignal.timeout(this.#options.timeout);
      let failure: unknown;
      try {
        // A Request, like openapi-fetch sends, so that one fetch double serves both.
        response = await this.#fetch(
          new Request(this.#options.tokenUrl, {
            method: 'POST',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
            body: form.toString(),
            signal: timeout,
          }),
        );
        body = (await response.json().catch(() => undefined)) as TokenResponseBody | undefined;
        context.requestId = response.headers.get('x-request-id') ?? undefined;
        if (response.status < 500) break;
      } catch (error) {
        failure = error;
      }
      const delay = this.#nextDelay(context.attempts, startedAt);
      if (delay === undefined) {
        if (failure === undefined) break;
        if (timeout.aborted) throw new CarrierTimeoutError(context, 'timeout', this.#options.timeout, secrets);
        throw new CarrierNetworkError(context, failure, secrets);
      }
      this.#retry.onRetry?.({ operationId: 'createToken', attempt: context.attempts, delayMs: delay, reason: failure === undefined ? `HTTP ${response!.status}` : 'network error' });
      await this.#retry.sleep(delay);
    }
    if (!response) throw new CarrierNetworkError(context, 'no response', secrets);
    if (!response.ok) {
      // Only the OAuth2 error fields (error, error_description) are kept, and those redacted.
      const safeBody = body && typeof body === 'object' ? pick(body as Record<string, unknown>, ['error', 'error_description']) : undefined;
      throw new CarrierAuthError(response.status, safeBody, context, undefined, secrets);
    }
    if (!body || typeof body.access_token !== 'string' || body.access_token.length === 0) {
      throw new CarrierAuthError(response.status, undefined, context, `createToken answered ${response.status} without an access_token`, secrets);
    }
    const now = this.#now();
    const lifetime = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 60;
    const margin = Math.min(this.#options.refreshMarginSeconds, lifetime / 2);
    const refreshLifetime = typeof body.refresh_expires_in === 'number' ? body.refresh_expires_in : lifetime;
    this.#state = {
      accessToken: body.access_token,
      renewAt: now + (lifetime - margin) * 1000,
      refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : undefined,
      // A refresh_expires_in of 0 means "as long as the session" in Keycloak.
      refreshExpiresAt: refreshLifetime === 0 ? Number.POSITIVE_INFINITY : now + (refreshLifetime - margin) * 1000,
    };
    return body.access_token;
  }

  /** The wait before the next token attempt, or undefined when attempts or time are used up. */
  #nextDelay(attempt: number, startedAt: number): number | undefined {
    if (attempt >= this.#retry.maxAttempts) return undefined;
    const delay = backoffDelay(attempt, this.#retry);
    return Date.now() - startedAt + delay > this.#retry.maxElapsedMs ? undefined : delay;
  }
}

function pick(record: Record<string, unknown>, keys: string[]): Record<string, string> {
  return Object.fromEntries(keys.filter((key) => typeof record[key] === 'string').map((key) => [key, record[key] as string]));
}
