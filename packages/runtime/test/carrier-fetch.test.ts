import { afterEach, describe, expect, it } from 'vitest';
import {
  CarrierApiError,
  CarrierNetworkError,
  CarrierValidationError,
  createCarrierFetch,
  errorFromResponse,
  getRequestContext,
  type RetryOptions,
} from '../src/index.js';
import { credentials, mtnDefinition, paymentsDefinition } from './fixtures.js';
import { sequence, startFaultServer, tokenBody, tokenPath, type Fault, type RecordedRequest } from './fault-server.js';

let server: Awaited<ReturnType<typeof startFaultServer>>;
afterEach(() => server?.close());

const sleeps: number[] = [];
/** Real retries, without real waiting: the waits asked for are recorded. */
const fastRetry = (extra: RetryOptions = {}): RetryOptions => ({
  sleep: async (ms) => {
    sleeps.push(ms);
  },
  ...extra,
});

async function paymentsFetch(routes: Record<string, (request: RecordedRequest) => Fault>, retry: RetryOptions | false = fastRetry()) {
  sleeps.length = 0;
  server = await startFaultServer({ [`POST ${tokenPath}`]: () => ({ status: 200, body: tokenBody('access-1') }), ...routes });
  return createCarrierFetch({ definition: paymentsDefinition(server.url), auth: credentials, retry });
}

const ok = (body: unknown = { transactionId: 't-1' }): Fault => ({ status: 200, body });
const post = (body: unknown = { serviceKey: 'abc' }) => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const apiRequests = () => server.requests.filter((request) => !request.path.startsWith(tokenPath));

