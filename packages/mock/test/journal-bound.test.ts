import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MockStartError, startMock, type JournalEntry, type RunningMock } from '../src/index.js';
import { send } from './support/requests.js';
import { startTestRedis, type TestRedis } from './support/redis.js';

/**
 * The journal is bounded in bytes (issue 27, input 3): ten valid starts with a 4 MB
 * `clientData.clientReference` each made `GET /__admin/requests` 40 MB. Every entry is at most
 * `journalEntryMaxBytes` as JSON, in memory and on Redis: what fits is kept byte for byte, what
 * does not is cut with a marker of its full size.
 */
const maxBytes = 4096;
const start = (clientReference: string) => JSON.stringify({ serviceKey: 'abc', userIdentifier: { msisdn: '4366124567' }, price: '1.99', clientData: { clientReference } });
const json = { 'content-type': 'application/json', authorization: 'Bearer t' };

interface Row {
  row: string;
  path?: string;
  headers?: Record<string, string>;
  body: string;
  /** Whether the body is kept whole. */
  whole: boolean;
}

const rows: Row[] = [
  { row: 'a documented body, kept whole', body: start('order-42'), whole: true },
  { row: 'a 4 MB clientReference (the issue\'s input)', body: start('x'.repeat(4 * 1024 * 1024)), whole: false },
  { row: 'a body just over the bound', body: start('y'.repeat(maxBytes)), whole: false },
  { row: 'multi-byte characters and escapes across the cut', body: start('é"€\\😀'.repeat(2000)), whole: false },
  { row: 'a 12 KB header value beside a small body', headers: { 'x-trace': 'h'.repeat(12 * 1024) }, body: start('order-43'), whole: true },
  { row: 'a 6 KB query', path: `/auth/transactions?note=${'q'.repeat(6 * 1024)}`, body: start('order-44'), whole: true },
];

const stores: Array<{ name: string; start: (sandbox: object) => Promise<{ mock: RunningMock; stop: () => Promise<void> }> }> = [
  {
    name: 'memory',
    start: async (sandbox) => {
      const mock = await startMock({ apis: ['centili-payments'], sandbox });
      return { mock, stop: () => mock.close() };
    },
  },
  {
    name: 'redis',
    start: async (sandbox) => {
      const redis: TestRedis = await startTestRedis();
      const mock = await startMock({ apis: ['centili-payments'], sandbox: { ...sandbox, store: { url: redis.url, prefix: 'bound:' } } });
      return { mock, stop: async () => (await mock.close(), await redis.dispose()) };
    },
  },
];

describe.each(stores)('journal entries bounded in bytes, $name store', (store) => {
  let mock: RunningMock;
  let stop: () => Promise<void>;
  beforeAll(async () => ({ mock, stop } = await store.start({ journalEntryMaxBytes: maxBytes })));
  beforeEach(() => mock.reset());
  afterAll(() => stop());

  it.each(rows)('$row', async ({ path = '/auth/transactions', headers = {}, body, whole }) => {
    const base = mock.urls['centili-payments']!;
    await send(base, { method: 'POST', path, headers: { ...json, ...headers }, body });
    const [entry] = (await mock.requests('centili-payments')) as [JournalEntry];
    expect(Buffer.byteLength(JSON.stringify(entry))).toBeLessThanOrEqual(maxBytes);
    expect(entry.method).toBe('POST');
    if (whole) {
      expect(entry.body).toEqual(JSON.parse(body));
      expect(entry.bodyBytes).toBeUndefined();
    } else {
      const full = Buffer.byteLength(JSON.stringify(JSON.parse(body)));
      expect(entry.bodyBytes).toBe(full);
      expect(typeof entry.body).toBe('string');
      expect(entry.body as string).toMatch(new RegExp(`… \\[truncated: ${full} bytes\\]$`));
      // The start of the body's JSON text, as sent.
      expect(JSON.stringify(JSON.parse(body)).startsWith((entry.body as string).replace(/… \[truncated: \d+ bytes\]$/, ''))).toBe(true);
    }
    for (const [name, value] of Object.entries(headers)) expect(entry.headers[name]).toMatch(new RegExp(`^h+… \\[truncated: ${value.length} bytes\\]$`));
    if (path.length > 256) expect(entry.path).toMatch(new RegExp(`^/auth/transactions\\?note=q+… \\[truncated: ${path.length} bytes\\]$`));
  });

  it('ten valid 4 MB starts: each is executed, and the whole journal over HTTP stays within 10 entries of the bound', async () => {
    const base = mock.urls['centili-payments']!;
    const login = await send(base, { method: 'POST', path: '/auth/realms/api/protocol/openid-connect/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'client_id=app&grant_type=password&username=merchant&password=s3cret' });
    const authorization = `Bearer ${(login.json as { access_token: string }).access_token}`;
    await mock.clearRequests('centili-payments');
    // Valid starts: each is executed (200), as the were.
    for (let index = 0; index < 10; index++) expect((await send(base, { method: 'POST', path: '/auth/transactions', headers: { ...json, authorization }, body: start(String(index).repeat(4 * 1024 * 1024)) })).status).toBe(200);
    const journal = await send(base, { method: 'GET', path: '/__admin/requests', headers: {} });
    expect((journal.json as { requests: unknown[] }).requests).toHaveLength(10);
    expect(Buffer.byteLength(journal.text)).toBeLessThanOrEqual(10 * maxBytes + 64);
  });
});

describe('journalEntryMaxBytes', () => {
  it.each([100, 1023, 1.5, -1])('%s is refused, naming the option and the rule', async (value) => {
    await expect(startMock({ apis: ['centili-payments'], sandbox: { journalEntryMaxBytes: value } })).rejects.toThrow(new MockStartError('INVALID_OPTIONS', `sandbox.journalEntryMaxBytes must be an integer of at least 1024; got ${value}.`));
  });

  it('defaults to 4096 bytes', async () => {
    const mock = await startMock({ apis: ['centili-payments'], sandbox: true });
    try {
      await send(mock.urls['centili-payments']!, { method: 'POST', path: '/auth/transactions', headers: json, body: start('z'.repeat(64 * 1024)) });
      const [entry] = await mock.requests('centili-payments');
      const size = Buffer.byteLength(JSON.stringify(entry));
      expect(size).toBeLessThanOrEqual(4096);
      expect(size).toBeGreaterThan(3500);
    } finally {
      await mock.close();
    }
  });
});
