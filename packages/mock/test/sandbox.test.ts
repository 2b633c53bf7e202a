import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryStore, MockStartError, SandboxAdminError, startMock, type RunningMock } from '../src/index.js';
import { bundledSpecPath } from '@carrier-api/specs';
import { send } from './support/requests.js';
import { sandboxClient, untilInFlight } from './support/sandbox.js';

const start = { serviceKey: 'abc', userIdentifier: { msisdn: '4366124567', country: 'at', operator: 'A1' }, price: '1.99', clientData: { clientUserId: 'u-1', clientReference: 'order-7' } };

describe('sandbox: tokens', () => {
  let now = Date.parse('2026-01-01T00:00:00Z');
  let mock: RunningMock;
  let payments: Awaited<ReturnType<typeof sandboxClient>>;
  beforeAll(async () => {
    mock = await startMock({ apis: ['centili-payments', 'centili-packages'], sandbox: { clock: () => now, tokenTtlSeconds: 60 } });
    payments = await sandboxClient(mock, 'centili-payments');
  });
  afterAll(() => mock.close());

  it('issues distinct tokens with the configured expiry, and renews them with the refresh token', async () => {
    const first = await payments.login();
    const second = await payments.login();
    expect(first.access_token).not.toBe(second.access_token);
    expect(first.expires_in).toBe(60);
    const refreshed = await payments.call('createToken', { body: { client_id: 'app', grant_type: 'refresh_token', refresh_token: first.refresh_token } });
    expect(refreshed.status).toBe(200);
    expect((refreshed.json as { access_token: string }).access_token).not.toBe(first.access_token);
  });

  it('refuses an unknown refresh token and a password grant without a password with OAuth2 errors', async () => {
    const unknown = await payments.call('createToken', { body: { client_id: 'app', grant_type: 'refresh_token', refresh_token: 'forged' } });
    expect(unknown.status).toBe(400);
    expect(unknown.json).toEqual({ error: 'invalid_grant', error_description: 'Invalid refresh token' });
    const noPassword = await payments.call('createToken', { body: { client_id: 'app', grant_type: 'password', username: 'u' } });
    expect(noPassword.status).toBe(400);
    expect(noPassword.json).toMatchObject({ error: 'invalid_request' });
  });

  it('answers a token it did not issue, or an expired one, with the documented 401', async () => {
    const forged = await payments.call('getTransaction', { params: { transactionId: 't-1' }, token: 'eyJhbGciOiJSUzI1NiJ9.access.signature' });
    expect(forged.status).toBe(401);
    expect(forged.json).toEqual({ code: 'UNAUTHORIZED', message: 'Invalid credentials' });
    expect(forged.headers['www-authenticate']).toMatch(/invalid_token/);

    const { access_token } = await payments.login();
    expect((await payments.call('getTransaction', { params: { transactionId: 't-1' }, token: access_token })).status).toBe(404);
    now += 61_000;
    const expired = await payments.call('getTransaction', { params: { transactionId: 't-1' }, token: access_token });
    expect(expired.status).toBe(401);
    expect(expired.json).toEqual({ code: 'UNAUTHORIZED', message: 'Invalid credentials' });
  });

  it('scopes tokens to the API port that issued them', async () => {
    const { access_token } = await payments.login();
    const packages = await sandboxClient(mock, 'centili-packages');
    const response = await packages.call('getCountryPackages', { query: { serviceKey: 'f31a355df6dad07e49ba474db7ff9b07', country: 'es' }, token: access_token });
    expect(response.status).toBe(401);
  });
});

