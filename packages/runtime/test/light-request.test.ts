import { describe, expect, it } from 'vitest';
import { createLightRequests, isLightRequest } from '../src/index.js';

/** The part of an openapi-fetch client createLightRequests touches: it builds a Request per call, synchronously. */
function fakeClient(RequestClass: typeof Request) {
  const built: unknown[] = [];
  const middlewares: unknown[] = [];
  const call = (method: string) => (url: string, init?: { middleware?: unknown[]; fetch?: unknown }) => {
    built.push(new RequestClass(`http://127.0.0.1${url}`, { method, headers: new Headers({ 'X-A': '1' }) }));
    void init;
    return Promise.resolve(built.at(-1));
  };
  return {
    built,
    client: {
      GET: call('GET'),
      POST: call('POST'),
      request: (method: string, url: string, init?: { middleware?: unknown[] }) => call(method)(url, init),
      use: (...m: unknown[]) => void middlewares.push(...m),
    },
  };
}

describe('createLightRequests', () => {
  it('builds plain objects the carrier fetch reads, not Requests', () => {
    const light = createLightRequests();
    const request = new light.Request('http://127.0.0.1/x', { method: 'post', headers: { A: '1' }, body: '{}' });
    expect(isLightRequest(request)).toBe(true);
    expect(request).not.toBeInstanceOf(Request);
    expect(request).toMatchObject({ url: 'http://127.0.0.1/x', method: 'POST', body: '{}' });
  });

  const cases = [
    { what: 'a call without middleware', act: (c: ReturnType<typeof fakeClient>['client']) => c.GET('/a'), light: true },
    { what: "a call's own middleware", act: (c: ReturnType<typeof fakeClient>['client']) => c.GET('/a', { middleware: [{}] }), light: false },
    { what: "a call's own fetch", act: (c: ReturnType<typeof fakeClient>['client']) => c.POST('/a', { fetch: () => undefined }), light: false },
    { what: 'request() with its own middleware', act: (c: ReturnType<typeof fakeClient>['client']) => c.request('get', '/a', { middleware: [{}] }), light: false },
  ];
  it.each(cases)('$what: light is $light', async ({ act, light: expected }) => {
    const light = createLightRequests();
    const fake = fakeClient(light.Request);
    const client = light.adopt(fake.client);
    await act(client);
    expect(isLightRequest(fake.built[0])).toBe(expected);
    expect(fake.built[0] instanceof Request).toBe(!expected);
    // The next plain call is light again.
    await client.GET('/b');
    expect(isLightRequest(fake.built[1])).toBe(true);
  });

  it('after use(), every call builds real Requests', async () => {
    const light = createLightRequests();
    const fake = fakeClient(light.Request);
    const client = light.adopt(fake.client);
    client.use({ onRequest: () => undefined });
    await client.GET('/a');
    await client.POST('/b');
    expect(fake.built.every((request) => request instanceof Request)).toBe(true);
  });
});

describe('createLightRequests: instanceof its Request', () => {
  it('holds for real Requests, as openapi-fetch checks what middleware returns', () => {
    const light = createLightRequests();
    expect(new Request('http://127.0.0.1/') instanceof light.Request).toBe(true);
    expect(new light.Request('http://127.0.0.1/') instanceof light.Request).toBe(true);
    expect({} instanceof light.Request).toBe(false);
  });
});
