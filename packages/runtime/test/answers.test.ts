import { describe, expect, it } from 'vitest';
import {
  CarrierAbortError,
  CarrierParseError,
  CarrierResponseValidationError,
  CarrierTimeoutError,
  CarrierValidationError,
  createCarrierFetch,
  normalizeBaseUrl,
  type ApiDefinition,
  type ResponseValidator,
} from '../src/index.js';

const origin = 'https://api.example.test';
const secret = 'sk-live-0123456789abcdef';

/** An API with a body operation, a form operation on a server of its own and a 204-documented one. */
function definition(): ApiDefinition {
  return {
    name: 'answers',
    defaultBaseUrl: origin,
    auth: { type: 'apiKey', header: 'X-API-Key' },
    operations: [
      { operationId: 'createToken', method: 'POST', path: '/oauth/token', authenticated: false, idempotencyKey: false, requestMediaType: 'application/x-www-form-urlencoded', serverUrl: 'https://auth.example.test/realm/' },
      { operationId: 'pay', method: 'POST', path: '/payments', authenticated: true, idempotencyKey: true, requestMediaType: 'application/json', responseSchemas: { '200': '#/components/schemas/Payment' } },
      { operationId: 'cancel', method: 'POST', path: '/payments/{id}/cancel', authenticated: true, idempotencyKey: false, emptySuccess: [204] },
    ],
  };
}

/** A carrier fetch whose every request is answered by `answer`; the requests are recorded. */
function fetchAnswering(answer: () => Response | Promise<Response>, options: Record<string, unknown> = {}) {
  const requests: Request[] = [];
  const fetch = createCarrierFetch({
    definition: definition(),
    auth: { apiKey: secret },
    retry: false,
    fetch: async (input: Request | string | URL, init?: RequestInit) => {
      requests.push(new Request(input, init));
      return answer();
    },
    ...options,
  });
  return { fetch, requests };
}

const post = (body?: string): RequestInit => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, ...(body === undefined ? {} : { body }) });

describe('an answer that cannot be the documented data', () => {
  it('an empty 2xx where the spec documents a body is a CarrierParseError (empty), with status, content type and the key', async () => {
    const { fetch } = fetchAnswering(() => new Response(null, { status: 200, headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'r-1' } }));
    const error = await fetch(`${origin}/payments`, post('{}')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CarrierParseError);
    expect(error).toMatchObject({ reason: 'empty', status: 200, contentType: 'application/json', operationId: 'pay', requestId: 'r-1', idempotencyKey: expect.stringMatching(/^[0-9a-f-]{36}$/), attempts: 1 });
  });

  it('an empty 204 where the spec documents one is an answer without a body, read as no data', async () => {
    const { fetch } = fetchAnswering(() => new Response(null, { status: 204 }));
    const response = await fetch(`${origin}/payments/p-1/cancel`, post());
    expect(response.status).toBe(204);
    await expect(response.json()).resolves.toBeUndefined();
  });

  it('a body that is not JSON keeps a bounded excerpt, the secret masked even across the cut', async () => {
    const page = `<html>${'a'.repeat(489)}${secret}${'b'.repeat(2000)}</html>`;
    const { fetch } = fetchAnswering(() => new Response(page, { status: 200, headers: { 'Content-Type': 'text/html' } }));
    const error = (await fetch(`${origin}/payments`, post('{}')).catch((e: unknown) => e)) as CarrierParseError;
    expect(error).toMatchObject({ reason: 'not-json', contentType: 'text/html' });
    expect(error.text.length).toBe(500);
    expect(error.text).not.toContain(secret.slice(0, 5));
    expect(error.text.endsWith('[REDA')).toBe(true);
  });

  it('JSON labelled text/plain is data: the body decides, not the label', async () => {
    const { fetch } = fetchAnswering(() => new Response('{"id":"p-1"}', { status: 200, headers: { 'Content-Type': 'text/plain' } }));
    const response = await fetch(`${origin}/payments`, post('{}'));
    await expect(response.json()).resolves.toEqual({ id: 'p-1' });
  });

  it('a body beyond maxResponseBytes is a CarrierParseError (too-large), announced or streamed', async () => {
    const big = JSON.stringify({ filler: 'x'.repeat(4096) });
    const announced = fetchAnswering(() => new Response(big, { status: 200, headers: { 'Content-Length': String(big.length) } }), { maxResponseBytes: 1024 });
    await expect(announced.fetch(`${origin}/payments`, post('{}'))).rejects.toMatchObject({ name: 'CarrierParseError', reason: 'too-large' });
    const streamed = fetchAnswering(() => new Response(new Blob([big]).stream(), { status: 200 }), { maxResponseBytes: 1024 });
    await expect(streamed.fetch(`${origin}/payments`, post('{}'))).rejects.toMatchObject({ name: 'CarrierParseError', reason: 'too-large' });
    expect(() => createCarrierFetch({ definition: definition(), auth: { apiKey: secret }, maxResponseBytes: 0 })).toThrow(RangeError);
  });

  it('a body the connection cuts off is a CarrierParseError (interrupted) with what came', async () => {
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls += 1;
        if (pulls === 1) controller.enqueue(new TextEncoder().encode('{"id":"p-'));
        else controller.error(new TypeError('terminated'));
      },
    });
    const { fetch } = fetchAnswering(() => new Response(body, { status: 200 }));
    await expect(fetch(`${origin}/payments`, post('{}'))).rejects.toMatchObject({ name: 'CarrierParseError', reason: 'interrupted', text: '{"id":"p-' });
  });

  it('a body that never ends stops at the deadline (CarrierTimeoutError) and at the caller abort (CarrierAbortError)', async () => {
    const endless = () => new Response(new ReadableStream<Uint8Array>({ start: (controller) => controller.enqueue(new TextEncoder().encode('{')) }), { status: 200 });
    const timed = fetchAnswering(endless, { deadline: 200 });
    await expect(timed.fetch(`${origin}/payments`, post('{}'))).rejects.toBeInstanceOf(CarrierTimeoutError);
    const controller = new AbortController();
    const aborted = fetchAnswering(() => {
      setTimeout(() => controller.abort(new Error('user left')), 50);
      return new Response(new ReadableStream<Uint8Array>({ start: (stream) => controller.signal.addEventListener('abort', () => stream.error(controller.signal.reason)) }), { status: 200 });
    }, { deadline: false });
    await expect(aborted.fetch(`${origin}/payments`, { ...post('{}'), signal: controller.signal })).rejects.toBeInstanceOf(CarrierAbortError);
  });

  it('an error status keeps its body for the CarrierApiError, whatever it is', async () => {
    const { fetch } = fetchAnswering(() => new Response('<html>down</html>', { status: 503, headers: { 'Content-Type': 'text/html' } }), { throwOnHttpError: true });
    await expect(fetch(`${origin}/payments`, post('{}'))).rejects.toMatchObject({ name: 'CarrierApiError', status: 503, body: '<html>down</html>' });
  });
});

