import { describe, expect, it } from 'vitest';
import createClient, { createFinalURL, createQuerySerializer, defaultPathSerializer } from 'openapi-fetch';
import { createLightRequests } from '../src/index.js';

// A light client's plain calls skip openapi-fetch's request plumbing (createLightRequests'
// `direct`). Each row is sent through openapi-fetch itself and through the direct path; both
// must send the same request and resolve with the same result.

const baseUrl = 'http://127.0.0.1:9/api';

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

type Answer = () => Response;
/** The calls of an openapi-fetch client, untyped: the rows use paths of no spec. */
type LooseClient = Record<'GET' | 'POST' | 'HEAD', (path: string, init?: Record<string, unknown>) => Promise<unknown>> & {
  request: (method: string, path: string, init?: Record<string, unknown>) => Promise<unknown>;
  use: (...middleware: object[]) => void;
};
const json = (status: number, body: unknown, headers: Record<string, string> = {}) => () =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const chunked = (status: number, text: string) => () =>
  new Response(new Blob([text]).stream(), { status, headers: { 'content-type': 'application/json' } });

async function sentOf(input: Request | string, init?: RequestInit): Promise<Sent> {
  const request = typeof input === 'string' ? new Request(input, init) : input;
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => (headers[name] = value));
  const body = request.body ? await request.text() : undefined;
  return { url: request.url, method: request.method, headers, body };
}

/** Sends `call` through openapi-fetch and through the direct path, each answered by `answer`. */
async function both(call: (client: LooseClient) => Promise<unknown>, answer: Answer) {
  const viaOpenapiFetch: Sent[] = [];
  const reference = createClient({
    baseUrl,
    fetch: async (request: Request) => {
      viaOpenapiFetch.push(await sentOf(request));
      return answer();
    },
  });
  const viaDirect: Sent[] = [];
  const light = createLightRequests();
  const querySerializer = createQuerySerializer();
  const direct = light.adopt(createClient({ baseUrl, Request: light.Request, fetch: () => Promise.reject(new Error('openapi-fetch was used')) }), {
    finalUrl: (schemaPath, params) => createFinalURL(schemaPath, { baseUrl, params: params as never, querySerializer, pathSerializer: defaultPathSerializer }),
    fetch: async (url, init) => {
      viaDirect.push(await sentOf(url, init));
      return answer();
    },
  });
  const expected = await call(reference as unknown as LooseClient);
  const actual = await call(direct as unknown as LooseClient);
  return { expected, actual, viaOpenapiFetch, viaDirect };
}

const withoutResponse = (result: unknown) => {
  const { response, ...rest } = result as { response: Response };
  return { ...rest, status: response.status };
};

type Row = { what: string; call: (client: LooseClient) => Promise<unknown>; answer: Answer };
const rows: Row[] = [
  { what: 'GET with query', call: (c) => c.GET('/items', { params: { query: { country: 'es', page: 2 } } }), answer: json(200, [{ id: 1 }]) },
  { what: 'GET with an array and an empty query value', call: (c) => c.GET('/items', { params: { query: { ids: [1, 2], q: '' } } }), answer: json(200, []) },
  { what: 'GET with a path parameter to encode', call: (c) => c.GET('/items/{id}', { params: { path: { id: 'a b/ç' } } }), answer: json(200, { id: 'a b/ç' }) },
  { what: 'POST JSON body', call: (c) => c.POST('/items', { body: { name: 'x', n: 1 } }), answer: json(201, { ok: true }) },
  { what: 'POST with header params and headers', call: (c) => c.POST('/items', { body: {}, params: { header: { 'Idempotency-Key': 'k-1' } }, headers: { 'X-Trace': 't' } }), answer: json(200, {}) },
  { what: 'headers: null removes, an array repeats', call: (c) => c.GET('/items', { headers: { 'X-Gone': null, 'X-Many': ['a', 'b'] } }), answer: json(200, {}) },
  { what: 'a Content-Type of the caller wins', call: (c) => c.POST('/items', { body: { a: 1 }, headers: { 'Content-Type': 'application/vnd.api+json' } }), answer: json(200, {}) },
  { what: 'a form Content-Type sends the body as a form', call: (c) => c.POST('/token', { body: { grant_type: 'password', username: 'u' }, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }), answer: json(200, { access_token: 't' }) },
  { what: 'request() with a lower-case method', call: (c) => c.request('post', '/items', { body: { a: 1 } }), answer: json(200, {}) },
  { what: '200 chunked JSON', call: (c) => c.GET('/items'), answer: chunked(200, '{"a":[1,2]}') },
  { what: '200 chunked and empty', call: (c) => c.GET('/items'), answer: chunked(200, '') },
  { what: '204', call: (c) => c.POST('/items', { body: {} }), answer: () => new Response(null, { status: 204 }) },
  { what: '200 with Content-Length: 0', call: (c) => c.GET('/items'), answer: () => new Response('', { status: 200, headers: { 'content-length': '0' } }) },
  { what: '404 JSON error', call: (c) => c.GET('/items/{id}', { params: { path: { id: 'x' } } }), answer: json(404, { code: 'NOT_FOUND' }) },
  { what: '500 text error', call: (c) => c.GET('/items'), answer: () => new Response('<html>down</html>', { status: 500 }) },
  { what: '400 empty error', call: (c) => c.GET('/items'), answer: () => new Response(null, { status: 400, headers: { 'content-length': '0' } }) },
  { what: 'HEAD', call: (c) => c.HEAD('/items'), answer: () => new Response(null, { status: 200 }) },
];

describe('a light client plain call sends and resolves as openapi-fetch does', () => {
  it.each(rows)('$what', async ({ call, answer }) => {
    const { expected, actual, viaOpenapiFetch, viaDirect } = await both(call, answer);
    expect(viaDirect).toEqual(viaOpenapiFetch);
    expect(withoutResponse(actual)).toEqual(withoutResponse(expected));
  });

  it('a call with options of its own (parseAs, middleware, fetch) goes through openapi-fetch', async () => {
    const light = createLightRequests();
    let direct = 0;
    let viaOpenapiFetch = 0;
    const client = light.adopt(
      createClient({ baseUrl, Request: light.Request, fetch: async () => (viaOpenapiFetch++, new Response('{}', { status: 200 })) }),
      { finalUrl: (schemaPath) => `${baseUrl}${schemaPath}`, fetch: async () => (direct++, new Response('{}', { status: 200 })) },
    ) as unknown as LooseClient;
    await client.GET('/a', { parseAs: 'text' });
    await client.GET('/a', { middleware: [{ onRequest: () => undefined }] });
    await client.GET('/a', { cache: 'no-store' });
    expect([direct, viaOpenapiFetch]).toEqual([0, 3]);
    await client.GET('/a', { params: {} });
    expect(direct).toBe(1);
    client.use({ onRequest: () => undefined });
    await client.GET('/a');
    expect([direct, viaOpenapiFetch]).toEqual([1, 4]);
  });
});