describe('credentials', () => {
  it('sends the OAuth2 bearer token, obtained once', async () => {
    const fetch = await paymentsFetch({ 'GET /auth/transactions/t-1': () => ok() });
    await fetch(`${server.url}/auth/transactions/t-1`);
    await fetch(`${server.url}/auth/transactions/t-1`);
    expect(apiRequests().map((request) => request.headers.authorization)).toEqual(['Bearer access-1', 'Bearer access-1']);
    expect(server.count('POST', tokenPath)).toBe(1);
  });

  it('on a 401 renews the token once and sends once more, even without an idempotency key', async () => {
    let tokens = 0;
    sleeps.length = 0;
    server = await startFaultServer({
      [`POST ${tokenPath}`]: () => ({ status: 200, body: tokenBody(`access-${++tokens}`) }),
      'POST /datagifting/v1/service/transaction': (request: RecordedRequest) =>
        request.headers.authorization === 'Bearer access-2' ? ok() : { status: 401, body: { code: 'UNAUTHORIZED', message: 'Invalid credentials' } },
    });
    const fetch = createCarrierFetch({ definition: paymentsDefinition(server.url), auth: credentials });
    const response = await fetch(`${server.url}/datagifting/v1/service/transaction`, post());
    expect(response.status).toBe(200);
    expect(server.count('POST', '/datagifting/v1/service/transaction')).toBe(2);
    expect(server.count('POST', tokenPath)).toBe(2);
  });

  it('gives up after one renewal: a second 401 is returned, not looped on', async () => {
    const fetch = await paymentsFetch({ 'GET /auth/transactions/t-1': () => ({ status: 401, body: { code: 'UNAUTHORIZED', message: 'Invalid credentials' } }) });
    const response = await fetch(`${server.url}/auth/transactions/t-1`);
    expect(response.status).toBe(401);
    expect(apiRequests()).toHaveLength(2);
  });

  it('sends the MTN API key and a valid transactionId request reference', async () => {
    server = await startFaultServer({ 'POST /v1/datagifting/customers/2349062058464/dataGifting': () => ok() });
    const fetch = createCarrierFetch({ definition: mtnDefinition(server.url), auth: { apiKey: 'mtn-key-123' } });
    await fetch(`${server.url}/v1/datagifting/customers/2349062058464/dataGifting?nodeid=n1`, post());
    await fetch(`${server.url}/v1/datagifting/customers/2349062058464/dataGifting?nodeid=n1`, { ...post(), headers: { transactionId: 'my-ref-0001' } });
    const [first, second] = server.requests;
    expect(first!.headers['x-api-key']).toBe('mtn-key-123');
    expect(first!.headers.transactionid).toMatch(/^[A-Za-z0-9+/=-]{5,20}$/);
    expect(second!.headers.transactionid).toBe('my-ref-0001');
  });

  it('refuses an invalid transactionId before sending, naming the field and the rule', async () => {
    server = await startFaultServer({});
    const fetch = createCarrierFetch({ definition: mtnDefinition(server.url), auth: { apiKey: 'mtn-key-123' } });
    const error = await fetch(`${server.url}/v1/datagifting/customers/234/dataGifting?nodeid=n`, { ...post(), headers: { transactionId: 'bad id!' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CarrierValidationError);
    expect(error).toMatchObject({ field: 'transactionId', rule: 'pattern ^[A-Za-z0-9+/=-]{5,20}$' });
    expect(server.requests).toHaveLength(0);
  });

  it('refuses credentials of the wrong kind, naming the field', () => {
    expect(() => createCarrierFetch({ definition: mtnDefinition('http://127.0.0.1:1'), auth: credentials })).toThrow(/auth\.apiKey/);
    expect(() => createCarrierFetch({ definition: paymentsDefinition('http://127.0.0.1:1'), auth: { apiKey: 'k' } })).toThrow(CarrierValidationError);
  });
});

describe('idempotency keys', () => {
  it('adds a fresh UUID to operations that declare Idempotency-Key, and keeps the caller’s', async () => {
    const fetch = await paymentsFetch({ 'POST /auth/transactions': () => ok() });
    await fetch(`${server.url}/auth/transactions`, post());
    await fetch(`${server.url}/auth/transactions`, post());
    await fetch(`${server.url}/auth/transactions`, { ...post(), headers: { 'Idempotency-Key': 'caller-key-1' } });
    const keys = apiRequests().map((request) => request.headers['idempotency-key']);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[0]).not.toBe(keys[1]);
    expect(keys[2]).toBe('caller-key-1');
  });

  it('treats an empty key as no key', async () => {
    const fetch = await paymentsFetch({ 'POST /auth/transactions': () => ok() });
    await fetch(`${server.url}/auth/transactions`, { ...post(), headers: { 'Idempotency-Key': '' } });
    expect(apiRequests()[0]!.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('does not add one where the spec declares none', async () => {
    const fetch = await paymentsFetch({ 'POST /datagifting/v1/service/transaction': () => ok() });
    await fetch(`${server.url}/datagifting/v1/service/transaction`, post());
    expect(apiRequests()[0]!.headers['idempotency-key']).toBeUndefined();
  });
});

describe('retries', () => {
  it('retries a keyed payment on 500 and 409 with the same key and the same body', async () => {
    const fetch = await paymentsFetch({
      'POST /auth/transactions': sequence({ status: 500, body: { code: 'E', message: 'Request can not be processed at current time' } }, { status: 409, body: { code: 'CONFLICT', message: 'executing' } }, ok()),
    });
    const response = await fetch(`${server.url}/auth/transactions`, post({ serviceKey: 'abc', price: '1.00' }));
    expect(response.status).toBe(200);
    const attempts = apiRequests();
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((request) => request.headers['idempotency-key'])).size).toBe(1);
    expect(new Set(attempts.map((request) => request.body))).toEqual(new Set(['{"serviceKey":"abc","price":"1.00"}']));
    expect(getRequestContext(response)).toMatchObject({ operationId: 'startTransaction', attempts: 3 });
  });

  it('retries a keyed payment whose connection dropped', async () => {
    const fetch = await paymentsFetch({ 'POST /auth/transactions': sequence({ drop: true }, ok()) });
    expect((await fetch(`${server.url}/auth/transactions`, post())).status).toBe(200);
    expect(apiRequests()).toHaveLength(2);
  });

  it('never sends a payment without an idempotency key twice: not on 500, not on a dropped connection', async () => {
    const fetch = await paymentsFetch({
      'POST /datagifting/v1/service/transaction': sequence({ status: 500, body: { code: 'E', message: 'later' } }, { drop: true }),
    });
    expect((await fetch(`${server.url}/datagifting/v1/service/transaction`, post())).status).toBe(500);
    const error = await fetch(`${server.url}/datagifting/v1/service/transaction`, post()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CarrierNetworkError);
    expect(error).toMatchObject({ operationId: 'assignData', attempts: 1 });
    expect(apiRequests()).toHaveLength(2);
  });

  it('retries GETs on network errors and 5xx', async () => {
    const fetch = await paymentsFetch({ 'GET /datagifting/v1/services/balance': sequence({ drop: true }, { status: 503, body: {} }, ok([])) });
    expect((await fetch(`${server.url}/datagifting/v1/services/balance?serviceKey=a&operator=b`)).status).toBe(200);
    expect(apiRequests()).toHaveLength(3);
  });

  it.each([400, 404, 429, 501])('never retries a %i', async (status) => {
    const fetch = await paymentsFetch({ 'POST /auth/transactions/t-1/pin': () => ({ status, body: { code: 'X', message: 'final' } }) }, fastRetry({ retryOnStatuses: [status, 500] }));
    expect((await fetch(`${server.url}/auth/transactions/t-1/pin`, post({ pin: '1' }))).status).toBe(status);
    expect(apiRequests()).toHaveLength(1);
  });

  it('stops after maxAttempts and returns the last answer', async () => {
    const fetch = await paymentsFetch({ 'GET /auth/transactions/t-1': () => ({ status: 500, body: { code: 'E', message: 'down' } }) }, fastRetry({ maxAttempts: 4 }));
    const response = await fetch(`${server.url}/auth/transactions/t-1`);
    expect(response.status).toBe(500);
    expect(apiRequests()).toHaveLength(4);
    expect(sleeps).toHaveLength(3);
  });

  it('backs off exponentially with jitter, capped', async () => {
    const fetch = await paymentsFetch(
      { 'GET /auth/transactions/t-1': () => ({ status: 500, body: {} }) },
      fastRetry({ maxAttempts: 5, initialDelayMs: 100, maxDelayMs: 500, random: () => 1 }),
    );
    await fetch(`${server.url}/auth/transactions/t-1`);
    expect(sleeps).toEqual([100, 200, 400, 500]);
  });

  it('honours Retry-After', async () => {
    const fetch = await paymentsFetch({ 'GET /auth/transactions/t-1': sequence({ status: 503, body: {}, headers: { 'Retry-After': '2' } }, ok()) });
    await fetch(`${server.url}/auth/transactions/t-1`);
    expect(sleeps).toEqual([2000]);
  });

  it('does not start a retry past maxElapsedMs', async () => {
    const fetch = await paymentsFetch(
      { 'GET /auth/transactions/t-1': () => ({ status: 503, body: {}, headers: { 'Retry-After': '30' } }) },
      fastRetry({ maxElapsedMs: 10_000 }),
    );
    expect((await fetch(`${server.url}/auth/transactions/t-1`)).status).toBe(503);
    expect(apiRequests()).toHaveLength(1);
  });

  it('waits for real between attempts by default, and a slow answer is not retried by a timeout of ours', async () => {
    const fetch = await paymentsFetch(
      { 'GET /auth/transactions/t-1': sequence({ status: 500, body: {} }, { status: 200, body: { transactionId: 't-1' }, delayMs: 300 }) },
      { initialDelayMs: 50, random: () => 1 },
    );
    const started = Date.now();
    const response = await fetch(`${server.url}/auth/transactions/t-1`);
    expect(await response.json()).toEqual({ transactionId: 't-1' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(340);
    expect(apiRequests()).toHaveLength(2);
  });

  it('stops when the caller aborts, without retrying', async () => {
    const fetch = await paymentsFetch({ 'GET /auth/transactions/t-1': () => ({ status: 200, body: {}, delayMs: 2_000 }) });
    const error = await fetch(`${server.url}/auth/transactions/t-1`, { signal: AbortSignal.timeout(100) }).catch((e: unknown) => e);
    expect((error as Error).name).toMatch(/TimeoutError|AbortError/);
    expect(apiRequests()).toHaveLength(1);
  });

  it('with retry: false sends once', async () => {
    const fetch = await paymentsFetch({ 'GET /auth/transactions/t-1': () => ({ status: 500, body: {} }) }, false);
    await fetch(`${server.url}/auth/transactions/t-1`);
    expect(apiRequests()).toHaveLength(1);
  });
});

describe('errors', () => {
  it('carry status, vendor code, operationId and keys, and never a secret', async () => {
    const fetch = await paymentsFetch({
      'POST /auth/transactions/t-1/pin': () => ({ status: 400, body: { code: 'INVALID_PIN', message: 'Invalid PIN sent, request can be retried' } }),
    });
    const response = await fetch(`${server.url}/auth/transactions/t-1/pin?msisdn=38164`, post({ pin: '0000' }));
    const error = await errorFromResponse(response);
    expect(error).toBeInstanceOf(CarrierApiError);
    expect(error).toMatchObject({ status: 400, code: 'INVALID_PIN', operationId: 'submitPin', attempts: 1, body: { code: 'INVALID_PIN' } });
    expect(error.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(error.message).toBe('submitPin failed with HTTP 400 (INVALID_PIN): Invalid PIN sent, request can be retried');
    const everything = JSON.stringify({ ...error, message: error.message, stack: error.stack });
    for (const secret of [credentials.password, 'access-1', 'refresh-of-access-1', '38164']) expect(everything).not.toContain(secret);
  });
});
