import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '../src/index.js';
import { maxFaultDelayMs } from '../src/sandbox/sandbox.js';
import { send } from './support/requests.js';
import { startTestRedis, type TestRedis } from './support/redis.js';
import { sandboxClient } from './support/sandbox.js';

/**
 * The admin surface validates its input like an API request (issue 27, input 2): a fault or seed
 * that cannot be kept is 400 naming the field and the rule, before anything is stored, never 201
 * and then a broken exchange. Every row on the in-memory store and on a real Redis.
 */
const start = { serviceKey: 'abc', userIdentifier: { msisdn: '4366124567' }, price: '1.99' };

const refusedFaults: Array<{ row: string; body: string; names: RegExp }> = [
  { row: 'status 100, an interim response (the next call hung)', body: JSON.stringify({ operationId: 'startTransaction', status: 100 }), names: /"status" must be an integer from 200 to 599.*got 100/ },
  { row: 'status 101', body: JSON.stringify({ operationId: 'startTransaction', status: 101 }), names: /"status".*got 101/ },
  { row: 'status 199', body: JSON.stringify({ operationId: 'startTransaction', status: 199 }), names: /"status".*got 199/ },
  { row: 'status 600', body: JSON.stringify({ operationId: 'startTransaction', status: 600 }), names: /"status".*got 600/ },
  { row: 'status 500.5', body: JSON.stringify({ operationId: 'startTransaction', status: 500.5 }), names: /"status".*got 500\.5/ },
  { row: 'status as a string', body: JSON.stringify({ operationId: 'startTransaction', status: '500' }), names: /"status".*got "500"/ },
  { row: 'a negative delay', body: JSON.stringify({ operationId: 'startTransaction', delayMs: -1 }), names: /"delayMs" must be an integer from 0 to 600000/ },
  { row: 'a delay past the bound', body: JSON.stringify({ operationId: 'startTransaction', delayMs: maxFaultDelayMs + 1 }), names: /"delayMs".*got 600001/ },
  { row: 'a fractional delay', body: JSON.stringify({ operationId: 'startTransaction', delayMs: 1.5 }), names: /"delayMs".*got 1\.5/ },
  { row: 'an unknown drop', body: JSON.stringify({ operationId: 'startTransaction', drop: 'sideways' }), names: /"drop" must be "before" or "after"; got "sideways"/ },
  { row: 'a status and a drop at once', body: JSON.stringify({ operationId: 'startTransaction', status: 500, drop: 'before' }), names: /"status" and "drop" cannot be combined/ },
  { row: 'times 0', body: JSON.stringify({ operationId: 'startTransaction', status: 500, times: 0 }), names: /"times" must be a positive integer; got 0/ },
  { row: 'times 1.5', body: JSON.stringify({ operationId: 'startTransaction', status: 500, times: 1.5 }), names: /"times".*got 1\.5/ },
  { row: 'an operation the API does not have', body: JSON.stringify({ operationId: 'giftData', status: 500 }), names: /"operationId" must be one of .*startTransaction.*got "giftData"/ },
  { row: 'no operationId', body: JSON.stringify({ status: 500 }), names: /"operationId" must be one of/ },
  { row: 'a misspelt field (delay)', body: JSON.stringify({ operationId: 'startTransaction', delay: 5000 }), names: /Unknown fault field "delay"/ },
  { row: 'nothing to do', body: JSON.stringify({ operationId: 'startTransaction' }), names: /needs "status", "delayMs", "drop", "latency", "body" or "dribble"/ },
  // The faults of real networks (issue 31): each field validated, named with its rule.
  { row: 'probability 0', body: JSON.stringify({ operationId: 'startTransaction', status: 503, probability: 0 }), names: /"probability" must be a number above 0 and at most 1; got 0/ },
  { row: 'probability 1.5', body: JSON.stringify({ operationId: 'startTransaction', status: 503, probability: 1.5 }), names: /"probability".*got 1\.5/ },
  { row: 'a fractional seed', body: JSON.stringify({ operationId: 'startTransaction', status: 503, probability: 0.3, seed: 0.5 }), names: /"seed" must be an integer; got 0\.5/ },
  { row: 'an unknown latency distribution', body: JSON.stringify({ operationId: 'startTransaction', latency: { distribution: 'pareto' } }), names: /"latency.distribution" must be "fixed", "uniform" or "lognormal"; got "pareto"/ },
  { row: 'a uniform latency upside down', body: JSON.stringify({ operationId: 'startTransaction', latency: { distribution: 'uniform', minMs: 50, maxMs: 10 } }), names: /"latency.minMs" must be at most "latency.maxMs"/ },
  { row: 'a lognormal latency without sigma', body: JSON.stringify({ operationId: 'startTransaction', latency: { distribution: 'lognormal', medianMs: 50 } }), names: /"latency.sigma" must be a number from 0 to 4; got undefined/ },
  { row: 'a fixed latency past the bound', body: JSON.stringify({ operationId: 'startTransaction', latency: { distribution: 'fixed', ms: maxFaultDelayMs + 1 } }), names: /"latency.ms" must be an integer from 0 to 600000/ },
  { row: 'a latency field of another distribution', body: JSON.stringify({ operationId: 'startTransaction', latency: { distribution: 'fixed', ms: 5, sigma: 1 } }), names: /"latency.sigma" is not a field of a fixed latency/ },
  { row: 'an unknown body damage', body: JSON.stringify({ operationId: 'startTransaction', body: 'shuffle' }), names: /"body" must be "truncate" or "malformed"; got "shuffle"/ },
  { row: 'a dribble without a duration', body: JSON.stringify({ operationId: 'startTransaction', dribble: { chunks: 4 } }), names: /"dribble.durationMs" must be an integer from 0 to 600000/ },
  { row: 'a dribble of one chunk', body: JSON.stringify({ operationId: 'startTransaction', dribble: { durationMs: 100, chunks: 1 } }), names: /"dribble.chunks" must be an integer from 2 to 1000; got 1/ },
  { row: 'a truncated body and a drop', body: JSON.stringify({ operationId: 'startTransaction', body: 'truncate', drop: 'after' }), names: /cannot be combined/ },
  { row: 'Retry-After on a 500', body: JSON.stringify({ operationId: 'startTransaction', status: 500, retryAfterSeconds: 1 }), names: /"retryAfterSeconds" goes with "status" 429 or 503/ },
  { row: 'a negative Retry-After', body: JSON.stringify({ operationId: 'startTransaction', status: 503, retryAfterSeconds: -1 }), names: /"retryAfterSeconds" must be an integer from 0 to 86400; got -1/ },
  { row: 'a list', body: JSON.stringify([{ operationId: 'startTransaction', status: 500 }]), names: /A fault is a JSON object/ },
  { row: 'text that is not JSON', body: 'status=500', names: /A fault is a JSON object/ },
  { row: 'an empty body', body: '', names: /A fault is a JSON object/ },
];

