import { afterEach, describe, expect, it } from 'vitest';
import {
  CarrierAbortError,
  CarrierNetworkError,
  CarrierParseError,
  CarrierTimeoutError,
  createCarrierFetch,
  errorFromResponse,
  isCarrierAbortError,
  isCarrierNetworkError,
  isCarrierParseError,
  isCarrierTimeoutError,
  type CarrierEvent,
  type CarrierFetchOptions,
  type RetryOptions,
} from '../src/index.js';
import { credentials, paymentsDefinition } from './fixtures.js';
import { sequence, startFaultServer, tokenBody, tokenPath, withGlobalDispatcher, type Dispatcher, type Fault, type RecordedRequest } from './fault-server.js';

// Timeouts here are what a test needs to be sure, not speed targets: a server that never answers
// against a 200 ms timeout, and assertions on the error's type and fields, never on durations.
let server: Awaited<ReturnType<typeof startFaultServer>>;
afterEach(() => server?.close());

const noWait: RetryOptions = { sleep: async () => {} };
const post = (headers: Record<string, string> = {}) => ({ method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: '{"serviceKey":"abc","price":"1.00"}' });
const apiRequests = () => server.requests.filter((request) => !request.path.startsWith(tokenPath));

async function start(routes: Record<string, (request: RecordedRequest) => Fault>, options: Partial<CarrierFetchOptions> = {}) {
  server = await startFaultServer({ [`POST ${tokenPath}`]: () => ({ status: 200, body: tokenBody('access-1') }), ...routes });
  return createCarrierFetch({ definition: paymentsDefinition(server.url), auth: credentials, retry: noWait, ...options });
}