describe('validateResponses', () => {
  const validator: ResponseValidator = ({ schema, body }) =>
    schema === '#/components/schemas/Payment' && (typeof body !== 'object' || body === null || !('id' in body)) ? [{ instancePath: '/', rule: 'required', message: "must have required property 'id'" }] : [];

  it('off by default: an off-schema 2xx is returned as the server sent it', async () => {
    const { fetch } = fetchAnswering(() => new Response('{"unexpected":true}', { status: 200 }));
    await expect((await fetch(`${origin}/payments`, post('{}'))).json()).resolves.toEqual({ unexpected: true });
  });

  it('on: an off-schema 2xx is a CarrierResponseValidationError naming field and rule; a conforming one is data', async () => {
    const bad = fetchAnswering(() => new Response('{"unexpected":true}', { status: 200 }), { validateResponses: validator });
    const error = await bad.fetch(`${origin}/payments`, post('{}')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CarrierResponseValidationError);
    expect(error).toBeInstanceOf(CarrierParseError);
    expect(error).toMatchObject({ reason: 'schema', issues: [{ instancePath: '/', rule: 'required' }], operationId: 'pay' });
    expect((error as Error).message).toContain('#/components/schemas/Payment');
    const good = fetchAnswering(() => new Response('{"id":"p-1"}', { status: 200 }), { validateResponses: validator });
    await expect((await good.fetch(`${origin}/payments`, post('{}'))).json()).resolves.toEqual({ id: 'p-1' });
  });
});

describe('requests as the spec declares them', () => {
  it('a JSON body of a form operation is sent as the form the spec declares', async () => {
    const { fetch, requests } = fetchAnswering(() => new Response('{"access_token":"t"}', { status: 200 }), { baseUrl: origin });
    await fetch(`${origin}/oauth/token`, post(JSON.stringify({ client_id: 'app', grant_type: 'password', scope: ['a', 'b'], skipped: null })));
    expect(requests[0]!.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(await requests[0]!.text()).toBe('client_id=app&grant_type=password&scope=a&scope=b');
  });

  it('without a base URL of the caller, an operation with its own server goes there; with one, everything goes under it', async () => {
    const bySpec = fetchAnswering(() => new Response('{"access_token":"t"}', { status: 200 }));
    await bySpec.fetch(`${origin}/oauth/token`, post('{}'));
    await bySpec.fetch(`${origin}/payments`, post('{}'));
    expect(bySpec.requests.map((request) => request.url)).toEqual(['https://auth.example.test/realm/oauth/token', `${origin}/payments`]);
    const byCaller = fetchAnswering(() => new Response('{"access_token":"t"}', { status: 200 }), { baseUrl: 'http://127.0.0.1:9/gw/' });
    await byCaller.fetch('http://127.0.0.1:9/gw/oauth/token', post('{}'));
    expect(byCaller.requests[0]!.url).toBe('http://127.0.0.1:9/gw/oauth/token');
  });

  it('normalizeBaseUrl drops trailing slashes and refuses what is not an absolute http(s) URL, naming field and rule', () => {
    expect(normalizeBaseUrl('https://gateway.example/centili/')).toBe('https://gateway.example/centili');
    expect(normalizeBaseUrl('http://127.0.0.1:8080//')).toBe('http://127.0.0.1:8080');
    for (const bad of ['gateway.example/centili', 'ftp://gateway.example', 'https://gateway.example/?tenant=1', 'https://gateway.example/#x']) {
      expect(() => normalizeBaseUrl(bad)).toThrow(CarrierValidationError);
      expect(() => normalizeBaseUrl(bad)).toThrow(expect.objectContaining({ field: 'baseUrl', rule: expect.stringContaining('absolute') }));
    }
  });
});
