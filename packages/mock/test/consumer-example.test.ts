// The consumer test shown in the README ("A full consumer test"), kept runnable here.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startMock, type RunningMock } from '../src/index.js';

let mock: RunningMock;
let base: string;
let headers: Record<string, string>;

beforeAll(async () => {
  mock = await startMock({ apis: ['centili-payments'], sandbox: { pin: '1234' } });
  base = mock.urls['centili-payments']!;
  const token = await fetch(mock.tokenUrl('centili-payments'), {
    method: 'POST',
    body: new URLSearchParams({ client_id: 'shop', grant_type: 'password', username: 'merchant', password: 'secret' }),
  });
  const { access_token } = (await token.json()) as { access_token: string };
  headers = { Authorization: `Bearer ${access_token}`, 'Content-Type': 'application/json' };
});
afterAll(() => mock.close());

it('charges a subscriber: start, PIN, get, replay, a fault, the journal', async () => {
  // Start, with an Idempotency-Key.
  const start = { serviceKey: 'abc', userIdentifier: { msisdn: '4366124567' }, price: '1.99' };
  const startOnce = () => fetch(`${base}/auth/transactions`, { method: 'POST', headers: { ...headers, 'Idempotency-Key': 'order-42' }, body: JSON.stringify(start) });
  const started = await startOnce();
  const { transactionId } = (await started.clone().json()) as { transactionId: string };

  // The PIN, then the transaction's real state.
  const pin = await fetch(`${base}/auth/transactions/${transactionId}/pin`, { method: 'POST', headers, body: JSON.stringify({ pin: '1234' }) });
  expect(pin.status).toBe(200);
  const transaction = await (await fetch(`${base}/auth/transactions/${transactionId}`, { headers })).json();
  expect(transaction).toMatchObject({ transactionId, transactionStatus: 'COMPLETED' });

  // The same key again: the same answer, nothing executed twice.
  const replay = await startOnce();
  expect(replay.status).toBe(started.status);
  expect(await replay.text()).toBe(await started.text());

  // A fault: the next start fails with the documented 500.
  await mock.fault('centili-payments', { operationId: 'startTransaction', status: 500, times: 1 });
  const failed = await fetch(`${base}/auth/transactions`, { method: 'POST', headers, body: JSON.stringify(start) });
  expect(failed.status).toBe(500);

  // The journal: what the code under test sent, secrets masked.
  const starts = await mock.requests('centili-payments', { operationId: 'startTransaction' });
  expect(starts.map((entry) => entry.status)).toEqual([200, 200, 500]);
  expect(starts[0]!.headers.authorization).toBe('Bearer ***');
});
