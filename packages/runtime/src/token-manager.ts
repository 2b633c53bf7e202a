import { CarrierAuthError, CarrierNetworkError, CarrierValidationError, type RequestContext } from './errors.js';

export interface TokenManagerOptions {
  /** The Keycloak token endpoint, e.g. https://api.centili.com/auth/realms/api/protocol/openid-connect/token */
  tokenUrl: string;
  clientId: string;
  username: string;
  password: string;
  /** Renew this many seconds before the access token expires. Default 30 (at most half its lifetime). */
  refreshMarginSeconds?: number;
  fetch?: typeof globalThis.fetch;
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
  readonly #options: Required<Omit<TokenManagerOptions, 'fetch' | 'now'>>;
  readonly #fetch: typeof globalThis.fetch;
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
    this.#options = { refreshMarginSeconds: 30, ...options };
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#now = options.now ?? Date.now;
  }

  /** A valid access token: the cached one, or a renewed one. */
  getAccessToken(): Promise<string> {
    if (this.#state && this.#now() < this.#state.renewAt) return Promise.resolve(this.#state.accessToken);
    this.#renewal ??= this.#renew().finally(() => {
      this.#renewal = undefined;
    });
    return this.#renewal;
  }

  /** The API refused `token` (401): forget it, so the next call renews. A newer token is kept. */
  invalidate(token?: string): void {
    if (this.#state && (token === undefined || token === this.#state.accessToken)) this.#state.renewAt = 0;
  }

  /** The secrets this manager holds, so that callers can keep them out of messages. */
  secrets(): string[] {
    return [this.#options.password, this.#state?.accessToken, this.#state?.refreshToken].filter(
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

  async #grant(params: Record<string, string>): Promise<string> {
    const context: RequestContext = {
      operationId: 'createToken',
      method: 'POST',
      url: this.#options.tokenUrl,
      requestReference: undefined,
      idempotencyKey: undefined,
      attempts: 1,
    };
    let response: Response;
    try {
      // A Request, like openapi-fetch sends, so that one fetch double serves both.
      response = await this.#fetch(
        new Request(this.#options.tokenUrl, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
          body: new URLSearchParams({ client_id: this.#options.clientId, ...params }).toString(),
        }),
      );
    } catch (error) {
      throw new CarrierNetworkError(context, error);
    }
    const body = (await response.json().catch(() => undefined)) as TokenResponseBody | undefined;
    if (!response.ok) {
      // The OAuth2 error body (error, error_description) holds no secret; the request is not kept.
      const safeBody = body && typeof body === 'object' ? pick(body as Record<string, unknown>, ['error', 'error_description']) : undefined;
      throw new CarrierAuthError(response.status, safeBody, context);
    }
    if (!body || typeof body.access_token !== 'string' || body.access_token.length === 0) {
      throw new CarrierAuthError(response.status, undefined, context, `createToken answered ${response.status} without an access_token`);
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
}

function pick(record: Record<string, unknown>, keys: string[]): Record<string, string> {
  return Object.fromEntries(keys.filter((key) => typeof record[key] === 'string').map((key) => [key, record[key] as string]));
}
