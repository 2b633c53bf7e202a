import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore, RedisStore, startMock, type RunningMock, type SandboxStore } from '../src/index.js';
import { FlakyStore, type StoreCall } from './support/flaky-store.js';
import { startTestRedis, type TestRedis } from './support/redis.js';
import { send as request } from './support/requests.js';
import { sandboxClient } from './support/sandbox.js';

/**
 * An Idempotency-Key when the store fails mid-way (issue 27, input 8: after a Redis stall a key
 * could answer 409 for 11 minutes). The claim is owner-tagged and leased: until the rule's first
 * write its lease is the claim's TTL (a stopped request frees the key within the lease); from the
 * first write the record says so, and a request that stops then leaves the key answering 500
 * IDEMPOTENT_OUTCOME_UNKNOWN for good, never a second execution. Each row runs on memory and on
 * a real Redis, through a store that goes down on cue.
 */
const leaseMs = 400;
const start = { serviceKey: 'abc', userIdentifier: { msisdn: '4366124567' }, price: '1.99' };
type Client = Awaited<ReturnType<typeof sandboxClient>>;

const onTransaction = (call: StoreCall) => call.key.includes(':transaction:');
const isDoneRecord = (call: StoreCall) => call.method === 'compareAndSet' && (call.args[1] as { state?: string } | undefined)?.state === 'done';
const isRenewal = (call: StoreCall) => call.method === 'compareAndSet' && call.key.includes(':idempotency:') && JSON.stringify(call.args[0]) === JSON.stringify(call.args[1]);

/** Sends until the answer is neither 409 nor 503 (bounded: 400 tries, 40 ms apart), returning every status seen. */
async function untilSettled(send: () => Promise<{ status: number }>): Promise<number[]> {
  const statuses: number[] = [];
  for (let attempt = 0; attempt < 400; attempt++) {
    const { status } = await send();
    statuses.push(status);
    if (status !== 409 && status !== 503) return statuses;
    await new Promise((resolve) => setTimeout(resolve, leaseMs / 10));
  }
  return statuses;
}

interface Row {
  row: string;
  /** The operation whose request is under test; a release first starts its transaction. */
  operationId: 'startTransaction' | 'releaseTransaction';
  /** Which call fails, and how long the store stays down after it (ms). */
  fail: (call: StoreCall) => boolean;
  downMs: number;
  /** How many matching calls fail (default 1). */
  times?: number;
  /** A fault delay on the operation (ms), the first request only. */
  delayMs?: number;
  /** A second request under the key while the first waits in its delay. */
  overtake?: boolean;
  /** What the key answers once settled, and how many executions took effect. */
  settled: 200 | 500;
  executions: number;
  /** The key answers 409 for a while first (its owner's lease outlives the outage). */
  conflictFirst?: boolean;
  /** The row's own idempotencyLeaseMs (default leaseMs). */
  lease?: number;
}

const rows: Row[] = [
  { row: 'the store fails on the rule\'s first read: nothing written, the key is free at once', operationId: 'releaseTransaction', fail: (call) => call.method === 'get' && onTransaction(call), downMs: 0, settled: 200, executions: 1 },
  { row: 'the store fails on the rule\'s write: the outcome is unknown, and the key says so', operationId: 'startTransaction', fail: (call) => call.method === 'set' && onTransaction(call), downMs: 0, settled: 500, executions: 0 },
  { row: 'the store goes down after the rule wrote, past the lease: 503 while down, then the unknown outcome, never a second charge', operationId: 'startTransaction', fail: isDoneRecord, downMs: 3 * leaseMs, settled: 500, executions: 1 },
  { row: 'the store goes down after the rule wrote, shorter than the lease: 409 until the lease ends, then the unknown outcome', operationId: 'startTransaction', fail: isDoneRecord, downMs: leaseMs / 4, settled: 500, executions: 1, conflictFirst: true, lease: 10 * leaseMs },
  { row: 'a request whose renewals fail while it waits loses the key to the next: one execution, and the first gets 503', operationId: 'startTransaction', fail: isRenewal, downMs: 0, times: Number.POSITIVE_INFINITY, delayMs: 3 * leaseMs, overtake: true, settled: 200, executions: 1 },
];

