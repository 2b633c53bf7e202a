import { afterEach, describe, expect, it } from 'vitest';
import { CarrierAuthError, CarrierValidationError, TokenManager } from '../src/index.js';
import { credentials } from './fixtures.js';
import { sequence, startFaultServer, tokenBody, tokenPath } from './fault-server.js';

let server: Awaited<ReturnType<typeof startFaultServer>>;
afterEach(() => server?.close());

const grants = () => server.requests.map((request) => new URLSearchParams(request.body));

describe('TokenManager', () => {
  it('obtains a token with the password grant, form-encoded, and caches it', async () => {
    server = await startFaultServer({ [`POST ${tokenPath}`]: () => ({ status: 200, body: tokenBody('access-1') }) });
    const manager = new TokenManager({ tokenUrl: server.url + tokenPath, ...credentials });
    expect(await manager.getAccessToken()).toBe('access-1');
    expect(await manager.getAccessToken()).toBe('access-1');
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(grants()[0]!)).toEqual({ client_id: 'merchant-app', grant_type: 'password', username: credentials.username, password: credentials.password });
  });

  it('renews ahead of expiry with the refresh_token grant', async () => {
    server = await startFaultServer({
      [`POST ${tokenPath}`]: sequence({ status: 200, body: tokenBody('access-1', 300) }, { status: 200, body: tokenBody('access-2', 300) }),
    });
    let now = 1_000_000;
    const manager = new TokenManager({ tokenUrl: server.url + tokenPath, ...credentials, now: () => now });
    await manager.getAccessToken();
    now += 269_000; // 300 s lifetime less the 30 s margin, not yet reached
    expect(await manager.getAccessToken()).toBe('access-1');
    now += 2_000; // inside the margin: renew before the server would refuse it
    expect(await manager.getAccessToken()).toBe('access-2');
    expect(grants().map((grant) => grant.get('grant_type'))).toEqual(['password', 'refresh_token']);
    expect(grants()[1]!.get('refresh_token')).toBe('refresh-of-access-1');
    expect(grants()[1]!.has('password')).toBe(false);
  });

  it('makes exactly one token request for 100 concurrent callers at expiry', async () => {
    server = await startFaultServer({
      [`POST ${tokenPath}`]: sequence({ status: 200, body: tokenBody('access-1', 60) }, { status: 200, body: tokenBody('access-2', 60), delayMs: 50 }),
    });
    let now = 0;
    const manager = new TokenManager({ tokenUrl: server.url + tokenPath, ...credentials, now: () => now });
    await manager.getAccessToken();
    now += 60_000;
    const tokens = await Promise.all(Array.from({ length: 100 }, () => manager.getAccessToken()));
    expect(new Set(tokens)).toEqual(new Set(['access-2']));
    expect(server.requests).toHaveLength(2);
  });

  it('falls back to the password grant when the refresh token is refused', async () => {
    server = await startFaultServer({
      [`POST ${tokenPath}`]: (request) => {
        const grant = new URLSearchParams(request.body).get('grant_type');
        if (grant === 'refresh_token') return { status: 400, body: { error: 'invalid_grant', error_description: 'Session not active' } };
        return { status: 200, body: tokenBody(`access-${server.requests.length}`) };
      },
    });
    const manager = new TokenManager({ tokenUrl: server.url + tokenPath, ...credentials });
    const first = await manager.getAccessToken();
    manager.invalidate(first);
    expect(await manager.getAccessToken()).toBe('access-3');
    expect(grants().map((grant) => grant.get('grant_type'))).toEqual(['password', 'refresh_token', 'password']);
  });

  it('rejects wrong credentials with a CarrierAuthError that does not contain the password', async () => {
    server = await startFaultServer({
      [`POST ${tokenPath}`]: () => ({ status: 401, body: { error: 'invalid_grant', error_description: 'Invalid user credentials' } }),
    });
    const manager = new TokenManager({ tokenUrl: server.url + tokenPath, ...credentials });
    const error = await manager.getAccessToken().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CarrierAuthError);
    expect(error).toMatchObject({ status: 401, code: 'invalid_grant', operationId: 'createToken' });
    expect((error as Error).message).toBe('createToken failed with HTTP 401 (invalid_grant): Invalid user credentials');
    expect(JSON.stringify({ ...(error as object), message: (error as Error).message, stack: (error as Error).stack })).not.toContain(credentials.password);
  });

  it('refuses missing credentials before sending anything, naming the field', () => {
    expect(() => new TokenManager({ tokenUrl: 'https://api.centili.com/token', clientId: 'a', username: '', password: 'p' })).toThrow(
      new CarrierValidationError('auth.username', 'required', 'must be a non-empty string'),
    );
    expect(() => new TokenManager({ tokenUrl: 'not a url', clientId: 'a', username: 'u', password: 'p' })).toThrow(/auth\.tokenUrl.*format: url/);
  });
});