describe('sandbox: payment transactions', () => {
  let mock: RunningMock;
  let payments: Awaited<ReturnType<typeof sandboxClient>>;
  beforeAll(async () => {
    mock = await startMock({ apis: ['centili-payments'], sandbox: true });
    payments = await sandboxClient(mock, 'centili-payments');
  });
  beforeEach(async () => {
    await mock.reset();
    await payments.login();
  });
  afterAll(() => mock.close());

  const startOne = async () => {
    const response = await payments.call('startTransaction', { body: start });
    expect(response.status).toBe(200);
    return (response.json as { transactionId: string }).transactionId;
  };
  const state = async (transactionId: string) => ((await payments.call('getTransaction', { params: { transactionId } })).json as { transactionStatus: string }).transactionStatus;

  it('starts a transaction with a new id, PENDING until the PIN 1234, then COMPLETED', async () => {
    const id = await startOne();
    expect(await startOne()).not.toBe(id);
    const got = await payments.call('getTransaction', { params: { transactionId: id } });
    expect(got.json).toMatchObject({ transactionId: id, transactionStatus: 'PENDING', serviceKey: 'abc', subscriber: '4366124567', clientData: start.clientData });
    const pin = await payments.call('submitPin', { params: { transactionId: id }, body: { pin: '1234' } });
    expect(pin.status).toBe(200);
    expect(pin.json).toEqual({ transactionId: id, clientData: start.clientData });
    expect((await payments.call('getTransaction', { params: { transactionId: id } })).json).toMatchObject({ transactionStatus: 'COMPLETED', notificationStatus: 'DELIVERED', timeCharged: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/) });
  });

  it('answers a wrong PIN with the documented 400, and after 3 wrong PINs every PIN with 429', async () => {
    const id = await startOne();
    for (let attempt = 0; attempt < 3; attempt++) {
      const wrong = await payments.call('submitPin', { params: { transactionId: id }, body: { pin: '0000' } });
      expect(wrong.status).toBe(400);
      expect(wrong.json).toEqual({ code: 'INVALID_PIN', message: 'Invalid PIN sent, request can be retried' });
    }
    for (const pin of ['0000', '1234']) {
      const limited = await payments.call('submitPin', { params: { transactionId: id }, body: { pin } });
      expect(limited.status).toBe(429);
      expect(limited.json).toEqual({ code: 'TOO_MANY_ATTEMPTS', message: 'Number of attempts over the max retry limit, request can not be retried.' });
    }
    expect(await state(id)).toBe('PENDING');
  });

  it('answers unknown transactions with the documented 404 on get, PIN and release', async () => {
    for (const [operationId, body] of [['getTransaction', undefined], ['submitPin', { pin: '1234' }], ['releaseTransaction', undefined]] as const) {
      const response = await payments.call(operationId, { params: { transactionId: 'no-such-transaction' }, body });
      expect(response.status).toBe(404);
      expect(response.json).toEqual({ code: 'NOT_FOUND', message: 'Transaction not found' });
    }
  });

  it('releases a pending transaction once; a released one takes no PIN', async () => {
    const id = await startOne();
    const released = await payments.call('releaseTransaction', { params: { transactionId: id } });
    expect(released.status).toBe(200);
    expect(released.json).toEqual({ transactionId: id, clientData: start.clientData });
    expect(await state(id)).toBe('RELEASED');
    const again = await payments.call('releaseTransaction', { params: { transactionId: id } });
    expect(again.json).toEqual({ code: 'CANNOT_RELEASE', message: 'Transaction can not be released' });
    expect((await payments.call('submitPin', { params: { transactionId: id }, body: { pin: '1234' } })).status).toBe(400);
  });

  it('hides one caller’s transactions from another', async () => {
    const id = await startOne();
    await payments.login('someone-else', 'pw');
    expect((await payments.call('getTransaction', { params: { transactionId: id } })).status).toBe(404);
  });

  it('replays a repeated Idempotency-Key with the same status and body, executing nothing', async () => {
    const headers = { 'idempotency-key': 'order-7-start' };
    const first = await payments.call('startTransaction', { body: start, headers });
    const second = await payments.call('startTransaction', { body: start, headers });
    expect(second.status).toBe(first.status);
    expect(second.text).toBe(first.text);
    expect(second.headers['idempotent-replayed']).toBe('true');
    // A replayed wrong PIN is not a second attempt.
    const id = (first.json as { transactionId: string }).transactionId;
    const pinHeaders = { 'idempotency-key': 'pin-1' };
    for (let repeat = 0; repeat < 5; repeat++) expect((await payments.call('submitPin', { params: { transactionId: id }, body: { pin: '0000' }, headers: pinHeaders })).status).toBe(400);
    expect((await payments.call('submitPin', { params: { transactionId: id }, body: { pin: '1234' } })).status).toBe(200);
  });

  it('answers a repeat while the first still executes with the documented 409', async () => {
    await mock.fault('centili-payments', { operationId: 'startTransaction', delayMs: 5000, times: 1 }); // the window in which the repeat must arrive: wide, for busy CI machines
    const headers = { 'idempotency-key': 'slow-start' };
    const first = payments.call('startTransaction', { body: start, headers });
    await untilInFlight(mock, 'centili-payments', 'startTransaction');
    const repeat = await payments.call('startTransaction', { body: start, headers });
    expect(repeat.status).toBe(409);
    expect(repeat.json).toEqual({ code: 'CONFLICT', message: 'Request with the same idempotency key is currently executing' });
    expect((await first).status).toBe(200);
    expect((await payments.call('startTransaction', { body: start, headers })).text).toBe((await first).text);
  });

  it('still answers a Prefer for a documented error status without executing; a 2xx preference does not override state', async () => {
    const id = await startOne();
    const preferred = await payments.call('releaseTransaction', { params: { transactionId: id }, headers: { prefer: 'code=404' } });
    expect(preferred.json).toEqual({ code: 'NOT_FOUND', message: 'Transaction not found' });
    expect(await state(id)).toBe('PENDING');
    expect((await payments.call('getTransaction', { params: { transactionId: 'unknown' }, headers: { prefer: 'code=200' } })).status).toBe(404);
  });

  it('describes validation failures in the API’s error body, naming the field and the rule', async () => {
    const response = await payments.call('submitPin', { params: { transactionId: 't' }, body: { pin: 1234 } });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/pin.*must be string.*request\.body\.pin: type/) });
    expect(JSON.parse(String(response.headers['sl-violations']))[0]).toMatchObject({ location: ['request', 'body', 'pin'], code: 'type' });
  });
});

