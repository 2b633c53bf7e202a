import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, StoreUnavailableError, type RunningMock } from '../src/index.js';
import { send, type WireResponse } from './support/requests.js';
import { startTestRedis, type TestRedis } from './support/redis.js';
import { sandboxClient } from './support/sandbox.js';

const start = { serviceKey: 'abc', userIdentifier: { msisdn: '4366124567', country: 'at', operator: 'A1' }, price: '1.99' };
const serviceKey = '3586a2363bcd51a2b3c4d5f34918263a';
const apis = ['centili-payments', 'centili-data-gifting'];
type Client = Awaited<ReturnType<typeof sandboxClient>>;

const admin = async (mock: RunningMock, api: string, method: string, path: string, body?: unknown): Promise<WireResponse> =>
  send(mock.urls[api]!, { method, path, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

/** Keys of this prefix in Redis matching `pattern` (SCAN, bounded by the cursor). */
async function keys(redis: Redis, pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    found.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return found;
}

describe('sandbox on Redis: three instances sharing one Redis act as one', () => {
  let redis: TestRedis;
  let raw: Redis;
  let now = Date.now();
  const mocks: RunningMock[] = [];
  let payments: Client[];
  let gifting: Client[];
  const prefix = 'three:';

  beforeAll(async () => {
    redis = await startTestRedis();
    raw = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    for (let index = 0; index < 3; index++) mocks.push(await startMock({ apis, sandbox: { store: { url: redis.url, prefix }, clock: () => now, maxPinAttempts: 3 } }));
    payments = await Promise.all(mocks.map((mock) => sandboxClient(mock, 'centili-payments')));
    gifting = await Promise.all(mocks.map((mock) => sandboxClient(mock, 'centili-data-gifting')));
  });
  afterAll(async () => {
    await Promise.all(mocks.map((mock) => mock.close()));
    raw?.disconnect();
    await redis?.dispose();
  });

  it('keeps the three on three ports, each reporting its store up', async () => {
    expect(new Set(mocks.map((mock) => mock.urls['centili-payments'])).size).toBe(3);
    for (const mock of mocks) {
      const health = await admin(mock, 'centili-payments', 'GET', '/__admin/health');
      expect(health.status).toBe(200);
      expect(health.json).toMatchObject({ status: 'up', up: true, store: expect.stringContaining(`prefix ${prefix}`) });
    }
  });

  it('a token issued by A works on B and C, refreshing it on C works, and it expires (a Redis TTL, and the clock)', async () => {
    await mocks[0]!.reset();
    const [a, b, c] = payments as [Client, Client, Client];
    const issued = await a.login();
    for (const client of [b, c]) expect((await client.call('getTransaction', { params: { transactionId: 't-1' }, token: issued.access_token })).status).toBe(404);
    const refreshed = await c.call('createToken', { body: { client_id: 'app', grant_type: 'refresh_token', refresh_token: issued.refresh_token } });
    expect(refreshed.status).toBe(200);
    const renewed = (refreshed.json as { access_token: string }).access_token;
    for (const client of [a, b]) expect((await client.call('getTransaction', { params: { transactionId: 't-1' }, token: renewed })).status).toBe(404);
    const ttl = await raw.pttl(`${prefix}centili-payments:token:${issued.access_token}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(300_000);
    now += 301_000;
    for (const client of [a, b, c]) expect((await client.call('getTransaction', { params: { transactionId: 't-1' }, token: renewed })).status).toBe(401);
  });

  it('50 concurrent starts sharing one Idempotency-Key over the three: one execution, the stored answer or the documented 409', async () => {
    await mocks[1]!.reset();
    const { access_token } = await payments[1]!.login();
    const headers = { 'idempotency-key': 'one-order' };
    const answers = await Promise.all(Array.from({ length: 50 }, (_, index) => payments[index % 3]!.call('startTransaction', { body: start, headers, token: access_token })));
    const done = answers.filter((answer) => answer.status === 200);
    const conflicts = answers.filter((answer) => answer.status === 409);
    expect(done.length + conflicts.length).toBe(50);
    expect(done.length).toBeGreaterThanOrEqual(1);
    expect(new Set(done.map((answer) => answer.text)).size).toBe(1);
    for (const conflict of conflicts) expect(conflict.json).toEqual({ code: 'CONFLICT', message: 'Request with the same idempotency key is currently executing' });
    expect(await keys(raw, `${prefix}centili-payments:transaction:*`)).toHaveLength(1);
    const replay = await payments[2]!.call('startTransaction', { body: start, headers, token: access_token });
    expect(replay.text).toBe(done[0]!.text);
    expect(replay.headers['idempotent-replayed']).toBe('true');
  });

  it('wrong PINs spread over the instances: 429 after exactly maxPinAttempts in total', async () => {
    await mocks[2]!.reset();
    const { access_token } = await payments[2]!.login();
    const transactionId = ((await payments[0]!.call('startTransaction', { body: start, token: access_token })).json as { transactionId: string }).transactionId;
    const pins = await Promise.all(Array.from({ length: 9 }, (_, index) => payments[index % 3]!.call('submitPin', { params: { transactionId }, body: { pin: '0000' }, token: access_token })));
    expect(pins.filter((pin) => pin.status === 400)).toHaveLength(3);
    expect(pins.filter((pin) => pin.status === 429)).toHaveLength(6);
    expect((await payments[1]!.call('submitPin', { params: { transactionId }, body: { pin: '1234' }, token: access_token })).status).toBe(429);
    expect((await payments[2]!.call('getTransaction', { params: { transactionId }, token: access_token })).json).toMatchObject({ transactionStatus: 'PENDING' });
  });

  it('200 concurrent 100 MB assignments over the three against a 10,000 MB pool: exactly 100 succeed, none oversold', async () => {
    await mocks[0]!.reset('centili-data-gifting');
    expect((await admin(mocks[0]!, 'centili-data-gifting', 'POST', '/__admin/seed', { dataPools: [{ serviceKey, operator: 'FR_ORANGE', totalAmount: 10_000 }] })).status).toBe(200);
    const { access_token } = await gifting[0]!.login();
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, index) => gifting[index % 3]!.call('assignData', { body: { serviceKey, msisdn: '4366124567', clientId: '454585', amount: 100 }, token: access_token })),
    );
    expect(results.filter((result) => result.status === 200)).toHaveLength(100);
    expect(results.filter((result) => result.status === 400 && (result.json as { code: string }).code === 'INSUFFICIENT_DATA')).toHaveLength(100);
    for (const client of gifting) {
      expect((await client.call('getBalance', { query: { serviceKey, operator: 'FR_ORANGE' }, token: access_token })).json).toEqual([{ totalAmount: 10_000, assignedAmount: 10_000, expirationDate: '2099-12-31 23:59:59' }]);
    }
    const listed = (await gifting[2]!.call('listTransactions', { query: { serviceKey }, token: access_token })).json as Array<{ transactionId: string }>;
    expect(new Set(listed.map((transaction) => transaction.transactionId)).size).toBe(100);
  });

  it('a fault set on A applies to B; a reset on any resets all; the journal read on any holds the requests of all three', async () => {
    const [a, b, c] = payments as [Client, Client, Client];
    await mocks[2]!.reset();
    const { access_token } = await a.login();
    expect((await admin(mocks[0]!, 'centili-payments', 'POST', '/__admin/faults', { operationId: 'getTransaction', status: 500 })).status).toBe(201);
    for (const client of [b, c]) expect((await client.call('getTransaction', { params: { transactionId: 't-1' }, token: access_token })).status).toBe(500);

    expect((await admin(mocks[1]!, 'centili-payments', 'POST', '/__admin/reset')).status).toBe(200);
    // The reset on B took the token issued on A, and the fault, from all three.
    expect((await a.call('getTransaction', { params: { transactionId: 't-1' }, token: access_token })).status).toBe(401);
    const fresh = await c.login();
    for (const client of [a, b, c]) expect((await client.call('getTransaction', { params: { transactionId: 't-1' }, token: fresh.access_token })).status).toBe(404);
    expect(await keys(raw, `${prefix}centili-payments:token:${access_token}`)).toEqual([]);

    await Promise.all([a, b, c].map((client, index) => client.call('getTransaction', { params: { transactionId: `from-${index}` }, token: fresh.access_token })));
    for (const mock of mocks) {
      const journal = (await admin(mock, 'centili-payments', 'GET', '/__admin/requests')).json as { requests: Array<{ path: string }> };
      const paths = journal.requests.map((entry) => entry.path);
      for (const index of [0, 1, 2]) expect(paths).toContain(`/auth/transactions/from-${index}`);
    }
    expect(await keys(raw, `${prefix}centili-payments:journal#list`)).toHaveLength(1);
  });

  it('keeps sandboxes of two prefixes on one Redis apart', async () => {
    const other = await startMock({ apis: ['centili-payments'], sandbox: { store: { url: redis.url, prefix: 'other-team:' } } });
    try {
      const { access_token } = await payments[0]!.login();
      const theirs = await sandboxClient(other, 'centili-payments');
      expect((await theirs.call('getTransaction', { params: { transactionId: 't-1' }, token: access_token })).status).toBe(401);
      await other.reset();
      expect((await payments[1]!.call('getTransaction', { params: { transactionId: 't-1' }, token: access_token })).status).toBe(404);
    } finally {
      await other.close();
    }
  });
});

describe('sandbox on Redis: when Redis goes away and comes back', () => {
  let redis: TestRedis;
  let mock: RunningMock;
  beforeAll(async () => {
    redis = await startTestRedis();
    mock = await startMock({ apis, sandbox: { store: { url: redis.url } } });
  });
  afterAll(async () => {
    await mock?.close();
    await redis?.dispose();
  });

  it('answers 503 in the API’s error body, reports the store down, and recovers with its defaults when Redis is back empty', async () => {
    const payments = await sandboxClient(mock, 'centili-payments');
    const { access_token } = await payments.login();
    const base = mock.urls['centili-payments']!;
    const getTransaction = () => send(base, { method: 'GET', path: '/auth/transactions/t-1', headers: { authorization: `Bearer ${access_token}` } });
    expect((await getTransaction()).status).toBe(404);

    await redis.stop();
    const down = await getTransaction();
    expect(down.status).toBe(503);
    expect(down.headers['retry-after']).toBe('1');
    expect(down.json).toEqual({ code: 'SERVICE_UNAVAILABLE', message: expect.stringContaining('state store is unavailable') });
    // The token endpoint's own error body (OAuth2) for the same 503.
    const token = await send(base, { method: 'POST', path: '/auth/realms/api/protocol/openid-connect/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'client_id=a&grant_type=password&username=u&password=p' });
    expect(token.status).toBe(503);
    expect(token.json).toEqual({ error: 'temporarily_unavailable', error_description: expect.stringContaining('state store is unavailable') });
    const health = await admin(mock, 'centili-payments', 'GET', '/__admin/health');
    expect(health.status).toBe(503);
    expect(health.json).toMatchObject({ status: 'down', up: false });
    expect((await admin(mock, 'centili-data-gifting', 'GET', '/__admin/requests')).json).toMatchObject({ error: 'store_unavailable' });
    await expect(mock.requests('centili-payments')).rejects.toThrow(StoreUnavailableError);
    expect((await getTransaction()).status).toBe(503); // still serving, not crashed

    await redis.start(); // same port, no persistence: it comes back empty
    let up: WireResponse | undefined;
    for (let attempt = 0; attempt < 300 && up?.status !== 200; attempt++) {
      up = await admin(mock, 'centili-payments', 'GET', '/__admin/health');
      if (up.status !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(up?.json).toMatchObject({ status: 'up' });
    // Redis came back empty: the old token is gone, a new one works, and the seed's defaults are in force again.
    expect((await getTransaction()).status).toBe(401);
    await payments.login();
    expect((await payments.call('getTransaction', { params: { transactionId: 't-1' } })).status).toBe(404);
    const gifting = await sandboxClient(mock, 'centili-data-gifting');
    await gifting.login();
    const balance = async () => (await gifting.call('getBalance', { query: { serviceKey, operator: 'FR_ORANGE' } })).json;
    expect(await balance()).toEqual([{ totalAmount: 100000, assignedAmount: 2500, expirationDate: '2024-12-31 23:59:59' }]);
    expect((await gifting.call('assignData', { body: { serviceKey, msisdn: '4366124567', clientId: '454585', amount: 500 } })).status).toBe(200);
    expect(await balance()).toEqual([{ totalAmount: 100000, assignedAmount: 3000, expirationDate: '2024-12-31 23:59:59' }]);
  });

  it('answers 503 after the command timeout, not a hang, when Redis holds the connection but answers nothing; serves again when it answers', async () => {
    // 2 s: long enough for the login before the stall on a busy machine, short beside vitest's bound.
    const stalled = await startMock({ apis: ['centili-payments'], sandbox: { store: { url: redis.url, prefix: 'stalled:', commandTimeoutMs: 2_000 } } });
    try {
      const payments = await sandboxClient(stalled, 'centili-payments');
      const { access_token } = await payments.login();
      const getTransaction = () => send(stalled.urls['centili-payments']!, { method: 'GET', path: '/auth/transactions/t-1', headers: { authorization: `Bearer ${access_token}` } });
      redis.signal('SIGSTOP');
      try {
        const stuck = await getTransaction();
        expect(stuck.status).toBe(503);
        expect(stuck.json).toEqual({ code: 'SERVICE_UNAVAILABLE', message: expect.stringContaining('timed out') });
        expect((await admin(stalled, 'centili-payments', 'GET', '/__admin/health')).json).toMatchObject({ status: 'down' });
      } finally {
        redis.signal('SIGCONT');
      }
      let status = 0;
      for (let attempt = 0; attempt < 300 && status !== 404; attempt++) {
        status = (await getTransaction()).status;
        if (status !== 404) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(status).toBe(404);
    } finally {
      await stalled.close();
    }
  });

  it('answers 503, not 500, when Redis refuses writes (out of memory: the same for a read-only replica after a failover)', async () => {
    const payments = await sandboxClient(mock, 'centili-payments');
    const { access_token } = await payments.login();
    const raw = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    try {
      await raw.config('SET', 'maxmemory-policy', 'noeviction');
      await raw.config('SET', 'maxmemory', '1');
      const refused = await send(mock.urls['centili-payments']!, {
        method: 'POST',
        path: '/auth/transactions',
        headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
        body: JSON.stringify(start),
      });
      expect(refused.status, JSON.stringify(refused.json)).toBe(503);
      expect(refused.json).toEqual({ code: 'SERVICE_UNAVAILABLE', message: expect.stringContaining('OOM') });
    } finally {
      await raw.config('SET', 'maxmemory', '0');
      raw.disconnect();
    }
  });

  it('refuses to start when Redis cannot be reached (STORE_UNAVAILABLE), and a store URL that is not redis:// (INVALID_OPTIONS)', async () => {
    await expect(startMock({ apis: ['centili-payments'], sandbox: { store: { url: 'redis://127.0.0.1:1', connectTimeoutMs: 300 } } })).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    await expect(startMock({ apis: ['centili-payments'], sandbox: { store: { url: 'http://127.0.0.1:6379' } } })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
  });
});
