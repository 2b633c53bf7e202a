import { http, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSandboxHandlers } from '../src/msw.js';
import { MockStartError, SandboxAdminError, startMock } from '../src/index.js';

/**
 * The sandbox in-process (`@carrier-api/mock/msw`): the same rules through MSW's interception,
 * with no port. Requests go to the spec's own server URLs (`https://api.centili.com`...).
 */
const centili = 'https://api.centili.com';
const tokenUrl = `${centili}/auth/realms/api/protocol/openid-connect/token`;
const start = { serviceKey: 'abc', userIdentifier: { msisdn: '4366124567' }, price: '1.99' };

async function login(base = centili, fetcher: typeof fetch = fetch): Promise<string> {
  const response = await fetcher(base === centili ? tokenUrl : `${base}/auth/realms/api/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: 'shop', grant_type: 'password', username: 'merchant', password: 'secret' }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

const call = (url: string, token: string, init: RequestInit & { json?: unknown; key?: string } = {}) =>
  fetch(url, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...(init.json === undefined ? {} : { 'content-type': 'application/json' }), ...(init.key ? { 'idempotency-key': init.key } : {}), ...(init.headers as Record<string, string>) },
    body: init.json === undefined ? init.body : JSON.stringify(init.json),
  });

describe('createSandboxHandlers() with msw/node', () => {
  const { handlers, sandbox } = createSandboxHandlers({ pin: '4321', maxPinAttempts: 3 });
  const server = setupServer(...handlers);
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => sandbox.reset());
  afterAll(() => server.close());

  it('binds every API to the servers of its spec', () => {
    expect(Object.keys(sandbox.baseUrls).sort()).toEqual(['centili-data-gifting', 'centili-packages', 'centili-payments', 'centili-services', 'mtn-ng-data-gifting'].filter((api) => sandbox.baseUrls[api]).sort());
    expect(sandbox.baseUrls['centili-payments']).toContain(centili);
    expect(sandbox.baseUrls['centili-packages']).toContain('https://capi.centili.com');
  });

  it('charges once: start, wrong PINs into 429, an Idempotency-Key replayed, the key reused for another charge refused', async () => {
    const token = await login();
    const first = await call(`${centili}/auth/transactions`, token, { method: 'POST', json: start, key: 'order-1' });
    expect(first.status).toBe(200);
    const { transactionId } = (await first.clone().json()) as { transactionId: string };
    const replay = await call(`${centili}/auth/transactions`, token, { method: 'POST', json: start, key: 'order-1' });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await replay.text()).toBe(await first.text());
    const reused = await call(`${centili}/auth/transactions`, token, { method: 'POST', json: { ...start, price: '99.00' }, key: 'order-1' });
    expect(reused.status).toBe(422);

    const pin = (value: string) => call(`${centili}/auth/transactions/${transactionId}/pin`, token, { method: 'POST', json: { pin: value } });
    for (let attempt = 0; attempt < 3; attempt++) expect((await pin('0000')).status).toBe(400);
    expect((await pin('4321')).status).toBe(429);
    const starts = await sandbox.requests({ api: 'centili-payments', operationId: 'startTransaction' });
    expect(starts.map((entry) => entry.status)).toEqual([200, 200, 422]);
    expect(starts[0]!.headers.authorization).toBe('Bearer ***');
  });

  it('answers /__admin/capabilities at a shared host for the API ?api= names', async () => {
    // api.centili.com serves payments, data gifting and services: the path alone cannot tell which.
    const names = ['centili-payments', 'centili-data-gifting', 'centili-services'].filter((api) => sandbox.baseUrls[api]?.includes(centili));
    expect(names.length).toBeGreaterThan(1);
    for (const api of names) {
      const response = await fetch(`${centili}/__admin/capabilities?api=${api}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ server: 'carrier-mock', mode: 'sandbox', api });
    }
  });

  it('keeps sessions apart in-process too: X-Sandbox-Session, created at /__admin/sessions', async () => {
    const created = await fetch(`${centili}/__admin/sessions?api=centili-payments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const inSession = (init: RequestInit = {}) => ({ ...init, headers: { ...(init.headers as Record<string, string>), 'x-sandbox-session': id } });
    const token = await login(centili, (url, init) => fetch(url, inSession(init)));
    const started = await fetch(`${centili}/auth/transactions`, inSession({ method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(start) }));
    const { transactionId } = (await started.json()) as { transactionId: string };
    expect((await fetch(`${centili}/auth/transactions/${transactionId}`, inSession({ headers: { authorization: `Bearer ${token}` } }))).status).toBe(200);
    // The default session has neither the token nor the transaction.
    expect((await fetch(`${centili}/auth/transactions/${transactionId}`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });

  it.each([
    { fault: { body: 'truncate' as const }, reads: 'a cut body' },
    { fault: { body: 'malformed' as const }, reads: 'invalid JSON' },
    { fault: { dribble: { durationMs: 60, chunks: 3 } }, reads: 'the whole body, slowly' },
  ])('damages an answer in-process as on a port: $reads', async ({ fault, reads }) => {
    const token = await login();
    await sandbox.fault({ api: 'centili-payments', operationId: 'startTransaction', ...fault });
    const answer = await call(`${centili}/auth/transactions`, token, { method: 'POST', json: start });
    expect(answer.status).toBe(200);
    const text = await answer.text().then((body) => ({ body }), (error: unknown) => ({ error }));
    if (reads === 'a cut body') expect(text).toMatchObject({ error: expect.any(TypeError) });
    else if (reads === 'invalid JSON') expect(() => JSON.parse((text as { body: string }).body)).toThrow(SyntaxError);
    else expect(JSON.parse((text as { body: string }).body)).toMatchObject({ transactionType: 'CHARGE' });
    expect((await sandbox.requests({ api: 'centili-payments', operationId: 'startTransaction' }))[0]!.fault?.kinds).toEqual([Object.keys(fault)[0] === 'body' ? fault.body : 'dribble']);
  });

  it('takes a token of the shared Centili token endpoint on every Centili API', async () => {
    const token = await login();
    const packages = await call('https://capi.centili.com/payments/v3/services/packages?serviceKey=f31a355df6dad07e49ba474db7ff9b07&country=rs', token);
    expect(packages.status, await packages.clone().text()).not.toBe(401);
    const balance = await call(`${centili}/datagifting/v1/services/balance?serviceKey=3586a2363bcd51a2b3c4d5f34918263a&operator=FR_ORANGE`, token);
    expect(balance.status).toBe(200);
  });

  it('refuses a token it did not issue with the documented 401, and a request breaking the spec with the 400 naming the field', async () => {
    const forged = await call(`${centili}/auth/transactions/t-1`, 'forged');
    expect(forged.status).toBe(401);
    expect(await forged.json()).toEqual({ code: 'UNAUTHORIZED', message: 'Invalid credentials' });
    const token = await login();
    const invalid = await call(`${centili}/auth/transactions/t-1/pin`, token, { method: 'POST', json: { pin: 1234 } });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toEqual({ code: 'BAD_REQUEST', message: 'Request body property pin must be string (request.body.pin: type)' });
  });

  it('answers as the HTTP sandbox does, header for header and byte for byte', async () => {
    const mock = await startMock({ apis: ['centili-payments'], sandbox: { pin: '4321' } });
    // The sandbox on a port is reached for real.
    server.use(http.all(/^http:\/\/127\.0\.0\.1[:/]/, () => passthrough()));
    try {
      const base = mock.urls['centili-payments']!;
      const requests = [
        { path: '/auth/transactions/t-1/pin', init: { method: 'POST', json: { pin: 1234 } } },
        { path: '/auth/transactions/unknown', init: { method: 'GET' } },
        { path: '/auth/transactions', init: { method: 'PATCH' } },
        { path: '/auth/transactions', init: { method: 'POST', body: '{"a": ', headers: { 'content-type': 'application/json' } } },
        { path: '/no/such/path', init: { method: 'GET' } },
      ];
      const tokens = { http: await login(base, globalThis.fetch), msw: await login() };
      for (const { path, init } of requests) {
        const overHttp = await call(`${base}${path}`, tokens.http, init as never);
        const inProcess = await call(`${centili}${path}`, tokens.msw, init as never);
        expect(inProcess.status, path).toBe(overHttp.status);
        expect(await inProcess.text(), path).toBe(await overHttp.text());
        const relevant = (response: Response) => {
          const pairs: Array<[string, string]> = [];
          response.headers.forEach((value, name) => pairs.push([name, value]));
          return pairs.filter(([name]) => !['date', 'connection', 'keep-alive', 'transfer-encoding'].includes(name));
        };
        expect(relevant(inProcess), path).toEqual(relevant(overHttp));
      }
    } finally {
      server.resetHandlers();
      await mock.close();
    }
  });

  it('drops the connection for a drop fault: the caller sees a network error, and a retry with the key gets the answer it missed', async () => {
    const token = await login();
    await sandbox.fault({ operationId: 'startTransaction', drop: 'after', times: 1 });
    await expect(call(`${centili}/auth/transactions`, token, { method: 'POST', json: start, key: 'dropped' })).rejects.toThrow(TypeError);
    const retry = await call(`${centili}/auth/transactions`, token, { method: 'POST', json: start, key: 'dropped' });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
  });

  it('reset() returns the handler set to its seed: transactions, tokens and faults are gone', async () => {
    const token = await login();
    const started = (await (await call(`${centili}/auth/transactions`, token, { method: 'POST', json: start })).json()) as { transactionId: string };
    await sandbox.fault({ operationId: 'getTransaction', status: 500 });
    await sandbox.reset();
    expect((await call(`${centili}/auth/transactions/${started.transactionId}`, token)).status).toBe(401);
    const again = await login();
    expect((await call(`${centili}/auth/transactions/${started.transactionId}`, again)).status).toBe(404);
    // The journal starts again at the reset: the refused token, then the 404.
    expect((await sandbox.requests({ api: 'centili-payments', operationId: 'getTransaction' })).map((entry) => entry.status)).toEqual([401, 404]);
  });

  it('names the field and the rule of a bad admin call', async () => {
    await expect(sandbox.fault({ operationId: 'createToken', status: 500 })).rejects.toThrow(/"api" is needed: .*centili-payments/);
    await expect(sandbox.fault({ operationId: 'nope', status: 500 })).rejects.toThrow(SandboxAdminError);
    await expect(sandbox.requests({ api: 'acme' })).rejects.toThrow(/"api" must be one of/);
    await expect(sandbox.seed({ dataPools: 'x' } as never)).rejects.toThrow(/dataPools/);
    await expect(sandbox.health()).resolves.toMatchObject({ up: true, store: 'memory' });
  });
});

describe('createSandboxHandlers() isolation, options and sockets', () => {
  it('two handler sets share nothing: a transaction started through one is 404 through the other', async () => {
    const one = createSandboxHandlers({ apis: ['centili-payments'] });
    const other = createSandboxHandlers({ apis: ['centili-payments'], baseUrls: { 'centili-payments': 'http://other.invalid/payments' } });
    const server = setupServer(...one.handlers, ...other.handlers.filter((handler) => String(handler.info.path).includes('other')));
    server.listen({ onUnhandledRequest: 'error' });
    try {
      const token = await login();
      const { transactionId } = (await (await call(`${centili}/auth/transactions`, token, { method: 'POST', json: start })).json()) as { transactionId: string };
      const otherToken = await login('http://other.invalid/payments');
      expect((await call(`http://other.invalid/payments/auth/transactions/${transactionId}`, otherToken)).status).toBe(404);
      expect((await call(`${centili}/auth/transactions/${transactionId}`, token)).status).toBe(200);
    } finally {
      server.close();
    }
  });

  it('refuses an unknown API and a base URL that is not absolute http(s), naming them', () => {
    expect(() => createSandboxHandlers({ apis: ['acme-airtime'] })).toThrow(MockStartError);
    expect(() => createSandboxHandlers({ apis: ['centili-payments'], baseUrls: { 'centili-payments': '/relative' } })).toThrow(/baseUrls.centili-payments must be an absolute http\(s\) URL/);
    expect(() => createSandboxHandlers({ apis: ['centili-payments'], maxPinAttempts: 0 })).toThrow(/sandbox.maxPinAttempts must be a positive integer/);
  });

  it('opens no listening port and leaves no handle that keeps the process alive after server.close()', async () => {
    const before = process.getActiveResourcesInfo();
    const count = (list: string[], kind: string) => list.filter((name) => name === kind).length;
    const listening = await portsInUse();
    const { handlers } = createSandboxHandlers({ apis: ['centili-payments'] });
    const server = setupServer(...handlers);
    server.listen({ onUnhandledRequest: 'error' });
    const token = await login();
    expect((await call(`${centili}/auth/transactions`, token, { method: 'POST', json: start })).status).toBe(200);
    // At most as many as before: a server an earlier test closed may still be going away.
    expect(await portsInUse()).toBeLessThanOrEqual(listening);
    server.close();
    const after = process.getActiveResourcesInfo();
    for (const kind of ['TCPServerWrap', 'Timeout']) expect(count(after, kind), kind).toBeLessThanOrEqual(count(before, kind));
  });
});

/** The TCP servers this process listens on, from Node's own handles. */
async function portsInUse(): Promise<number> {
  await new Promise((resolve) => setImmediate(resolve));
  return process.getActiveResourcesInfo().filter((name) => name === 'TCPServerWrap').length;
}