describe('sandbox: options', () => {
  it('takes the PIN and the attempt limit from the options', async () => {
    const mock = await startMock({ apis: ['centili-payments'], sandbox: { pin: '9876', maxPinAttempts: 1 } });
    try {
      const payments = await sandboxClient(mock, 'centili-payments');
      await payments.login();
      const id = ((await payments.call('startTransaction', { body: start })).json as { transactionId: string }).transactionId;
      expect((await payments.call('submitPin', { params: { transactionId: id }, body: { pin: '1234' } })).status).toBe(400);
      expect((await payments.call('submitPin', { params: { transactionId: id }, body: { pin: '9876' } })).status).toBe(429);
      const other = ((await payments.call('startTransaction', { body: start })).json as { transactionId: string }).transactionId;
      expect((await payments.call('submitPin', { params: { transactionId: other }, body: { pin: '9876' } })).status).toBe(200);
    } finally {
      await mock.close();
    }
  });

  it('takes a PIN seeded over HTTP until reset', async () => {
    const mock = await startMock({ apis: ['centili-payments'], sandbox: true });
    try {
      const payments = await sandboxClient(mock, 'centili-payments');
      await payments.login();
      const seeded = await send(payments.base, { method: 'POST', path: '/__admin/seed', headers: { 'content-type': 'application/json' }, body: '{"pin":"5555"}' });
      expect(seeded.status).toBe(200);
      const id = ((await payments.call('startTransaction', { body: start })).json as { transactionId: string }).transactionId;
      expect((await payments.call('submitPin', { params: { transactionId: id }, body: { pin: '1234' } })).status).toBe(400);
      expect((await payments.call('submitPin', { params: { transactionId: id }, body: { pin: '5555' } })).status).toBe(200);
    } finally {
      await mock.close();
    }
  });

  it('keeps the last `journalLimit` requests in the journal', async () => {
    const mock = await startMock({ apis: ['centili-payments'], sandbox: { journalLimit: 3 } });
    try {
      const payments = await sandboxClient(mock, 'centili-payments');
      await payments.login();
      for (const id of ['a1', 'a2', 'a3', 'a4']) await payments.call('getTransaction', { params: { transactionId: id } });
      expect((await mock.requests('centili-payments')).map((entry) => entry.path)).toEqual(['/auth/transactions/a2', '/auth/transactions/a3', '/auth/transactions/a4']);
    } finally {
      await mock.close();
    }
  });

  it('refuses bad options with a typed error', async () => {
    await expect(startMock({ apis: ['centili-payments'], sandbox: { maxPinAttempts: 0 } })).rejects.toMatchObject({ name: 'MockStartError', code: 'INVALID_OPTIONS' });
    await expect(startMock({ apis: ['centili-payments'], sandbox: { pin: '' } })).rejects.toBeInstanceOf(MockStartError);
    await expect(startMock({ apis: ['centili-payments'], sandbox: { seed: { dataPools: [{ serviceKey: 'k', operator: 'o', totalAmount: -1 }] } } })).rejects.toThrow(/dataPools\[0\]\.totalAmount must be a non-negative integer/);
  });

  it('only accepts the listed users when `users` is given', async () => {
    const mock = await startMock({ apis: ['centili-payments'], sandbox: { users: [{ username: 'merchant', password: 'right' }] } });
    try {
      const payments = await sandboxClient(mock, 'centili-payments');
      const wrong = await payments.call('createToken', { body: { client_id: 'app', grant_type: 'password', username: 'merchant', password: 'wrong' } });
      expect(wrong.json).toEqual({ error: 'invalid_grant', error_description: 'Invalid user credentials' });
      await payments.login('merchant', 'right');
    } finally {
      await mock.close();
    }
  });

  it('serves a spec of your own with Prism’s examples, plus the journal and faults', async () => {
    const mock = await startMock({ specs: { mine: bundledSpecPath('centili-payments') }, sandbox: true });
    try {
      const request = { method: 'GET', path: '/auth/transactions/t-1', headers: { authorization: 'Bearer anything' } };
      expect((await send(mock.urls.mine!, request)).status).toBe(200);
      await mock.fault('mine', { operationId: 'getTransaction', status: 404, times: 1 });
      expect((await send(mock.urls.mine!, request)).json).toEqual({ code: 'NOT_FOUND', message: 'Transaction not found' });
      expect((await mock.requests('mine')).map((entry) => entry.status)).toEqual([200, 404]);
    } finally {
      await mock.close();
    }
  });

  it('has no journal, faults or reset on a plain mock', async () => {
    const mock = await startMock({ apis: ['centili-payments'] });
    try {
      await expect(mock.requests('centili-payments')).rejects.toBeInstanceOf(SandboxAdminError);
      expect((await send(mock.urls['centili-payments']!, { method: 'GET', path: '/__admin/requests', headers: {} })).status).toBe(404);
    } finally {
      await mock.close();
    }
  });
});

