import type { SandboxStore } from '../store.js';
import type { Rule } from '../types.js';

/**
 * The Centili token endpoint (000, 001, 002, 004 share it): "To secure our API we use OAuth2 with
 * password flow for all endpoints. Authorization header must always contain a Bearer token
 * obtained using tokenURL."
 */

interface IssuedToken {
  username: string;
  clientId: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

/** 24 random bytes, base64url: an opaque token (Web Crypto, so that the sandbox also runs in browsers). */
function randomToken(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(24));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const oauthError = (error: string, description: string) => ({ error, error_description: description });

export const createTokenRule: Rule = {
  async handle({ request, tokens: store, settings, json }) {
    const form = new URLSearchParams(typeof request.body === 'string' ? request.body : '');
    const clientId = form.get('client_id') ?? '';
    const now = settings.clock();
    let username: string;
    if (form.get('grant_type') === 'password') {
      const user = form.get('username') ?? '';
      const password = form.get('password') ?? '';
      if (user === '' || password === '') return json(oauthError('invalid_request', 'username and password are required for grant_type=password'), 400);
      if (settings.users && !settings.users.some((known) => known.username === user && known.password === password)) {
        return json(oauthError('invalid_grant', 'Invalid user credentials'), 400);
      }
      username = user;
    } else {
      const refreshToken = form.get('refresh_token') ?? '';
      if (refreshToken === '') return json(oauthError('invalid_request', 'refresh_token is required for grant_type=refresh_token'), 400);
      const issued = await store.get<IssuedToken>(`refresh:${refreshToken}`);
      if (!issued || issued.expiresAt <= now) return json(oauthError('invalid_grant', 'Invalid refresh token'), 400);
      username = issued.username;
    }
    const accessToken = `sbx-at.${randomToken()}`;
    const refreshToken = `sbx-rt.${randomToken()}`;
    const accessTtlMs = settings.tokenTtlSeconds * 1000;
    const refreshTtlMs = settings.refreshTokenTtlSeconds * 1000;
    await store.set(`token:${accessToken}`, { username, clientId, expiresAt: now + accessTtlMs } satisfies IssuedToken, { ttlMs: accessTtlMs });
    await store.set(`refresh:${refreshToken}`, { username, clientId, expiresAt: now + refreshTtlMs } satisfies IssuedToken, { ttlMs: refreshTtlMs });
    return json({
      access_token: accessToken,
      expires_in: settings.tokenTtlSeconds,
      refresh_expires_in: settings.refreshTokenTtlSeconds,
      refresh_token: refreshToken,
      token_type: 'Bearer',
      'not-before-policy': 0,
      session_state: globalThis.crypto.randomUUID(),
      scope: 'profile email',
    });
  },
};

/**
 * "Authorization header must always contain a Bearer token obtained using tokenURL": only a
 * token this sandbox issued and that has not expired passes; the caller is its username.
 */
export async function checkBearer(store: SandboxStore, header: string | string[] | undefined, now: number): Promise<{ ok: true; username: string } | { ok: false; reason: string }> {
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!match) return { ok: false, reason: 'The Authorization header carries no Bearer token' };
  const issued = await store.get<IssuedToken>(`token:${match[1]}`);
  if (!issued) return { ok: false, reason: 'The access token was not issued by this sandbox, or has expired' };
  if (issued.expiresAt <= now) return { ok: false, reason: 'The access token has expired' };
  return { ok: true, username: issued.username };
}
