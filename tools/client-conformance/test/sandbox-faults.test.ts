import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type FaultSpec, type RunningMock } from '@carrier-api/mock';
import { callOperation, createClientOf, kinds, loadApis, outcomeClass, settle } from '../src/index.ts';

/**
 * The faults of real networks (issue 31), run against the sandbox itself rather than a scripted
 * server: each new fault kind, through the light client and the SDK of centili-payments, reaches
 * the error the runtime's rules say, and every error of a keyed call keeps its Idempotency-Key.
 */
const api = (await loadApis()).find((candidate) => candidate.name === 'centili-payments')!;
const start = api.operations.find((operation) => operation.operationId === 'startTransaction')!;
const read = api.operations.find((operation) => operation.operationId === 'getTransaction')!;

interface Row {
  row: string;
  operation: typeof start;
  fault: Omit<FaultSpec, 'operationId'>;
  /** The outcome class (`data`, `CarrierParseError:interrupted`...) and the attempts the call made. */
  expected: string;
  attempts: number;
  /** The client's `timeout` and `deadline`, in ms. */
  timeoutMs?: number;
  deadlineMs?: number;
}

const rows: Row[] = [
  { row: 'body truncate: the connection closes mid-body', operation: start, fault: { body: 'truncate' }, expected: 'CarrierParseError:interrupted', attempts: 1 },
  { row: 'body malformed: invalid JSON under application/json', operation: start, fault: { body: 'malformed' }, expected: 'CarrierParseError:not-json', attempts: 1 },
  // The body is read within the call's deadline (the per-attempt timeout ends when the headers arrive).
  { row: 'dribble past the deadline', operation: start, fault: { dribble: { durationMs: 3000, chunks: 5 } }, expected: 'CarrierTimeoutError:deadline', attempts: 1, deadlineMs: 1000 },
  { row: 'dribble within the timeout', operation: start, fault: { dribble: { durationMs: 200, chunks: 4 } }, expected: 'data', attempts: 1 },
  // The first attempt still executes (for 5 s, long beside the retries' milliseconds however busy the machine): each retry under its key gets the documented 409 until the attempts run out.
  { row: 'fixed latency past the timeout on a keyed write', operation: start, fault: { latency: { distribution: 'fixed', ms: 5000 }, times: 1 }, expected: 'CarrierApiError:409', attempts: 3, timeoutMs: 500 },
  { row: '503 with Retry-After on a keyed write: retried under its key', operation: start, fault: { status: 503, retryAfterSeconds: 0, times: 1 }, expected: 'data', attempts: 2 },
  { row: '503 with Retry-After on a read: retried', operation: read, fault: { status: 503, retryAfterSeconds: 0, times: 1 }, expected: 'CarrierApiError:404', attempts: 2 },
  { row: '429 with Retry-After: final, never retried', operation: start, fault: { status: 429, retryAfterSeconds: 0 }, expected: 'CarrierApiError:429', attempts: 1 },
];

describe.each(kinds)('%s client against the sandbox\'s faults', (kind) => {
  let sandbox: RunningMock;
  beforeAll(async () => {
    sandbox = await startMock({ apis: ['centili-payments'], sandbox: true });
  });
  afterAll(() => sandbox.close());

  it.each(rows)('$row → $expected', async ({ operation, fault, expected, attempts, timeoutMs, deadlineMs }) => {
    await sandbox.reset();
    await sandbox.fault('centili-payments', { operationId: operation.operationId, ...fault });
    const client = createClientOf(kind, api, {
      baseUrl: sandbox.urls['centili-payments'],
      auth: { clientId: 'conformance', username: 'merchant', password: 's3cret', tokenUrl: sandbox.tokenUrl('centili-payments') },
      retry: { initialDelayMs: 1, maxDelayMs: 5 },
      ...(timeoutMs ? { timeout: timeoutMs } : {}),
      ...(deadlineMs ? { deadline: deadlineMs } : {}),
    });
    const settled = await settle(() => callOperation(kind, api, client, operation));
    const outcome = outcomeClass(settled);
    expect(outcome.startsWith(expected), `${outcome}`).toBe(true);
    // Once every attempt is answered (a slow first one may still run: bounded wait), the journal holds each, and the fault with what it did.
    let sent = await sandbox.requests('centili-payments', { operationId: operation.operationId });
    for (let poll = 0; poll < 300 && sent.some((entry) => entry.status === null); poll++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      sent = await sandbox.requests('centili-payments', { operationId: operation.operationId });
    }
    expect(sent).toHaveLength(attempts);
    expect(sent.filter((entry) => entry.fault).map((entry) => entry.fault!.kinds.length)).not.toEqual([]);
    if (settled.ok) return;
    const error = settled.error as Record<string, unknown>;
    expect(error.attempts).toBe(attempts);
    if (operation.idempotencyKey) {
      expect(error.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
      expect(new Set(sent.map((entry) => entry.headers['idempotency-key']))).toEqual(new Set([error.idempotencyKey]));
    }
  });

  it('probability with a seed: the same requests hit on every run', async () => {
    const hits = async () => {
      await sandbox.reset();
      await sandbox.fault('centili-payments', { operationId: 'startTransaction', status: 500, probability: 0.3, seed: 42 });
      const client = createClientOf(kind, api, { baseUrl: sandbox.urls['centili-payments'], auth: { clientId: 'c', username: 'merchant', password: 's3cret', tokenUrl: sandbox.tokenUrl('centili-payments') }, retry: false });
      const statuses: string[] = [];
      for (let index = 0; index < 20; index++) statuses.push(outcomeClass(await settle(() => callOperation(kind, api, client, start))));
      return statuses;
    };
    const first = await hits();
    expect(await hits()).toEqual(first);
    const failed = first.filter((outcome) => outcome !== 'data').length;
    expect(failed).toBeGreaterThan(0);
    expect(failed).toBeLessThan(20);
  });
});