describe('timeout (per attempt)', () => {
  const cases = [
    { what: 'a keyed payment is retried with the same key', path: '/auth/transactions', method: 'POST', attempts: 3, operationId: 'startTransaction', keyed: true },
    { what: 'a read is retried', path: '/auth/transactions/t-1', method: 'GET', attempts: 3, operationId: 'getTransaction', keyed: true },
    { what: 'a payment without a key is sent once', path: '/datagifting/v1/service/transaction', method: 'POST', attempts: 1, operationId: 'assignData', keyed: false },
  ];
  it.each(cases)('$what, then ends in CarrierTimeoutError', async ({ path, method, attempts, operationId, keyed }) => {
    const fetch = await start({ [`${method} ${path}`]: () => ({ hang: true }) }, { timeout: 200 });
    const error = await fetch(`${server.url}${path}`, method === 'POST' ? post() : {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CarrierTimeoutError);
    expect(error).toBeInstanceOf(CarrierNetworkError);
    expect(isCarrierTimeoutError(error) && isCarrierNetworkError(error)).toBe(true);
    expect(error).toMatchObject({ name: 'CarrierTimeoutError', operationId, attempts, limit: 'timeout', limitMs: 200 });
    const keys = apiRequests().map((request) => request.headers['idempotency-key']);
    expect(keys).toHaveLength(attempts);
    if (keyed) {
      expect((error as CarrierTimeoutError).idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
      expect(new Set(keys)).toEqual(new Set([(error as CarrierTimeoutError).idempotencyKey]));
    } else {
      expect((error as CarrierTimeoutError).idempotencyKey).toBeUndefined();
    }
  });

  it('a timed-out attempt followed by an answer succeeds, with one key on both attempts', async () => {
    // The answering attempt has a whole second: generous for a loopback answer on a busy machine.
    const fetch = await start({ 'POST /auth/transactions': sequence({ hang: true }, { status: 200, body: { transactionId: 't-1' } }) }, { timeout: 1_000 });
    const response = await fetch(`${server.url}/auth/transactions`, post());
    expect(response.status).toBe(200);
    const keys = apiRequests().map((request) => request.headers['idempotency-key']);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
  });
});

describe('timeout of 5 s or more: undici\'s own headers timeout, through the global dispatcher', () => {
  it('a hanging attempt times out and is retried with the same key; a dispatcher set with setGlobalDispatcher carries both', async () => {
    // A dispatcher of the caller's (a proxy, undici's MockAgent) is set in its place, as this recording one is.
    const seen: unknown[] = [];
    const recording = (original: Dispatcher): Dispatcher => ({ dispatch: (options, handler) => (seen.push(options.headersTimeout), original.dispatch(options, handler)) });
    await withGlobalDispatcher(recording, async () => {
      const events: CarrierEvent[] = [];
      const fetch = await start(
        { 'POST /auth/transactions': sequence({ hang: true }, { status: 200, body: { transactionId: 't-1' } }) },
        { timeout: 5_000, onEvent: (event) => events.push(event) },
      );
      const response = await fetch(`${server.url}/auth/transactions`, post());
      expect(response.status).toBe(200);
      const keys = apiRequests().map((request) => request.headers['idempotency-key']);
      expect(keys).toHaveLength(2);
      expect(keys[0]).toBe(keys[1]);
      expect(events.filter((event) => event.type === 'retry').map((event) => event.reason)).toEqual(['timeout']);
      // Both attempts of the call (the token request has the TokenManager's 10 s: its own timer).
      expect(seen.filter((timeout) => timeout === 5_000)).toHaveLength(2);
    });
  }, 30_000);

  it('the last timed-out attempt ends in CarrierTimeoutError with its key', async () => {
    const fetch = await start({ 'POST /auth/transactions': () => ({ hang: true }) }, { timeout: 5_000, retry: false });
    const error = await fetch(`${server.url}/auth/transactions`, post()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CarrierTimeoutError);
    expect(error).toMatchObject({ limit: 'timeout', limitMs: 5_000, attempts: 1, operationId: 'startTransaction', idempotencyKey: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  }, 30_000);
});

describe('deadline (whole call)', () => {
  it('ends the call in a CarrierTimeoutError whose limit is the deadline, not retried', async () => {
    // The deadline covers the token request too: 3 s leaves a busy machine time for that one.
    const fetch = await start({ 'POST /auth/transactions': () => ({ hang: true }) }, { timeout: 60_000, deadline: 3_000 });
    const error = await fetch(`${server.url}/auth/transactions`, post()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CarrierTimeoutError);
    expect(error).toMatchObject({ limit: 'deadline', limitMs: 3_000, operationId: 'startTransaction', attempts: 1, idempotencyKey: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });

  /** The outcome, provided it comes well before the TokenManager's own 10 s token timeout would end the wait. */
  const settlesBeforeTokenTimeout = (pending: Promise<unknown>) =>
    Promise.race([pending.catch((e: unknown) => e), new Promise((resolve) => setTimeout(() => resolve('still waiting for the token'), 8_000))]);

  // The token request is part of the call: a token endpoint that hangs does not hold the call
  // past its deadline, nor past the caller's abort (the TokenManager's own 10 s timeout is longer).
  it('ends at the deadline while the token endpoint hangs', async () => {
    server = await startFaultServer({ [`POST ${tokenPath}`]: () => ({ hang: true }) });
    const events: CarrierEvent[] = [];
    const fetch = createCarrierFetch({ definition: paymentsDefinition(server.url), auth: credentials, retry: noWait, deadline: 1_000, onEvent: (event) => events.push(event) });
    const error = await settlesBeforeTokenTimeout(fetch(`${server.url}/auth/transactions`, post()));
    expect(error).toBeInstanceOf(CarrierTimeoutError);
    expect(error).toMatchObject({ limit: 'deadline', limitMs: 1_000, attempts: 0, operationId: 'startTransaction', idempotencyKey: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(events).toEqual([expect.objectContaining({ type: 'error', reason: 'timeout', attempt: 0, error })]);
    expect(apiRequests()).toHaveLength(0);
  });

  it('ends at the caller\'s abort while the token endpoint hangs', async () => {
    server = await startFaultServer({ [`POST ${tokenPath}`]: () => ({ hang: true }) });
    const events: CarrierEvent[] = [];
    const fetch = createCarrierFetch({ definition: paymentsDefinition(server.url), auth: credentials, retry: noWait, onEvent: (event) => events.push(event) });
    const controller = new AbortController();
    const pending = fetch(`${server.url}/auth/transactions`, { ...post(), signal: controller.signal }).catch((e: unknown) => e);
    for (let wait = 0; wait < 3_000 && server.requests.length === 0; wait++) await new Promise((resolve) => setTimeout(resolve, 10)); // the token request is out
    controller.abort(new Error('user went away'));
    const error = await settlesBeforeTokenTimeout(pending);
    expect(error).toBeInstanceOf(CarrierAbortError);
    expect(error).toMatchObject({ attempts: 0, operationId: 'startTransaction', cause: { message: 'user went away' } });
    expect(events).toEqual([expect.objectContaining({ type: 'error', reason: 'aborted', attempt: 0, error })]);
    expect(apiRequests()).toHaveLength(0);
  });

  it('starts no retry whose wait would pass the deadline', async () => {
    const fetch = await start({ 'GET /auth/transactions/t-1': () => ({ status: 503, body: {}, headers: { 'Retry-After': '30' } }) }, { deadline: 5_000 });
    expect((await fetch(`${server.url}/auth/transactions/t-1`)).status).toBe(503);
    expect(apiRequests()).toHaveLength(1);
  });

  it.each([0, -1, Number.NaN])('refuses a timeout of %s', (timeout) => {
    expect(() => createCarrierFetch({ definition: paymentsDefinition('http://127.0.0.1:1'), auth: credentials, timeout })).toThrow(RangeError);
  });
});

describe("the caller's abort", () => {
  it('stops at once while an attempt is in flight: CarrierAbortError with the key, no retry', async () => {
    const controller = new AbortController();
    const fetch = await start({
      'POST /auth/transactions': () => {
        controller.abort(new Error('user went away'));
        return { hang: true };
      },
    });
    const error = await fetch(`${server.url}/auth/transactions`, { ...post(), signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CarrierAbortError);
    expect(isCarrierAbortError(error) && !isCarrierTimeoutError(error)).toBe(true);
    expect(error).toMatchObject({ operationId: 'startTransaction', attempts: 1, idempotencyKey: apiRequests()[0]!.headers['idempotency-key'] });
    expect((error as Error).cause).toMatchObject({ message: 'user went away' });
    expect(apiRequests()).toHaveLength(1);
  });

  it('stops during the wait before a retry', async () => {
    const controller = new AbortController();
    const fetch = await start(
      { 'GET /auth/transactions/t-1': () => ({ status: 503, body: {} }) },
      { retry: { sleep: async () => controller.abort(), maxAttempts: 5 } },
    );
    const error = await fetch(`${server.url}/auth/transactions/t-1`, { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CarrierAbortError);
    expect(apiRequests()).toHaveLength(1);
  });

  // The signal fired once the headers came (here from the response event): the call ends in the
  // abort, not in the body (read or not) nor in an unhandled rejection of its read.
  it.each([
    { path: 'Node\'s fetch', options: {} },
    { path: 'the attempt\'s own timer', options: { timeout: 1_000 } },
  ])('stops before reading the body ($path)', async ({ options }) => {
    const controller = new AbortController();
    const fetch = await start(
      { 'GET /auth/transactions/t-1': () => ({ status: 200, body: { transactionId: 't-1' } }) },
      { ...options, onEvent: (event) => event.type === 'response' && controller.abort(new Error('user went away')) },
    );
    const error = await fetch(`${server.url}/auth/transactions/t-1`, { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CarrierAbortError);
    expect(error).toMatchObject({ operationId: 'getTransaction', attempts: 1, cause: { message: 'user went away' } });
    await new Promise((resolve) => setTimeout(resolve, 50));
  });

  it('an already aborted signal sends nothing', async () => {
    const fetch = await start({ 'POST /auth/transactions': () => ({ status: 200, body: {} }) });
    const error = await fetch(`${server.url}/auth/transactions`, { ...post(), signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'CarrierAbortError', attempts: 0 });
    expect(apiRequests()).toHaveLength(0);
  });
});

describe('what an error that may have left a charge executed carries', () => {
  it('CarrierNetworkError after the last attempt has the idempotency key', async () => {
    const fetch = await start({ 'POST /auth/transactions': () => ({ drop: true }) });
    const error = await fetch(`${server.url}/auth/transactions`, post()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CarrierNetworkError);
    expect(error).not.toBeInstanceOf(CarrierTimeoutError);
    expect(error).toMatchObject({ operationId: 'startTransaction', attempts: 3, idempotencyKey: apiRequests()[0]!.headers['idempotency-key'] });
  });

  it("CarrierApiError has the server's request id", async () => {
    const fetch = await start({ 'POST /auth/transactions': () => ({ status: 400, body: { code: 'BAD', message: 'no' }, headers: { 'X-Request-Id': 'req-42' } }) });
    const error = await errorFromResponse(await fetch(`${server.url}/auth/transactions`, post()));
    expect(error).toMatchObject({ requestId: 'req-42', idempotencyKey: expect.any(String), attempts: 1 });
  });
});

describe('trying again later with the key from the error (the README recipe)', () => {
  it('executes the charge once on a server that counts executions per key', async () => {
    const executions = new Map<string, number>();
    let answered = false;
    const fetch = await start(
      {
        'POST /auth/transactions': (request) => {
          const key = request.headers['idempotency-key'] as string;
          if (!executions.has(key)) executions.set(key, 1); // executes, once per key
          // The first call's attempts all get lost on the way back; a later call is answered
          // with the outcome stored under its key.
          return answered ? { status: 200, body: { transactionId: `tx-for-${key}` } } : { hang: true };
        },
      },
      { timeout: 1_000, retry: { sleep: async () => {}, maxAttempts: 2 } },
    );
    const error = await fetch(`${server.url}/auth/transactions`, post()).catch((e: unknown) => e);
    expect(isCarrierTimeoutError(error)).toBe(true);
    const { idempotencyKey } = error as CarrierTimeoutError;
    expect(idempotencyKey).toBeDefined();

    answered = true;
    const later = await fetch(`${server.url}/auth/transactions`, post({ 'Idempotency-Key': idempotencyKey! }));
    expect(await later.json()).toEqual({ transactionId: `tx-for-${idempotencyKey}` });
    expect([...executions.values()].reduce((sum, count) => sum + count, 0)).toBe(1);
    expect(new Set(apiRequests().map((request) => request.headers['idempotency-key']))).toEqual(new Set([idempotencyKey]));
  });
});

describe('onEvent', () => {
  it('tells of each request, response and retry, with the key, the request id and redacted headers', async () => {
    const events: CarrierEvent[] = [];
    const fetch = await start(
      { 'POST /auth/transactions': sequence({ status: 503, body: {}, headers: { 'X-Request-Id': 'req-1' } }, { status: 200, body: {}, headers: { 'X-Request-Id': 'req-2' } }) },
      { onEvent: (event) => events.push(event) },
    );
    await fetch(`${server.url}/auth/transactions?msisdn=38164`, post());
    expect(events.map((event) => event.type)).toEqual(['request', 'response', 'retry', 'request', 'response']);
    const key = apiRequests()[0]!.headers['idempotency-key'];
    for (const event of events) {
      expect(event).toMatchObject({ method: 'POST', operationId: 'startTransaction', url: `${server.url}/auth/transactions`, idempotencyKey: key });
      expect(event.durationMs).toBeGreaterThanOrEqual(0);
    }
    expect(events.map((event) => event.attempt)).toEqual([1, 1, 1, 2, 2]);
    expect(events[1]).toMatchObject({ status: 503, requestId: 'req-1' });
    expect(events[2]).toMatchObject({ status: 503, reason: 'HTTP 503', delayMs: expect.any(Number) });
    expect(events[4]).toMatchObject({ status: 200, requestId: 'req-2' });
    expect(events[0]!.headers).toMatchObject({ authorization: '[REDACTED]', 'idempotency-key': key });
    expect(JSON.stringify(events)).not.toContain('access-1');
  });

  it('an observer that throws does not break the call', async () => {
    const fetch = await start({ 'GET /auth/transactions/t-1': () => ({ status: 200, body: {} }) }, {
      onEvent: () => {
        throw new Error('logger down');
      },
    });
    expect((await fetch(`${server.url}/auth/transactions/t-1`)).status).toBe(200);
  });

  it('tells of the error a call ends with', async () => {
    const events: CarrierEvent[] = [];
    const fetch = await start({ 'POST /datagifting/v1/service/transaction': () => ({ drop: true }) }, { onEvent: (event) => events.push(event) });
    await fetch(`${server.url}/datagifting/v1/service/transaction`, post()).catch(() => undefined);
    expect(events.at(-1)).toMatchObject({ type: 'error', reason: 'network error', attempt: 1, error: { name: 'CarrierNetworkError' } });
  });
});

describe('input the carrier fetch refuses before sending', () => {
  it('a URL that is not absolute is a CarrierValidationError, not a bare TypeError', async () => {
    const fetch = createCarrierFetch({ definition: paymentsDefinition('http://127.0.0.1:1'), auth: credentials });
    await expect(fetch('/auth/transactions', post())).rejects.toMatchObject({ name: 'CarrierValidationError', field: 'url' });
  });
});

describe('throwOnHttpError (the SDKs)', () => {
  it('rejects with the CarrierApiError of a final error status, after the retries', async () => {
    const fetch = await start(
      { 'POST /auth/transactions': sequence({ status: 503, body: {} }, { status: 400, body: { code: 'INVALID', message: 'bad price' }, headers: { 'X-Request-Id': 'r-9' } }) },
      { throwOnHttpError: true },
    );
    const error = await fetch(`${server.url}/auth/transactions`, post()).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'CarrierApiError', status: 400, code: 'INVALID', attempts: 2, requestId: 'r-9', operationId: 'startTransaction' });
    await server.close();
    const ok = await start({ 'GET /auth/transactions/t-1': () => ({ status: 200, body: { transactionId: 't-1' } }) }, { throwOnHttpError: true });
    expect((await ok(`${server.url}/auth/transactions/t-1`)).status).toBe(200);
  });
});

describe('a body that is not JSON', () => {
  it('the fetch rejects with a CarrierParseError carrying status, content type, a redacted excerpt and the key, not a bare SyntaxError', async () => {
    server = await startFaultServer({ [`POST ${tokenPath}`]: () => ({ status: 200, body: tokenBody('access-1') }) });
    const fetch = createCarrierFetch({
      definition: paymentsDefinition(server.url),
      auth: { accessToken: 'access-1' },
      fetch: async () => new Response('<html>502 Bad Gateway from access-1</html>', { status: 200, headers: { 'X-Request-Id': 'gw-1', 'Content-Type': 'text/html' } }),
    });
    const error = await fetch(`${server.url}/auth/transactions`, post()).catch((e: unknown) => e);
    expect(isCarrierParseError(error)).toBe(true);
    expect(error).toBeInstanceOf(CarrierParseError);
    expect(error).toMatchObject({ name: 'CarrierParseError', status: 200, reason: 'not-json', contentType: 'text/html', operationId: 'startTransaction', requestId: 'gw-1', idempotencyKey: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect((error as Error & { text: string }).text).toBe('<html>502 Bad Gateway from [REDACTED]</html>');
  });
});