const stores: Array<{ name: string; make: () => Promise<{ inner: SandboxStore; dispose: () => Promise<void> }> }> = [
  { name: 'memory', make: async () => ({ inner: new MemoryStore(), dispose: async () => {} }) },
  {
    name: 'redis',
    make: async () => {
      const redis: TestRedis = await startTestRedis();
      const inner = new RedisStore({ url: redis.url, prefix: 'claims:', commandTimeoutMs: 1000 });
      await inner.ready();
      return { inner, dispose: async () => (await inner.close(), await redis.dispose()) };
    },
  },
];

describe.each(stores)('Idempotency-Key claims when the store fails, $name', (store) => {
  let inner: SandboxStore;
  let dispose: () => Promise<void>;
  beforeAll(async () => ({ inner, dispose } = await store.make()));
  afterAll(() => dispose());

  it.each(rows)('$row', async ({ operationId, fail, downMs, times, delayMs, overtake, settled, executions, conflictFirst, lease = leaseMs }) => {
    const flaky = new FlakyStore(inner);
    const mock: RunningMock = await startMock({ apis: ['centili-payments'], sandbox: { store: flaky, idempotencyLeaseMs: lease } });
    try {
      const payments: Client = await sandboxClient(mock, 'centili-payments');
      await payments.login();
      const transactionId = operationId === 'releaseTransaction' ? ((await payments.call('startTransaction', { body: start })).json as { transactionId: string }).transactionId : '';
      const key = `key-${crypto.randomUUID()}`;
      // Raw requests while the store fails (the 503 is the sandbox's, not the spec's); the settled answer is checked against the spec below.
      const token = (await payments.login()).access_token;
      const path = operationId === 'startTransaction' ? '/auth/transactions' : `/auth/transactions/${transactionId}/release`;
      const send = () => request(mock.urls['centili-payments']!, { method: 'POST', path, headers: { authorization: `Bearer ${token}`, 'idempotency-key': key, 'content-type': 'application/json' }, body: operationId === 'startTransaction' ? JSON.stringify(start) : undefined });
      const checked = () => payments.call(operationId, { headers: { 'idempotency-key': key }, ...(operationId === 'startTransaction' ? { body: start } : { params: { transactionId } }) });
      if (delayMs) await mock.fault('centili-payments', { operationId, delayMs, times: 1 });
      const effectsBefore = flaky.effects.filter(onTransaction).length;
      flaky.failOn(fail, { downMs, times });

      const first = send();
      let overtaken: number[] = [];
      if (overtake) {
        // The first waits in its delay; its lease runs out (its renewals fail); the next takes the key.
        await new Promise((resolve) => setTimeout(resolve, 2 * leaseMs));
        overtaken = await untilSettled(send);
      }
      const firstAnswer = await first;
      if (overtake) {
        expect(overtaken.at(-1)).toBe(200);
        expect(firstAnswer.status, firstAnswer.text).toBe(503);
      } else {
        expect(firstAnswer.status, firstAnswer.text).not.toBe(200);
      }

      // Every later request under the key: 409 or 503 for a while (bounded), then one settled answer, for good.
      const statuses = overtake ? overtaken : await untilSettled(send);
      expect(statuses.at(-1), statuses.join(',')).toBe(settled);
      expect(statuses.slice(0, -1).every((status) => status === 409 || status === 503)).toBe(true);
      if (conflictFirst) expect(statuses).toContain(409);
      const again = await checked();
      expect(again.status).toBe(settled);
      expect(again.headers['idempotent-replayed']).toBe('true');
      if (settled === 500) expect(again.json).toMatchObject({ code: 'IDEMPOTENT_OUTCOME_UNKNOWN' });
      // Writes of the rule that took effect: the transaction set (start) or released (release).
      const effects = flaky.effects.filter(onTransaction).length - effectsBefore;
      expect(effects).toBe(executions);
    } finally {
      await mock.close();
    }
  });
});
