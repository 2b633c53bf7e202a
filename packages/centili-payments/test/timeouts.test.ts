import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaymentsClient, expectData, isCarrierApiError, isCarrierTimeoutError, type CarrierEvent } from '../src/index.js';

// A loopback Centili that issues tokens, never answers a charge the first time, and counts the
// executions per Idempotency-Key; the error's key makes the second call a replay.
const tokenPath = '/auth/realms/api/protocol/openid-connect/token';
const executions = new Map<string, number>();
let answer = false;
let lastHeaders: Record<string, unknown> = {};
let server: Server;
let baseUrl: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const json = (status: number, body: unknown) => res.writeHead(status, { 'Content-Type': 'application/json', 'X-Request-Id': 'req-7' }).end(JSON.stringify(body));
      if (req.url === tokenPath) return json(200, { access_token: 'access-secret-1', refresh_token: 'refresh-secret-1', expires_in: 300 });
      lastHeaders = req.headers;
      const key = String(req.headers['idempotency-key']);
      executions.set(key, (executions.get(key) ?? 0) + (executions.has(key) ? 0 : 1));
      if (!answer) return; // lost on the way back
      if (req.headers.prefer === 'echo') return json(400, { code: 'BAD', message: `you sent ${req.headers.authorization}` });
      json(200, { transactionId: `tx-${key}`, transactionType: 'CHARGE', transactionStatus: 'PENDING' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const auth = () => ({ clientId: 'app', username: 'merchant', password: 'pa55word', tokenUrl: `${baseUrl}${tokenPath}` });
const body = { serviceKey: 'abc', userIdentifier: { msisdn: '4366124567' }, price: '1.00' };

describe('createPaymentsClient: timeout, the safe later retry, onEvent, redaction', () => {
  it('times out with the key, and the call again with that key executes the charge once', async () => {
    const events: CarrierEvent[] = [];
    const payments = createPaymentsClient({ baseUrl, auth: auth(), timeout: 200, retry: { maxAttempts: 2, sleep: async () => {} }, onEvent: (event) => events.push(event) });
    const error = await expectData(payments.POST('/auth/transactions', { body })).catch((e: unknown) => e);
    expect(isCarrierTimeoutError(error)).toBe(true);
    if (!isCarrierTimeoutError(error)) return;
    expect(error).toMatchObject({ operationId: 'startTransaction', attempts: 2, limit: 'timeout' });
    expect(events.filter((event) => event.type === 'retry')).toHaveLength(1);

    // Later, from a client with the default timeout (a 200 ms one could time out on a busy machine).
    answer = true;
    const later = createPaymentsClient({ baseUrl, auth: auth() });
    const started = await expectData(later.POST('/auth/transactions', { body, params: { header: { 'Idempotency-Key': error.idempotencyKey! } } }));
    expect(started.transactionId).toBe(`tx-${error.idempotencyKey}`);
    expect(executions.get(error.idempotencyKey!)).toBe(1);
    expect([...executions.values()].reduce((a, b) => a + b, 0)).toBe(1);
    answer = false;
  });

  it('an echoed access token does not reach the error', async () => {
    answer = true;
    const payments = createPaymentsClient({ baseUrl, auth: auth(), retry: false });
    const error = await expectData(payments.POST('/auth/transactions', { body, headers: { Prefer: 'echo' } })).catch((e: unknown) => e);
    answer = false;
    expect(isCarrierApiError(error)).toBe(true);
    expect(error).toMatchObject({ status: 400, requestId: 'req-7', message: 'startTransaction failed with HTTP 400 (BAD): you sent Bearer [REDACTED]' });
    expect(JSON.stringify(error)).not.toContain('access-secret-1');
  });

  it('middleware added with use() sees a real Request, and what it sets is sent', async () => {
    answer = true;
    const seen: unknown[] = [];
    const payments = createPaymentsClient({ baseUrl, auth: auth(), retry: false });
    payments.use({
      onRequest({ request }) {
        seen.push(request);
        request.headers.set('X-Trace', 'trace-1');
        return request;
      },
    });
    const started = await expectData(payments.POST('/auth/transactions', { body }));
    answer = false;
    expect(started.transactionId).toMatch(/^tx-/);
    expect(seen[0]).toBeInstanceOf(Request);
    expect(lastHeaders['x-trace']).toBe('trace-1');
  });
});

