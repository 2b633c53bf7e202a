import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { CarrierParseError, CarrierTimeoutError, createCarrierFetch, TokenManager, type ApiDefinition } from '../src/index.js';
import { withGlobalDispatcher, type Dispatcher } from './fault-server.js';

// Answers and callers at the edges of the carrier fetch: each row is what a review of the
// runtime found could charge twice, hang or end in an untyped error.

const definition = (origin: string): ApiDefinition => ({
  name: 'edges',
  defaultBaseUrl: origin,
  auth: { type: 'apiKey', header: 'X-API-Key' },
  operations: [{ operationId: 'pay', method: 'POST', path: '/payments', authenticated: true, idempotencyKey: true, responseSchemas: { '200': '#/components/schemas/Payment' } }],
});
const post: RequestInit = { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' };

let server: Server | undefined;
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
  server = undefined;
});

/** A loopback server answering every request with `handler`; its origin. */
async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('the carrier fetch at its edges', () => {
  it.each(['', ' ', '\t '])('an Idempotency-Key of %j is no key: one is generated (fetch would send it empty)', async (given) => {
    const keys: string[] = [];
    const fetch = createCarrierFetch({
      definition: definition('https://api.example.test'),
      auth: { apiKey: 'k' },
      retry: false,
      fetch: async (input: Request | string | URL) => {
        keys.push((input as Request).headers.get('idempotency-key') ?? '');
        return new Response('{"id":"p-1"}', { status: 200 });
      },
    });
    await fetch('https://api.example.test/payments', { ...post, headers: { 'Idempotency-Key': given } });
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a Response of another class than the platform\'s (a fetch of the caller\'s) is read as data', async () => {
    const text = '{"id":"p-1"}';
    const foreign = { status: 200, ok: true, statusText: 'OK', url: '', redirected: false, headers: new Headers({ 'content-length': String(text.length) }), body: new Blob([text]).stream(), text: async () => text, json: async () => JSON.parse(text), clone: () => foreign };
    const fetch = createCarrierFetch({ definition: definition('https://api.example.test'), auth: { apiKey: 'k' }, retry: false, fetch: async () => foreign as unknown as Response });
    const response = await fetch('https://api.example.test/payments', post);
    await expect(response.json()).resolves.toEqual({ id: 'p-1' });
  });

  it('a gzip body larger than maxResponseBytes once decoded is too large, whatever its Content-Length says', async () => {
    const big = JSON.stringify({ filler: 'x'.repeat(64 * 1024) });
    const compressed = gzipSync(big);
    const origin = await serve((_, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', 'Content-Length': String(compressed.length) });
      res.end(compressed);
    });
    expect(compressed.length).toBeLessThan(1024);
    const fetch = createCarrierFetch({ definition: definition(origin), auth: { apiKey: 'k' }, retry: false, maxResponseBytes: 1024 });
    await expect(fetch(`${origin}/payments`, post)).rejects.toMatchObject({ name: 'CarrierParseError', reason: 'too-large' });
  });

  it('a validator that throws ends in a typed error carrying the key, not a bare Error', async () => {
    const fetch = createCarrierFetch({
      definition: definition('https://api.example.test'),
      auth: { apiKey: 'k' },
      retry: false,
      fetch: async () => new Response('{"id":"p-1"}', { status: 200 }),
      validateResponses: () => {
        throw new Error("can't resolve reference #/components/schemas/Payment");
      },
    });
    const error = await fetch('https://api.example.test/payments', post).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CarrierParseError);
    expect(error).toMatchObject({ reason: 'schema', operationId: 'pay', idempotencyKey: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });

  it('a settled answer reads like an unread one: body stream, clones that do not share data', async () => {
    const fetch = createCarrierFetch({ definition: definition('https://api.example.test'), auth: { apiKey: 'k' }, retry: false, fetch: async () => new Response('{"id":"p-1"}', { status: 200 }) });
    const response = await fetch('https://api.example.test/payments', post);
    expect(response.bodyUsed).toBe(false);
    expect(await new Response(response.body).text()).toBe('{"id":"p-1"}');
    const copy = response.clone();
    ((await copy.json()) as { id: string }).id = 'changed by a middleware';
    await expect(response.json()).resolves.toEqual({ id: 'p-1' });
  });

  it('a TokenManager of an older runtime copy (no freshAccessToken) still authenticates', async () => {
    const current = new TokenManager({ tokenUrl: 'https://api.example.test/token', clientId: 'c', username: 'u', password: 'p', fetch: async () => new Response('{"access_token":"t-1","expires_in":300}', { status: 200 }) });
    const older = { getAccessToken: () => current.getAccessToken(), invalidate: (token?: string) => current.invalidate(token), secrets: () => current.secrets() } as unknown as TokenManager;
    const sent: string[] = [];
    const fetch = createCarrierFetch({
      definition: { ...definition('https://api.example.test'), auth: { type: 'oauth2', tokenUrl: 'https://api.example.test/token' } },
      auth: { tokenManager: older },
      retry: false,
      fetch: async (input: Request | string | URL) => (sent.push((input as Request).headers.get('authorization') ?? ''), new Response('{"id":"p-1"}', { status: 200 })),
    });
    await fetch('https://api.example.test/payments', post);
    expect(sent).toEqual(['Bearer t-1']);
  });

  it('on undici\'s path, a global dispatcher that ignores the headers timeout still cannot hold the call past its deadline', async () => {
    const origin = await serve(() => undefined); // never answers
    const ignoringTimeouts = (original: Dispatcher): Dispatcher => ({ dispatch: (options, handler) => original.dispatch({ ...options, headersTimeout: 0 }, handler) });
    await withGlobalDispatcher(ignoringTimeouts, async () => {
      const carrierFetch = createCarrierFetch({ definition: definition(origin), auth: { apiKey: 'k' }, retry: false, timeout: 5_000, deadline: 5_500 });
      const error = await carrierFetch(`${origin}/payments`, post).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CarrierTimeoutError);
      expect(error).toMatchObject({ limit: 'deadline', idempotencyKey: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    });
  }, 30_000);
});