describe('sandbox: journal, faults, reset', () => {
  let mock: RunningMock;
  let payments: Awaited<ReturnType<typeof sandboxClient>>;
  beforeAll(async () => {
    mock = await startMock({ apis: ['centili-payments'], sandbox: true });
    payments = await sandboxClient(mock, 'centili-payments');
  });
  beforeEach(async () => {
    await mock.reset();
    await payments.login();
  });
  afterAll(() => mock.close());

  it('journals every request with its operation and status, secrets masked, over HTTP and from JS', async () => {
    const id = ((await payments.call('startTransaction', { body: start })).json as { transactionId: string }).transactionId;
    await payments.call('submitPin', { params: { transactionId: id }, body: { pin: '1234' } });
    const pins = await mock.requests('centili-payments', { operationId: 'submitPin' });
    expect(pins).toHaveLength(1);
    expect(pins[0]).toMatchObject({ method: 'POST', path: `/auth/transactions/${id}/pin`, status: 200, body: { pin: '***' } });
    expect(pins[0]!.headers.authorization).toBe('Bearer ***');
    const tokenCall = (await mock.requests('centili-payments', { operationId: 'createToken' }))[0]!;
    expect(tokenCall.body).toMatch(/password=\*\*\*/);
    expect(JSON.stringify(await mock.requests('centili-payments'))).not.toMatch(/sbx-at\.|secret/);

    const overHttp = await send(payments.base, { method: 'GET', path: '/__admin/requests', headers: {} });
    expect((overHttp.json as { requests: unknown[] }).requests).toHaveLength(3);
    expect((await send(payments.base, { method: 'DELETE', path: '/__admin/requests', headers: {} })).status).toBe(200);
    expect(await mock.requests('centili-payments')).toEqual([]);
  });

  it('answers a status fault with its documented example without executing, `times` times', async () => {
    const fault = await send(payments.base, { method: 'POST', path: '/__admin/faults', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ operationId: 'startTransaction', status: 500, times: 1 }) });
    expect(fault.status).toBe(201);
    const failed = await payments.call('startTransaction', { body: start });
    expect(failed.status).toBe(500);
    expect(failed.json).toEqual({ code: 'INTERNAL_ERROR', message: 'Request can not be processed at current time' });
    expect((await payments.call('startTransaction', { body: start })).status).toBe(200);
  });

  it('drops the connection before executing, or after executing', async () => {
    await mock.fault('centili-payments', { operationId: 'startTransaction', drop: 'before', times: 1 });
    await expect(payments.call('startTransaction', { body: start })).rejects.toThrow();
    await mock.fault('centili-payments', { operationId: 'startTransaction', drop: 'after', times: 1 });
    await expect(payments.call('startTransaction', { body: start, headers: { 'idempotency-key': 'dropped' } })).rejects.toThrow();
    // It was executed: the same key now replays the answer the client never got.
    const replay = await payments.call('startTransaction', { body: start, headers: { 'idempotency-key': 'dropped' } });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect((await mock.requests('centili-payments', { operationId: 'startTransaction' })).map((entry) => entry.status)).toEqual([null, null, 200]);
  });

  it('refuses a bad seed with 400 naming the field', async () => {
    for (const [body, message] of [
      ['{"dataPools": "x"}', /"dataPools" must be a list of objects/],
      ['{"pools": []}', /Unknown seed field "pools"/],
      ['[1]', /A seed is a JSON object/],
      ['{"pin": 1234}', /"pin" must be a non-empty string/],
    ] as const) {
      const response = await send(payments.base, { method: 'POST', path: '/__admin/seed', headers: { 'content-type': 'application/json' }, body });
      expect(response.status).toBe(400);
      expect((response.json as { message: string }).message).toMatch(message);
    }
  });

  it('refuses a bad fault with 400 naming the field', async () => {
    const bad = await send(payments.base, { method: 'POST', path: '/__admin/faults', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ operationId: 'nope', status: 500 }) });
    expect(bad.status).toBe(400);
    expect((bad.json as { message: string }).message).toMatch(/"operationId" must be one of/);
    await expect(mock.fault('centili-payments', { operationId: 'submitPin', drop: 'sideways' as 'before' })).rejects.toThrow(/"drop"/);
  });

  it('resets state, journal and faults over HTTP', async () => {
    const id = ((await payments.call('startTransaction', { body: start })).json as { transactionId: string }).transactionId;
    await mock.fault('centili-payments', { operationId: 'getTransaction', status: 500 });
    expect((await send(payments.base, { method: 'POST', path: '/__admin/reset', headers: {} })).status).toBe(200);
    expect(await mock.requests('centili-payments')).toEqual([]);
    await payments.login();
    expect((await payments.call('getTransaction', { params: { transactionId: id } })).status).toBe(404);
  });
});

