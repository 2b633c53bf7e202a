import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '../src/index.js';
import { send } from './support/requests.js';
import { startTestRedis, type TestRedis } from './support/redis.js';

/**
 * The journal masks secrets on the decoded form of what was sent (issue 27, input 4): a field is
 * a secret by its name once decoded and in any case, in a form body, a JSON body and a query.
 * Each row sends a secret that must then appear nowhere in the journal, over HTTP or from JS, on
 * the in-memory store and on a real Redis.
 */
const tokenPath = '/auth/realms/api/protocol/openid-connect/token';
const form = { 'content-type': 'application/x-www-form-urlencoded' };
const json = { 'content-type': 'application/json' };

interface Row {
  row: string;
  secret: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** The sandbox decoded it and answered this status (it was read as the API reads it). */
  status: number;
}

const rows: Row[] = [
  { row: 'a form whose field name is percent-encoded (pass%77ord)', secret: 'EncodedSecret2', method: 'POST', path: tokenPath, headers: form, body: 'client_id=app&grant_type=password&username=merchant&pass%77ord=EncodedSecret2', status: 200 },
  { row: 'a form field name in capitals (PASSWORD)', secret: 'CapitalSecret3', method: 'POST', path: tokenPath, headers: form, body: 'client_id=app&grant_type=password&username=merchant&password=x&PASSWORD=CapitalSecret3', status: 200 },
  { row: 'an encoded refresh_token name (refresh%5Ftoken)', secret: 'RefreshSecret4', method: 'POST', path: tokenPath, headers: form, body: 'client_id=app&grant_type=refresh_token&refresh%5Ftoken=RefreshSecret4', status: 400 },
  { row: 'an encoded value of a plain name', secret: 'Plus Secret5', method: 'POST', path: tokenPath, headers: form, body: 'client_id=app&grant_type=password&username=merchant&password=Plus%20Secret5', status: 200 },
  { row: 'client_secret in a form', secret: 'ClientSecret6', method: 'POST', path: tokenPath, headers: form, body: 'client_id=app&grant_type=password&username=m&password=p&client%5Fsecret=ClientSecret6', status: 200 },
  { row: 'a JSON field in another case (PIN)', secret: 'JsonSecret7', method: 'POST', path: '/auth/transactions/t-1/pin', headers: json, body: JSON.stringify({ pin: '1234', PIN: 'JsonSecret7' }), status: 401 },
  { row: 'a JSON field nested, in another case (Refresh_Token)', secret: 'JsonSecret8', method: 'POST', path: '/auth/transactions', headers: json, body: JSON.stringify({ serviceKey: 'abc', userIdentifier: { msisdn: '4366124567' }, clientData: { Refresh_Token: 'JsonSecret8' } }), status: 401 },
  { row: 'a secret in the query (access_token)', secret: 'QuerySecret8', method: 'GET', path: '/auth/transactions/t-1?access_token=QuerySecret8', headers: {}, status: 401 },
  { row: 'a secret in an encoded query name (access%5Ftoken)', secret: 'QuerySecret9', method: 'GET', path: '/auth/transactions/t-1?access%5Ftoken=QuerySecret9', headers: {}, status: 401 },
];

const stores: Array<{ name: string; start: () => Promise<{ mock: RunningMock; stop: () => Promise<void> }> }> = [
  {
    name: 'memory',
    start: async () => {
      const mock = await startMock({ apis: ['centili-payments'], sandbox: true });
      return { mock, stop: () => mock.close() };
    },
  },
  {
    name: 'redis',
    start: async () => {
      const redis: TestRedis = await startTestRedis();
      const mock = await startMock({ apis: ['centili-payments'], sandbox: { store: { url: redis.url, prefix: 'masking:' } } });
      return { mock, stop: async () => (await mock.close(), await redis.dispose()) };
    },
  },
];

describe.each(stores)('journal masking on the decoded form, $name store', (store) => {
  let mock: RunningMock;
  let stop: () => Promise<void>;
  beforeAll(async () => ({ mock, stop } = await store.start()));
  beforeEach(() => mock.reset());
  afterAll(() => stop());

  it.each(rows)('$row', async ({ secret, method, path, headers, body, status }) => {
    const base = mock.urls['centili-payments']!;
    const answer = await send(base, { method, path, headers, body });
    expect(answer.status).toBe(status);
    const overHttp = (await send(base, { method: 'GET', path: '/__admin/requests', headers: {} })).text;
    const fromJs = JSON.stringify(await mock.requests('centili-payments'));
    for (const journal of [overHttp, fromJs]) {
      expect(journal).toContain('***');
      // Neither the secret nor any encoding of it.
      for (const form of [secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)]) expect(journal).not.toContain(form);
    }
  });

  it('keeps a body that only looks like a form, and the fields that are not secrets, as sent', async () => {
    const base = mock.urls['centili-payments']!;
    await send(base, { method: 'POST', path: tokenPath, headers: form, body: 'client_id=app&grant_type=password&username=merchant&password=s' });
    const [entry] = await mock.requests('centili-payments');
    expect(entry!.body).toBe('client_id=app&grant_type=password&username=merchant&password=***');
  });
});
