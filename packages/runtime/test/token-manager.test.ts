import { afterEach, describe, expect, it } from 'vitest';
import { CarrierAuthError, CarrierNetworkError, CarrierValidationError, TokenManager } from '../src/index.js';
import { credentials } from './fixtures.js';
import { sequence, startFaultServer, tokenBody, tokenPath, type Fault } from './fault-server.js';

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

describe('TokenManager retries the token endpoint', () => {
  const noWait = { sleep: async () => {} };
  const cases = [
    { what: 'a 503', first: { status: 503, body: { error: 'temporarily_unavailable' } } as Fault },
    { what: 'a 500', first: { status: 500, body: {} } as Fault },
    { what: 'a dropped connection', first: { drop: true } as Fault },
  ];
  it.each(cases)('after $what, with backoff', async ({ first }) => {
    server = await startFaultServer({ [`POST ${tokenPath}`]: sequence(first, { status: 200, body: tokenBody('access-1') }) });
    const waits: number[] = [];
    const manager = new TokenManager({ tokenUrl: server.url + tokenPath, ...credentials, retry: { sleep: async (ms) => void waits.push(ms), random: () => 1, initialDelayMs: 100 } });
    expect(await manager.getAccessToken()).toBe('access-1');
    expect(server.requests).toHaveLength(2);
    expect(waits).toEqual([100]);
  });

  it('gives up after maxAttempts: CarrierNetworkError naming createToken and the attempts', async () => {
    server = await startFaultServer({ [`POST ${tokenPath}`]: () => ({ drop: true }) });
    const manager = new TokenManager({ tokenUrl: server.url + tokenPath, ...credentials, retry: { ...noWait, maxAttempts: 3 } });
    const error = await manager.getAccessToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CarrierNetworkError);
    expect(error).toMatchObject({ operationId: 'createToken', attempts: 3 });
    expect(server.requests).toHaveLength(3);
  });

  it('never retries a refused grant (4xx)', async () => {
    server = await startFaultServer({ [`POST ${tokenPath}`]: () => ({ status: 400, body: { error: 'invalid_client' } }) });
    const manager = new TokenManager({ tokenUrl: server.url + tokenPath, ...credentials, retry: noWait });
    await expect(manager.getAccessToken()).rejects.toBeInstanceOf(CarrierAuthError);
    expect(server.requests).toHaveLength(1);
  });

  it('keeps one renewal for 100 concurrent callers at expiry, even when it needs a retry', async () => {
    server = await startFaultServer({
      [`POST ${tokenPath}`]: sequence({ status: 200, body: tokenBody('access-1', 60) }, { status: 503, body: {} }, { status: 200, body: tokenBody('access-2', 60), delayMs: 50 }),
    });
    let now = 0;
    const manager = new TokenManager({ tokenUrl: server.url + tokenPath, ...credentials, now: () => now, retry: noWait });
    await manager.getAccessToken();
    now += 60_000;
    const tokens = await Promise.all(Array.from({ length: 100 }, () => manager.getAccessToken()));
    expect(new Set(tokens)).toEqual(new Set(['access-2']));
    expect(server.requests).toHaveLength(3);
  });

  it('sends client_secret for a confidential client, and keeps it out of errors', async () => {
    server = await startFaultServer({ [`POST ${tokenPath}`]: (request) => ({ status: 401, body: { error: 'invalid_client', error_description: `bad ${request.body}` } }) });
    const manager = new TokenManager({ tokenUrl: server.url + tokenPath, ...credentials, clientSecret: 'cl1ent-secret', retry: noWait });
    const error = await manager.getAccessToken().catch((e: unknown) => e);
    expect(new URLSearchParams(server.requests[0]!.body).get('client_secret')).toBe('cl1ent-secret');
    expect(JSON.stringify(error) + (error as Error).message).not.toMatch(/cl1ent-secret|pa55-w0rd-secret/);
  });
});
