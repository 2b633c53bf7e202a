import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '../src/index.js';
import { send, type WireResponse } from './support/requests.js';
import { startTestRedis, type TestRedis } from './support/redis.js';

/**
 * Sessions (issue 31): one shared sandbox, many pipelines. A request with `X-Sandbox-Session`
 * sees only its session's state; without it, the default session's, as before. Each row on
 * memory and on a real Redis, where the session is created on one instance and used on another.
 */
const tokenPath = '/auth/realms/api/protocol/openid-connect/token';
const start = { serviceKey: 'abc', userIdentifier: { msisdn: '4366124567' }, price: '1.99' };

interface Setup {
  /** Two instances of one sandbox (the same one twice on memory). */
  a: RunningMock;
  b: RunningMock;
  /** Keys in the store holding `text`, or undefined where it cannot be read (memory). */
  keysHolding(text: string): Promise<number | undefined>;
  stop(): Promise<void>;
}

const setups: Array<{ name: string; make: () => Promise<Setup> }> = [
  {
    name: 'memory',
    make: async () => {
      const mock = await startMock({ apis: ['centili-payments'], sandbox: { pin: '1234' } });
      return { a: mock, b: mock, keysHolding: async () => undefined, stop: () => mock.close() };
    },
  },
  {
    name: 'redis, two instances',
    make: async () => {
      const redis: TestRedis = await startTestRedis();
      const options = { apis: ['centili-payments'], sandbox: { pin: '1234', store: { url: redis.url, prefix: 'sessions:' } } };
      const a = await startMock(options);
      const b = await startMock(options);
      const raw = new Redis(redis.url, { maxRetriesPerRequest: 1 });
      return {
        a,
        b,
        keysHolding: async (text) => (await raw.keys(`sessions:*${text}*`)).length,
        stop: async () => (raw.disconnect(), await a.close(), await b.close(), await redis.dispose()),
      };
    },
  },
];