describe('sandbox: isolation', () => {
  it('shares nothing between two sandboxes in one process', async () => {
    const [one, two] = await Promise.all([startMock({ apis: ['centili-payments'], sandbox: true }), startMock({ apis: ['centili-payments'], sandbox: true })]);
    try {
      const a = await sandboxClient(one, 'centili-payments');
      const b = await sandboxClient(two, 'centili-payments');
      const { access_token } = await a.login();
      await b.login();
      const id = ((await a.call('startTransaction', { body: start })).json as { transactionId: string }).transactionId;
      expect((await b.call('getTransaction', { params: { transactionId: id } })).status).toBe(404);
      expect((await b.call('getTransaction', { params: { transactionId: id }, token: access_token })).status).toBe(401);
      await one.fault('centili-payments', { operationId: 'startTransaction', status: 500 });
      expect((await b.call('startTransaction', { body: start })).status).toBe(200);
      expect(await two.requests('centili-payments', { operationId: 'getTransaction' })).toHaveLength(2);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });
});

describe('sandbox: several instances sharing one store act as one', () => {
  it('shares tokens, transactions, PIN attempts, idempotency keys, faults and the journal through the store alone', async () => {
    const store = new MemoryStore();
    const [one, two] = await Promise.all([startMock({ apis: ['centili-payments'], sandbox: { store } }), startMock({ apis: ['centili-payments'], sandbox: { store } })]);
    try {
      const a = await sandboxClient(one, 'centili-payments');
      const b = await sandboxClient(two, 'centili-payments');
      const { access_token } = await a.login();
      const headers = { 'idempotency-key': 'shared-key' };
      const started = await a.call('startTransaction', { body: start, headers });
      const id = (started.json as { transactionId: string }).transactionId;
      // Instance two knows the token, the transaction and the key.
      expect((await b.call('getTransaction', { params: { transactionId: id }, token: access_token })).status).toBe(200);
      expect((await b.call('startTransaction', { body: start, headers, token: access_token })).text).toBe(started.text);
      // Wrong PINs count across instances.
      for (const client of [a, b, a]) expect((await client.call('submitPin', { params: { transactionId: id }, body: { pin: '0000' }, token: access_token })).status).toBe(400);
      expect((await b.call('submitPin', { params: { transactionId: id }, body: { pin: '1234' }, token: access_token })).status).toBe(429);
      // A fault set on one hits the other, once.
      await one.fault('centili-payments', { operationId: 'getTransaction', status: 500, times: 1 });
      expect((await b.call('getTransaction', { params: { transactionId: id }, token: access_token })).status).toBe(500);
      expect((await a.call('getTransaction', { params: { transactionId: id }, token: access_token })).status).toBe(200);
      expect((await two.requests('centili-payments', { operationId: 'submitPin' })).length).toBe(4);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });
});

