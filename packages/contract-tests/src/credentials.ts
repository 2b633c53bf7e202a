import { TokenManager } from '@carrier-api/runtime';

/** How the runner authenticates: a token you have, a Centili login, or an MTN API key. */
export type ContractCredentials =
  | { token: string }
  | { username: string; password: string; clientId?: string; tokenUrl?: string }
  | { apiKey: string; header?: string };

/** The kind of a {@link ContractCredentials}, as the CLI flags name it. */
export type CredentialKind = 'token' | 'login' | 'apiKey';

/**
 * Bad input to the runner, found before any request is sent: names the option at fault and the
 * rule it breaks. The CLI answers it with exit code 2 and its usage.
 */
export class ContractUsageError extends Error {
  override readonly name = 'ContractUsageError';
  /**
   * @param field - The option at fault, as the CLI spells it (`--api-key`, `--api`).
   * @param rule - The rule broken, e.g. `credentials kind`, `known API`.
   * @param message - One line that tells the user what to pass instead; holds no secret.
   */
  constructor(
    readonly field: string,
    readonly rule: string,
    message: string,
  ) {
    super(message);
  }
}

const centiliTokenPath = '/auth/realms/api/protocol/openid-connect/token';
const flags: Record<CredentialKind, string> = { login: '--username/--password', token: '--token', apiKey: '--api-key' };

/** Which kind of credentials these are. */
export function credentialKind(credentials: ContractCredentials): CredentialKind {
  return 'token' in credentials ? 'token' : 'apiKey' in credentials ? 'apiKey' : 'login';
}

interface SecurityScheme {
  type?: string;
  scheme?: string;
  in?: string;
  name?: string;
}

/**
 * The credential kinds an API accepts, read from its spec's security schemes: `oauth2` takes a
 * login or a token, `http bearer` a token, `apiKey` in a header an API key.
 *
 * @param document - The bundled OpenAPI document (refs of `components.securitySchemes` resolved).
 * @returns The kinds, and the header an API key goes in (when the API takes one).
 */
export function acceptedCredentials(document: object): { kinds: Set<CredentialKind>; apiKeyHeader: string | undefined } {
  const schemes = ((document as { components?: { securitySchemes?: Record<string, SecurityScheme> } }).components?.securitySchemes ?? {}) as Record<string, SecurityScheme>;
  const kinds = new Set<CredentialKind>();
  let apiKeyHeader: string | undefined;
  for (const scheme of Object.values(schemes)) {
    if (scheme.type === 'oauth2') kinds.add('login').add('token');
    if (scheme.type === 'http' && scheme.scheme?.toLowerCase() === 'bearer') kinds.add('token');
    if (scheme.type === 'apiKey' && scheme.in === 'header') {
      kinds.add('apiKey');
      apiKeyHeader ??= scheme.name;
    }
  }
  return { kinds, apiKeyHeader };
}

/**
 * Checks that an API takes this kind of credentials.
 *
 * @throws {ContractUsageError} field `--api-key`, `--token` or `--username`, rule `credentials kind`,
 *   when the spec of `api` has no security scheme for them; the message names the flags it takes.
 */
export function assertCredentialsFit(api: string, document: object, credentials: ContractCredentials | undefined): void {
  if (!credentials) return;
  const { kinds } = acceptedCredentials(document);
  const kind = credentialKind(credentials);
  if (kinds.size === 0 || kinds.has(kind)) return;
  const wanted = (Object.keys(flags) as CredentialKind[]).filter((candidate) => kinds.has(candidate)).map((candidate) => flags[candidate]);
  throw new ContractUsageError(kind === 'login' ? '--username' : flags[kind], 'credentials kind', `${api} takes ${wanted.join(' or ')}, not ${flags[kind]}`);
}

/**
 * Where each request gets its credentials. For a login, every call goes through one
 * {@link TokenManager}: the cached token while it is fresh, else the refresh grant, else the
 * password grant, so that a run of any length never sends a token that has expired.
 */
export interface CredentialSource {
  /** The headers for the next request. Throws the TokenManager's `CarrierAuthError` when the login is refused. */
  headers(): Promise<Record<string, string>>;
  /** The server refused these headers with 401: forget a managed token, so the next call renews it. Returns whether a retry can help. */
  refused(headers: Record<string, string>): boolean;
}

/**
 * @param credentials - What the user gave; none: no credential headers.
 * @param baseUrl - The server under test; a login's token endpoint defaults to its `/auth/realms/api/protocol/openid-connect/token`.
 * @param fetch - Used for the token requests too.
 * @param apiKeyHeader - The header an API key goes in, when `credentials` does not say (default `X-API-Key`).
 */
export function createCredentialSource(credentials: ContractCredentials | undefined, baseUrl: string, fetch: typeof globalThis.fetch, apiKeyHeader?: string): CredentialSource {
  if (!credentials) return { headers: async () => ({}), refused: () => false };
  if ('token' in credentials) return { headers: async () => ({ Authorization: `Bearer ${credentials.token}` }), refused: () => false };
  if ('apiKey' in credentials) {
    const header = credentials.header ?? apiKeyHeader ?? 'X-API-Key';
    return { headers: async () => ({ [header]: credentials.apiKey }), refused: () => false };
  }
  const manager = new TokenManager({
    tokenUrl: credentials.tokenUrl ?? `${baseUrl.replace(/\/$/, '')}${centiliTokenPath}`,
    clientId: credentials.clientId ?? 'carrier-contract',
    username: credentials.username,
    password: credentials.password,
    fetch,
  });
  return {
    headers: async () => ({ Authorization: `Bearer ${await manager.getAccessToken()}` }),
    refused: (headers) => {
      manager.invalidate(headers.Authorization?.replace(/^Bearer /, ''));
      return true;
    },
  };
}
