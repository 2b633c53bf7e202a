import type { ApiDefinition } from './api-definition.js';
import { CarrierValidationError } from './errors.js';
import type { RetryOptions } from './retry.js';
import { TokenManager } from './token-manager.js';

/**
 * Centili: OAuth2 password flow (the client manages tokens; `clientSecret` for a confidential
 * client), a token you manage, or a shared TokenManager.
 */
export type OAuth2Auth =
  | { clientId: string; username: string; password: string; clientSecret?: string; tokenUrl?: string }
  | { accessToken: string | (() => string | Promise<string>) }
  | { tokenManager: TokenManager };

/** MTN: the developer portal application's API key. */
export type ApiKeyAuth = { apiKey: string };

export interface AuthProvider {
  /**
   * The headers that authenticate one request: at once when the credentials are at hand (an API
   * key, a given or still-fresh token), a promise when they must be fetched or renewed first.
   * Callers must not modify the object returned.
   */
  headers(): Readonly<Record<string, string>> | Promise<Readonly<Record<string, string>>>;
  /** The API answered 401 to `headers`: renew if that can help; true means "send again". */
  renewAfterUnauthorized(headers: Record<string, string>): boolean;
  /** The secrets in play, so that messages can be kept clean of them. */
  secrets(): string[];
}

/**
 * The credentials of one client.
 * @param definition - The API (its auth scheme and token URL).
 * @param auth - What the caller passed.
 * @param fetch - Sends token requests.
 * @param tokenOptions - Retry policy and per-attempt timeout (ms) of the token requests of a TokenManager made here.
 * @throws CarrierValidationError when `auth` is missing or of the wrong kind.
 */
export function createAuthProvider(
  definition: ApiDefinition,
  auth: OAuth2Auth | ApiKeyAuth,
  fetch: typeof globalThis.fetch,
  tokenOptions: { retry?: RetryOptions | false; timeout?: number } = {},
): AuthProvider {
  if (auth === null || typeof auth !== 'object') {
    throw new CarrierValidationError('auth', 'required', `${definition.name} needs credentials`);
  }
  if (definition.auth.type === 'apiKey') {
    const header = definition.auth.header;
    if (!('apiKey' in auth) || typeof auth.apiKey !== 'string' || auth.apiKey.length === 0) {
      throw new CarrierValidationError('auth.apiKey', 'required', `${definition.name} authenticates with an API key (${header})`);
    }
    const apiKey = auth.apiKey;
    const headers = Object.freeze({ [header]: apiKey });
    return { headers: () => headers, renewAfterUnauthorized: () => false, secrets: () => [apiKey] };
  }
  if ('apiKey' in auth) {
    throw new CarrierValidationError('auth', 'oauth2', `${definition.name} authenticates with OAuth2, not an API key`);
  }
  if ('accessToken' in auth) {
    const source = auth.accessToken;
    if (typeof source === 'string') {
      const headers = Object.freeze({ Authorization: `Bearer ${source}` });
      return { headers: () => headers, renewAfterUnauthorized: () => false, secrets: () => [source] };
    }
    let last = '';
    return {
      headers: async () => {
        last = await source();
        return { Authorization: `Bearer ${last}` };
      },
      renewAfterUnauthorized: () => false,
      secrets: () => (last ? [last] : []),
    };
  }
  const manager =
    'tokenManager' in auth
      ? auth.tokenManager
      : new TokenManager({
          tokenUrl: auth.tokenUrl ?? definition.auth.tokenUrl,
          clientId: auth.clientId,
          username: auth.username,
          password: auth.password,
          ...(auth.clientSecret ? { clientSecret: auth.clientSecret } : {}),
          fetch,
          ...(tokenOptions.retry !== undefined ? { retry: tokenOptions.retry } : {}),
          ...(tokenOptions.timeout !== undefined ? { timeout: tokenOptions.timeout } : {}),
        });
  // One headers object per token: a call with a fresh token allocates nothing and waits for nothing.
  let current: { token: string; headers: Readonly<Record<string, string>> } | undefined;
  const headersOf = (token: string) => {
    if (current?.token !== token) current = { token, headers: Object.freeze({ Authorization: `Bearer ${token}` }) };
    return current.headers;
  };
  return {
    headers: () => {
      // A TokenManager of an older runtime copy (shared between clients) has no freshAccessToken.
      const fresh = typeof manager.freshAccessToken === 'function' ? manager.freshAccessToken() : undefined;
      return fresh === undefined ? manager.getAccessToken().then(headersOf) : headersOf(fresh);
    },
    renewAfterUnauthorized: (headers) => {
      manager.invalidate(headers.Authorization?.replace(/^Bearer /, ''));
      return true;
    },
    secrets: () => manager.secrets(),
  };
}