const refusedSeeds: Array<{ row: string; body: string; names: RegExp }> = [
  { row: 'an unknown field', body: JSON.stringify({ pools: [] }), names: /Unknown seed field "pools"/ },
  { row: 'a list that is not one', body: JSON.stringify({ dataPools: {} }), names: /"dataPools" must be a list of objects/ },
  { row: 'an empty PIN', body: JSON.stringify({ pin: '' }), names: /"pin" must be a non-empty string/ },
  { row: 'a negative pool', body: JSON.stringify({ dataPools: [{ serviceKey: 'k', operator: 'o', totalAmount: -1 }] }), names: /dataPools\[0\]\.totalAmount must be a non-negative integer/ },
  { row: 'a list as the seed', body: JSON.stringify([]), names: /A seed is a JSON object/ },
];

const stores: Array<{ name: string; start: () => Promise<{ mock: RunningMock; stop: () => Promise<void> }> }> = [
  {
    name: 'memory',
    start: async () => {
      const mock = await startMock({ apis: ['centili-payments'], sandbox: true });
      return { mock, stop: () => mock.close() };
    },
  },
  {
    name: 'redis',
    start: async () => {
      const redis: TestRedis = await startTestRedis();
      const mock = await startMock({ apis: ['centili-payments'], sandbox: { store: { url: redis.url, prefix: 'admin-input:' } } });
      return { mock, stop: async () => (await mock.close(), await redis.dispose()) };
    },
  },
];

describe.each(stores)('admin input, $name store', (store) => {
  let mock: RunningMock;
  let stop: () => Promise<void>;
  let payments: Awaited<ReturnType<typeof sandboxClient>>;
  beforeAll(async () => {
    ({ mock, stop } = await store.start());
    payments = await sandboxClient(mock, 'centili-payments');
  });
  beforeEach(async () => {
    await mock.reset();
    await payments.login();
  });
  afterAll(() => stop());
  const admin = (path: string, body: string) => send(mock.urls['centili-payments']!, { method: 'POST', path, headers: { 'content-type': 'application/json' }, body });

  it.each(refusedFaults)('POST /__admin/faults refuses $row: 400 naming the rule, nothing installed', async ({ body, names }) => {
    const answer = await admin('/__admin/faults', body);
    expect(answer.status).toBe(400);
    expect((answer.json as { error: string; message: string }).error).toBe('bad_request');
    expect((answer.json as { message: string }).message).toMatch(names);
    // Nothing was stored: the operation still executes (no status, no drop, no delay fault hit it).
    const started = await payments.call('startTransaction', { body: start });
    expect(started.status).toBe(200);
    expect(await mock.requests('centili-payments', { operationId: 'startTransaction' })).toMatchObject([{ status: 200 }]);
  });

  it('the same rule from JS: mock.fault rejects with SandboxAdminError naming the field', async () => {
    await expect(mock.fault('centili-payments', { operationId: 'startTransaction', status: 100 })).rejects.toMatchObject({ name: 'SandboxAdminError', message: expect.stringMatching(/"status"/) });
  });

  it.each([200, 201, 503, 599])('accepts status %i, a final answer, and answers it', async (status) => {
    expect((await admin('/__admin/faults', JSON.stringify({ operationId: 'startTransaction', status, times: 1 }))).status).toBe(201);
    // Sent raw: a fault's status need not be a documented one, which the spec-checking client refuses.
    const token = await fetch(mock.tokenUrl('centili-payments'), { method: 'POST', body: new URLSearchParams({ client_id: 'c', grant_type: 'password', username: 'u', password: 'p' }) });
    const authorization = `Bearer ${((await token.json()) as { access_token: string }).access_token}`;
    const answer = await send(mock.urls['centili-payments']!, { method: 'POST', path: '/auth/transactions', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(start) });
    expect(answer.status).toBe(status);
  });

  it.each(refusedSeeds)('POST /__admin/seed refuses $row: 400 naming the field', async ({ body, names }) => {
    const answer = await admin('/__admin/seed', body);
    expect(answer.status).toBe(400);
    expect((answer.json as { message: string }).message).toMatch(names);
  });
});
