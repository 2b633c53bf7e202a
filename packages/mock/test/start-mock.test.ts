import { createServer } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listBundledApis } from '@carrier-api/specs';
import { centiliTokenPath, MockStartError, startMock, type RunningMock } from '../src/index.js';

function canListen(port: number): Promise<boolean> {
  const probe = createServer();
  return new Promise((resolve) => {
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** A listening server on some port whose lower neighbour is free; a bounded search. */
async function busyPortAfterFreeOne() {
  for (let tries = 0; tries < 20; tries++) {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    if (await canListen(port - 1)) return { blocker, port };
    blocker.close();
  }
  throw new Error('no free port pair found in 20 tries');
}

/** One documented call of each API of the documents (test/answers.test.ts covers every operation of every API in specs/, one added later included). */
const sampleCalls: Record<string, { method: string; path: string; body?: unknown }> = {
  'centili-data-gifting': { method: 'GET', path: '/datagifting/v1/services/balance?serviceKey=3586a2363bcd51a2b3c4d5f34918263a&operator=FR_ORANGE' },
  'centili-payments': { method: 'POST', path: '/auth/transactions/t-1/pin', body: { pin: '1234' } },
  'centili-services': { method: 'POST', path: '/v1/services', body: { serviceKey: '2ea0e6c989b433d6c591633f91c67e07' } },
  'centili-packages': { method: 'GET', path: '/payments/v3/services/packages?serviceKey=f31a355df6dad07e49ba474db7ff9b07&country=es' },
  'mtn-ng-data-gifting': { method: 'POST', path: '/v1/datagifting/customers/2349062058464/dataGifting?nodeid=n1', body: { receiverMsisdn: '2349062058463', productCode: 'p', sendSms: true } },
};
const credentialsFor = (api: string): Record<string, string> => (api.startsWith('mtn-') ? { 'X-API-Key': 'key' } : { Authorization: 'Bearer token' });

function call(base: string, api: string, headers: Record<string, string> = credentialsFor(api), body = sampleCalls[api]!.body) {
  const { method, path } = sampleCalls[api]!;
  return fetch(`${base}${path}`, { method, headers: { 'Content-Type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
}

describe('startMock', () => {
  let mock: RunningMock;
  beforeAll(async () => {
    mock = await startMock();
  });
  afterAll(() => mock.close());

  it('serves every bundled API on its own loopback port', () => {
    expect(Object.keys(mock.urls).sort()).toEqual(listBundledApis().map((api) => api.name).sort());
    for (const url of Object.values(mock.urls)) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(new Set(Object.values(mock.urls)).size).toBe(Object.keys(mock.urls).length);
  });

  it.each(Object.keys(sampleCalls))('%s answers a valid request with its documented example', async (api) => {
    const response = await call(mock.urls[api]!, api);
    expect(response.status).toBe(200);
    expect(await response.json()).toBeTruthy();
  });

  it.each(Object.keys(sampleCalls))('%s answers a request without credentials with the documented 401', async (api) => {
    const response = await call(mock.urls[api]!, api, {});
    expect(response.status).toBe(401);
    const body = await response.json();
    expect(body).toHaveProperty(api.startsWith('mtn-') ? 'statusCode' : 'code');
  });

  it('answers an invalid request with the documented 400 and says why', async () => {
    const response = await call(mock.urls['centili-payments']!, 'centili-payments', credentialsFor('centili-payments'), { pin: 1234 });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ code: 'string', message: 'string' });
    expect(JSON.parse(response.headers.get('sl-violations')!)[0]).toMatchObject({ location: ['request', 'body', 'pin'], severity: 'Error', code: 'type' });
  });

  it('survives requests Prism’s own server crashes on: non-Latin-1 text in violations, invalid JSON', async () => {
    const base = mock.urls['centili-services']!;
    const headers = { Authorization: 'Bearer t', 'Content-Type': 'application/json' };
    // Found by schemathesis: a property name outside Latin-1 ends up in the sl-violations header.
    const unicode = await fetch(`${base}/v1/services`, { method: 'POST', headers, body: '{"\u00e9\ud83d\ude00": [], "ownedBy": []}' });
    expect(unicode.status).toBe(400);
    expect(JSON.parse(unicode.headers.get('sl-violations')!).length).toBeGreaterThan(0);
    const invalidJson = await fetch(`${base}/v1/services`, { method: 'POST', headers, body: '{"serviceKey": ' });
    expect(invalidJson.status).toBe(400);
    expect(await invalidJson.json()).toEqual({ code: 'BAD_REQUEST', message: 'Bad request parameters - check message for details' });
    // Still serving.
    expect((await call(base, 'centili-services')).status).toBe(200);
  });

  it('answers an undeclared method with 405 and the Allow header', async () => {
    const response = await fetch(mock.tokenUrl('centili-payments'), { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  it('mocks the Centili token endpoint', async () => {
    expect(mock.tokenUrl('centili-payments')).toBe(`${mock.urls['centili-payments']}${centiliTokenPath}`);
    const response = await fetch(mock.tokenUrl('centili-payments'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: 'c', grant_type: 'password', username: 'u', password: 'p' }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ access_token: expect.any(String), expires_in: 300, token_type: 'Bearer' });
  });

  it('selects documented responses with Prefer: code= and Prefer: example=', async () => {
    const base = mock.urls['centili-packages']!;
    const notFound = await fetch(`${base}${sampleCalls['centili-packages']!.path}`, { headers: { Authorization: 'Bearer t', Prefer: 'code=404' } });
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toEqual({ code: 'NOT_FOUND', message: 'Packages not found' });
    const refreshExample = await fetch(mock.tokenUrl('centili-packages'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Prefer: 'code=400, example=invalidGrant' },
      body: 'client_id=c&grant_type=password&username=u&password=wrong',
    });
    expect(await refreshExample.json()).toEqual({ error: 'invalid_grant', error_description: 'Invalid user credentials' });
  });
});

describe('startMock({ describeViolations: true })', () => {
  it('names the field and the rule in the documented error body of a request that breaks the spec', async () => {
    const mock = await startMock({ apis: ['centili-payments', 'mtn-ng-data-gifting'], describeViolations: true });
    try {
      const payments = await call(mock.urls['centili-payments']!, 'centili-payments', credentialsFor('centili-payments'), { pin: 1234 });
      expect(payments.status).toBe(400);
      expect(await payments.json()).toEqual({ code: 'BAD_REQUEST', message: 'Request body property pin must be string (request.body.pin: type)' });
      expect(payments.headers.get('sl-violations')).toBeTruthy();
      const mtn = await call(mock.urls['mtn-ng-data-gifting']!, 'mtn-ng-data-gifting', credentialsFor('mtn-ng-data-gifting'), { receiverMsisdn: 'x', productCode: 'p', sendSms: true });
      expect(mtn.status).toBe(400);
      expect(await mtn.json()).toMatchObject({ statusCode: '400', error: 'Bad Request', message: expect.stringMatching(/receiverMsisdn.*pattern/) });
    } finally {
      await mock.close();
    }
  });
});

describe('startMock failures', () => {
  it('names the unknown API and the known ones', async () => {
    const error = await startMock({ apis: ['centili-payments', 'vodafone'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MockStartError);
    expect(error).toMatchObject({ code: 'UNKNOWN_API', exitCode: 2 });
    expect((error as Error).message).toMatch(/Unknown API "vodafone"\. Known APIs: centili-data-gifting, .*mtn-ng-data-gifting\./);
  });

  it('reports a port in use instead of hanging, and releases the ports it had taken', async () => {
    const { blocker, port } = await busyPortAfterFreeOne();
    try {
      // The first API gets port - 1 (free), the second the busy port.
      const error = await startMock({ apis: ['centili-packages', 'centili-payments'], port: port - 1 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MockStartError);
      expect(error).toMatchObject({ code: 'PORT_IN_USE', exitCode: 1 });
      expect((error as Error).message).toBe(`centili-payments: port ${port} on 127.0.0.1 is already in use; pass another --port`);
      expect(await canListen(port - 1)).toBe(true);
    } finally {
      blocker.close();
    }
  });

  it('reports a broken spec', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mock-')), 'broken.yaml');
    writeFileSync(file, 'openapi: 3.0.3\ninfo: {title: x, version: "1"}\npaths:\n  /x:\n    get:\n      responses:\n        "200": {$ref: "#/components/responses/Missing"}\n');
    const error = await startMock({ specs: { broken: file } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_SPEC' });
    expect((error as Error).message).toMatch(/^broken: /);
  });

  it('frees its ports on close()', async () => {
    const mock = await startMock({ apis: ['mtn-ng-data-gifting'] });
    const port = Number(new URL(mock.urls['mtn-ng-data-gifting']!).port);
    await mock.close();
    const again = await startMock({ apis: ['mtn-ng-data-gifting'], port });
    expect(again.urls['mtn-ng-data-gifting']).toBe(`http://127.0.0.1:${port}`);
    await again.close();
  });
});