describe.each(setups)('sessions, $name', ({ make }) => {
  let setup: Setup;
  beforeAll(async () => (setup = await make()));
  afterAll(() => setup.stop());

  /** A client of one session (undefined: the default one) on instance a or b. */
  const client = (session: string | undefined, on: 'a' | 'b' = 'a') => {
    const base = () => setup[on].urls['centili-payments']!;
    const headers = (extra: Record<string, string> = {}) => ({ ...(session ? { 'x-sandbox-session': session } : {}), ...extra });
    let token = '';
    return {
      async login(): Promise<WireResponse> {
        const answer = await send(base(), { method: 'POST', path: tokenPath, headers: headers({ 'content-type': 'application/x-www-form-urlencoded' }), body: 'client_id=ci&grant_type=password&username=merchant&password=s3cret' });
        if (answer.status === 200) token = (answer.json as { access_token: string }).access_token;
        return answer;
      },
      get token() {
        return token;
      },
      call: (method: string, path: string, body?: unknown, extra: Record<string, string> = {}) =>
        send(base(), { method, path, headers: headers({ authorization: `Bearer ${token}`, 'content-type': 'application/json', ...extra }), body: body === undefined ? undefined : JSON.stringify(body) }),
      admin: (method: string, path: string, body?: unknown) => send(base(), { method, path, headers: headers(body === undefined ? {} : { 'content-type': 'application/json' }), body: body === undefined ? undefined : JSON.stringify(body) }),
    };
  };
  const newSession = async (body: unknown = {}) => {
    const created = await send(setup.a.urls['centili-payments']!, { method: 'POST', path: '/__admin/sessions', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(created.status, created.text).toBe(201);
    return (created.json as { id: string }).id;
  };
  /** Session A on instance a, session B on instance b, and the default session; each logged in, each with a transaction. */
  const three = async () => {
    const [idA, idB] = [await newSession(), await newSession()];
    const clients = { A: client(idA, 'a'), B: client(idB, 'b'), D: client(undefined, 'b') };
    const tx: Record<string, string> = {};
    for (const [name, c] of Object.entries(clients)) {
      expect((await c.login()).status).toBe(200);
      tx[name] = ((await c.call('POST', '/auth/transactions', start)).json as { transactionId: string }).transactionId;
    }
    return { ids: { A: idA, B: idB }, clients, tx };
  };

  it('a transaction of one session is 404 in another and in the default session', async () => {
    const { clients, tx } = await three();
    expect((await clients.A.call('GET', `/auth/transactions/${tx.A}`)).status).toBe(200);
    expect((await clients.B.call('GET', `/auth/transactions/${tx.A}`)).status).toBe(404);
    expect((await clients.D.call('GET', `/auth/transactions/${tx.A}`)).status).toBe(404);
    expect((await clients.A.call('GET', `/auth/transactions/${tx.D}`)).status).toBe(404);
  });

  it('a token issued in one session is refused in another', async () => {
    const { clients } = await three();
    const foreign = await send(setup.b.urls['centili-payments']!, { method: 'GET', path: '/auth/transactions/x', headers: { authorization: `Bearer ${clients.A.token}`, 'x-sandbox-session': (await newSession()) } });
    expect(foreign.status).toBe(401);
  });

  it('a reset of one session leaves the others as they were', async () => {
    const { clients, tx } = await three();
    expect((await clients.A.admin('POST', '/__admin/reset')).status).toBe(200);
    expect((await clients.A.login()).status).toBe(200);
    expect((await clients.A.call('GET', `/auth/transactions/${tx.A}`)).status).toBe(404);
    expect((await clients.B.call('GET', `/auth/transactions/${tx.B}`)).status).toBe(200);
    expect((await clients.D.call('GET', `/auth/transactions/${tx.D}`)).status).toBe(200);
  });

  it('a fault set in one session hits only its requests', async () => {
    const { clients, tx } = await three();
    expect((await clients.A.admin('POST', '/__admin/faults', { operationId: 'getTransaction', status: 503 })).status).toBe(201);
    expect((await clients.A.call('GET', `/auth/transactions/${tx.A}`)).status).toBe(503);
    expect((await clients.B.call('GET', `/auth/transactions/${tx.B}`)).status).toBe(200);
    expect((await clients.D.call('GET', `/auth/transactions/${tx.D}`)).status).toBe(200);
  });

  it('the journal of a session holds its requests and no other', async () => {
    const { clients, tx } = await three();
    const journal = async (c: ReturnType<typeof client>) => ((await c.admin('GET', '/__admin/requests')).json as { requests: Array<{ path: string }> }).requests.map((entry) => entry.path);
    const inA = await journal(clients.A);
    expect(inA).toEqual([tokenPath, '/auth/transactions']);
    expect((await journal(clients.D)).some((path) => path.includes(tx.A!))).toBe(false);
    expect(await journal(clients.B)).toEqual([tokenPath, '/auth/transactions']);
  });

  it('one Idempotency-Key in two sessions is two executions', async () => {
    const { clients } = await three();
    const [a, b] = await Promise.all([clients.A.call('POST', '/auth/transactions', start, { 'idempotency-key': 'order-1' }), clients.B.call('POST', '/auth/transactions', start, { 'idempotency-key': 'order-1' })]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.headers['idempotent-replayed']).toBeUndefined();
    expect(b.headers['idempotent-replayed']).toBeUndefined();
    expect((a.json as { transactionId: string }).transactionId).not.toBe((b.json as { transactionId: string }).transactionId);
  });

  it('a session seeded with its own PIN; the default keeps the options\' PIN', async () => {
    const id = await newSession({ seed: { pin: '9999' } });
    const seeded = client(id, 'b');
    await seeded.login();
    const { transactionId } = (await seeded.call('POST', '/auth/transactions', start)).json as { transactionId: string };
    expect((await seeded.call('POST', `/auth/transactions/${transactionId}/pin`, { pin: '1234' })).status).toBe(400);
    expect((await seeded.call('POST', `/auth/transactions/${transactionId}/pin`, { pin: '9999' })).status).toBe(200);
  });

  it('an unknown session is refused, naming the header: 400 in the API\'s error body, 404 on the admin surface', async () => {
    const api = await client('never-created').call('GET', '/auth/transactions/x');
    expect(api.status).toBe(400);
    expect(api.json).toEqual({ code: 'UNKNOWN_SESSION', message: expect.stringContaining('X-Sandbox-Session: no session "never-created"') });
    const admin = await client('never-created').admin('GET', '/__admin/requests');
    expect(admin.status).toBe(404);
    expect(admin.json).toMatchObject({ error: 'unknown_session' });
  });

  it.each([
    [{ ttlSeconds: 0 }, 'ttlSeconds must be an integer from 1 to 604800; got 0.'],
    [{ ttlSeconds: 1.5 }, 'ttlSeconds must be an integer from 1 to 604800; got 1.5.'],
    [{ id: 'has space' }, 'id must be 1-64 of A-Z a-z 0-9 . _ -; got "has space".'],
    [{ ttl: 60 }, 'ttl: not a field of a session (it takes id, ttlSeconds, seed).'],
    [{ seed: { dataPools: 'x' } }, 'seed: '],
  ])('a bad session %j gets 400 naming the field', async (body, message) => {
    const answer = await send(setup.a.urls['centili-payments']!, { method: 'POST', path: '/__admin/sessions', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(answer.status).toBe(400);
    expect((answer.json as { message: string }).message).toContain(message);
  });

  it('a session id of your own, once: a second with it is refused', async () => {
    const id = `ci-job-${Date.now()}`;
    expect(await newSession({ id })).toBe(id);
    const again = await send(setup.a.urls['centili-payments']!, { method: 'POST', path: '/__admin/sessions', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id }) });
    expect(again.status).toBe(400);
  });

  it('deleted or expired, a session is gone with all its state', async () => {
    const { clients, ids } = await three();
    expect((await setup.keysHolding(ids.A)) ?? 1).toBeGreaterThan(0);
    expect((await send(setup.b.urls['centili-payments']!, { method: 'DELETE', path: `/__admin/sessions/${ids.A}`, headers: {} })).status).toBe(200);
    expect((await clients.A.call('GET', '/auth/transactions/x')).status).toBe(400);
    expect((await setup.keysHolding(ids.A)) ?? 0).toBe(0);

    const short = await newSession({ ttlSeconds: 1 });
    const c = client(short, 'b');
    expect((await c.login()).status).toBe(200);
    expect((await setup.keysHolding(short)) ?? 1).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect((await c.call('GET', '/auth/transactions/x')).status).toBe(400);
    // Swept by the next request after expiry (at most once a second per API), on any instance.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await client(undefined, 'a').admin('GET', '/__admin/health');
    expect((await setup.keysHolding(short)) ?? 0).toBe(0);
  });

  it('from JS: createSession() scopes the journal, faults and reset', async () => {
    const session = await setup.a.createSession({ ttlSeconds: 60 });
    const c = client(session.id, 'b');
    await c.login();
    await session.fault('centili-payments', { operationId: 'startTransaction', status: 500, times: 1 });
    expect((await c.call('POST', '/auth/transactions', start)).status).toBe(500);
    expect((await client(undefined).call('POST', '/auth/transactions', start)).status).toBe(401);
    expect((await session.requests('centili-payments')).map((entry) => entry.status)).toEqual([200, 500]);
    await session.delete();
    await expect(session.requests('centili-payments')).rejects.toThrow(/No session/);
  });
});
