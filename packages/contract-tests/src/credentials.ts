import { TokenManager } from '@carrier-api/runtime';

/** How the runner authenticates: a token you have, a Centili login, or an MTN API key. */
export type ContractCredentials =
  | { token: string }
  | { username: string; password: string; clientId?: string; tokenUrl?: string }
  | { apiKey: string; header?: string };

const centiliTokenPath = '/auth/realms/api/protocol/openid-connect/token';

/** The headers that authenticate the runner's requests; the token endpoint defaults to the server's own. */
export async function credentialHeaders(credentials: ContractCredentials | undefined, baseUrl: string, fetch: typeof globalThis.fetch): Promise<Record<string, string>> {
  if (!credentials) return {};
  if ('token' in credentials) return { Authorization: `Bearer ${credentials.token}` };
  if ('apiKey' in credentials) return { [credentials.header ?? 'X-API-Key']: credentials.apiKey };
  const manager = new TokenManager({
    tokenUrl: credentials.tokenUrl ?? `${baseUrl.replace(/\/$/, '')}${centiliTokenPath}`,
    clientId: credentials.clientId ?? 'carrier-contract',
    username: credentials.username,
    password: credentials.password,
    fetch,
  });
  return { Authorization: `Bearer ${await manager.getAccessToken()}` };
}
