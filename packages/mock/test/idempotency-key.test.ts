import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '../src/index.js';
import { fingerprintTextLimit } from '../src/sandbox/sandbox.js';
import { startTestRedis, type TestRedis } from './support/redis.js';
import { sandboxClient, untilInFlight } from './support/sandbox.js';

/**
 * One Idempotency-Key, two requests: the second is a replay only when it is the same request
 * (specs/shared/responses/IdempotencyKeyReused.yaml). Each row runs on the in-memory store and on
 * a real Redis: the rule is one code path over the store interface.
 */
const start = { serviceKey: 'abc', userIdentifier: { msisdn: '4366124567' }, price: '1.99' };
const reused = { code: 'IDEMPOTENCY_KEY_REUSED', message: 'The Idempotency-Key was already used with a different request' };

type Client = Awaited<ReturnType<typeof sandboxClient>>;
interface Step {
  operationId: string;
  body?: unknown;
  /** Raw JSON text instead of `body` (key order, spacing). */
  text?: string;
  params?: (ids: { transactionId: string }) => Record<string, string>;
}
interface Row {
  name: string;
  first: Step;
  second: Step;
  /** `replay`: same status and body, Idempotent-Replayed: true; `reused`: 422 and nothing executed. */
  outcome: 'replay' | 'reused';
}

/** A start with a field long enough that its fingerprint is a digest; `last` is its final character. */
const long = (last: string) => ({ ...start, note: `${'x'.repeat(fingerprintTextLimit)}${last}` });
const pin = (value: string): Step => ({ operationId: 'submitPin', body: { pin: value }, params: ({ transactionId }) => ({ transactionId }) });
const rows: Row[] = [
  { name: 'the same start again', first: { operationId: 'startTransaction', body: start }, second: { operationId: 'startTransaction', body: start }, outcome: 'replay' },
  {
    name: 'the same start with its keys in another order and other spacing',
    first: { operationId: 'startTransaction', body: start },
    second: { operationId: 'startTransaction', text: '{ "price": "1.99", "userIdentifier": { "msisdn": "4366124567" },\n "serviceKey": "abc" }' },
    outcome: 'replay',
  },
  {
    name: 'another service, subscriber and price (issue 27, input 1)',
    first: { operationId: 'startTransaction', body: start },
    second: { operationId: 'startTransaction', body: { serviceKey: 'zzz999', userIdentifier: { msisdn: '381600000001' }, price: '99.00' } },
    outcome: 'reused',
  },
  { name: 'the same start with one more field', first: { operationId: 'startTransaction', body: start }, second: { operationId: 'startTransaction', body: { ...start, wap: true } }, outcome: 'reused' },
  { name: 'a wrong PIN, then the right PIN under its key', first: pin('0000'), second: pin('1234'), outcome: 'reused' },
  { name: 'the same wrong PIN again', first: pin('0000'), second: pin('0000'), outcome: 'replay' },
  // Past fingerprintTextLimit a request is compared by its SHA-256 digest, not its text.
  { name: 'the same long start again (compared by digest)', first: { operationId: 'startTransaction', body: long('a') }, second: { operationId: 'startTransaction', body: long('a') }, outcome: 'replay' },
  { name: 'a long start differing in its last character (compared by digest)', first: { operationId: 'startTransaction', body: long('a') }, second: { operationId: 'startTransaction', body: long('b') }, outcome: 'reused' },
  { name: 'a short start, then a long one under its key', first: { operationId: 'startTransaction', body: start }, second: { operationId: 'startTransaction', body: long('a') }, outcome: 'reused' },
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
      const mock = await startMock({ apis: ['centili-payments'], sandbox: { store: { url: redis.url, prefix: 'idempotency:' } } });
      return {
        mock,
        stop: async () => {
          await mock.close();
          await redis.dispose();
        },
      };
    },
  },
];

describe.each(stores)('Idempotency-Key reused, $name store', (store) => {
  let mock: RunningMock;
  let stop: () => Promise<void>;
  let payments: Client;
  beforeAll(async () => {
    ({ mock, stop } = await store.start());
    payments = await sandboxClient(mock, 'centili-payments');
    await payments.login();
  });
  afterAll(() => stop?.());

  const send = (step: Step, key: string, ids: { transactionId: string }) =>
    payments.call(step.operationId, { params: step.params?.(ids), body: step.text ?? step.body, headers: { 'idempotency-key': key, ...(step.text ? { 'content-type': 'application/json' } : {}) }, raw: step.text !== undefined });

  it.each(rows)('$name: $outcome', async (row) => {
    const started = await payments.call('startTransaction', { body: start });
    const ids = { transactionId: (started.json as { transactionId: string }).transactionId };
    const key = `key-${row.name}-${ids.transactionId}`;
    const first = await send(row.first, key, ids);
    const before = await mock.requests('centili-payments', {});
    const second = await send(row.second, key, ids);
    if (row.outcome === 'replay') {
      expect(second.status, second.text).toBe(first.status);
      expect(second.text).toBe(first.text);
      expect(second.headers['idempotent-replayed']).toBe('true');
      return;
    }
    expect(second.status, second.text).toBe(422);
    expect(second.json).toEqual(reused);
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    // Nothing executed: the transaction is as the first request left it, and the first request under the key still replays.
    const state = await payments.call('getTransaction', { params: ids });
    expect((state.json as { transactionStatus: string }).transactionStatus).toBe('PENDING');
    const again = await send(row.first, key, ids);
    expect(again.text).toBe(first.text);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect((await mock.requests('centili-payments', {})).length).toBe(before.length + 3);
  });

  it('refuses another request under a key whose first request still executes with 422, not 409', async () => {
    await mock.fault('centili-payments', { operationId: 'startTransaction', delayMs: 5000, times: 1 });
    const first = payments.call('startTransaction', { body: start, headers: { 'idempotency-key': 'slow-reused' } });
    await untilInFlight(mock, 'centili-payments', 'startTransaction');
    const other = await payments.call('startTransaction', { body: { ...start, price: '99.00' }, headers: { 'idempotency-key': 'slow-reused' } });
    expect(other.status, other.text).toBe(422);
    expect(other.json).toEqual(reused);
    expect((await first).status).toBe(200);
  });
});
