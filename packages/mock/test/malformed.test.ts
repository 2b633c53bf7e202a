import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '../src/index.js';
import { responseProblems, sampleOperations, send, type SampleOperation, type WireRequest } from './support/requests.js';

/**
 * Malformed requests, one per row: `change` turns a valid request of any operation into the
 * mistake; `expect` (optional) lists the statuses allowed. Every row runs against every operation
 * of every API. Add a row to add a case.
 */
interface Row {
  name: string;
  change: (request: WireRequest) => WireRequest;
  expect?: number[];
  /** The changed request no longer addresses the operation: its error body is the API's, not the operation's. */
  offPath?: boolean;
}
const header = (name: string, value: string) => (request: WireRequest) => ({ ...request, headers: { ...request.headers, [name]: value } });
const withBody = (body: string | Buffer, type?: string) => (request: WireRequest) => ({ ...request, body, headers: { ...request.headers, ...(type ? { 'content-type': type } : {}) } });
const overLimit = Buffer.alloc(10 * 1024 * 1024 + 10, 0x20);

const rows: Row[] = [
  { name: 'Content-Type: foo', change: header('content-type', 'foo'), expect: [400, 415] },
  { name: 'Content-Type: foo without a body', change: (r) => ({ ...header('content-type', 'foo')(r), body: undefined }), expect: [400, 415] },
  { name: 'Content-Type: text/plain', change: (r) => (r.body === undefined ? r : header('content-type', 'text/plain')(r)) },
  { name: 'Content-Type: /json', change: header('content-type', '/json'), expect: [400, 415] },
  { name: 'Content-Type: application/json; charset=latin1', change: (r) => (r.body === undefined ? r : header('content-type', 'application/json; charset=latin1')(r)) },
  { name: 'Content-Type: multipart/form-data without boundary', change: (r) => (r.body === undefined ? r : header('content-type', 'multipart/form-data')(r)) },
  { name: 'Content-Encoding: gzip on plain text', change: (r) => (r.body === undefined ? r : header('content-encoding', 'gzip')(r)), expect: undefined },
  { name: 'Accept: foo', change: header('accept', 'foo'), expect: [406] },
  { name: 'Accept: text/html', change: header('accept', 'text/html'), expect: [406] },
  { name: 'Accept: application/json;q=0', change: header('accept', 'application/json;q=0'), expect: [406] },
  { name: 'Accept: */*', change: header('accept', '*/*') },
  { name: 'Accept: application/json, foo', change: header('accept', 'application/json, foo') },
  { name: 'a body over 10 MB', change: withBody(overLimit), expect: [413] },
  { name: 'invalid JSON', change: (r) => withBody('{"a": ', r.headers['content-type'] ?? 'application/json')(r) },
  { name: 'invalid UTF-8', change: (r) => withBody(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), r.headers['content-type'] ?? 'application/json')(r) },
  { name: 'a JSON null', change: (r) => withBody('null', r.headers['content-type'] ?? 'application/json')(r) },
  { name: 'a JSON array', change: (r) => withBody('[1,2,3]', r.headers['content-type'] ?? 'application/json')(r) },
  { name: 'deeply nested JSON', change: (r) => withBody(`${'['.repeat(5000)}${']'.repeat(5000)}`, r.headers['content-type'] ?? 'application/json')(r) },
  { name: 'a number past double precision', change: (r) => withBody('{"amount": 1e400}', r.headers['content-type'] ?? 'application/json')(r) },
  { name: 'non-ASCII property names', change: (r) => withBody('{"\u00e9\ud83d\ude00": [], "\u0000": 1}', r.headers['content-type'] ?? 'application/json')(r) },
  { name: 'a form body with a malformed percent-encoding', change: (r) => (r.headers['content-type']?.includes('form') ? withBody('client_id=%%%&grant_type=password')(r) : r) },
  { name: 'an empty body', change: (r) => ({ ...r, body: undefined }) },
  { name: 'method PATCH', change: (r) => ({ ...r, method: 'PATCH' }), expect: [405] },
  { name: 'a malformed percent-encoding in the path', change: (r) => ({ ...r, path: r.path.replace(/^\/[^/?]+/, '$&%zz') }), expect: [400], offPath: true },
  { name: 'an unknown path', change: (r) => ({ ...r, path: '/no/such/path' }), expect: [404], offPath: true },
  { name: 'a malformed percent-encoding in the query', change: (r) => ({ ...r, path: `${r.path}${r.path.includes('?') ? '&' : '?'}%zz=%zz` }) },
  { name: 'repeated query parameters', change: (r) => ({ ...r, path: r.path.replace(/\?(.*)$/, '?$1&$1') }) },
  { name: 'Latin-1 bytes in a header', change: header('x-note', '\u00e9t\u00e9') },
  { name: 'a non-ASCII bearer token', change: header('authorization', 'Bearer \u00e9\u00e9') },
  { name: 'Authorization: Basic', change: header('authorization', 'Basic dTpw') },
  { name: 'an 8 KB Idempotency-Key', change: header('idempotency-key', 'k'.repeat(8000)) },
  { name: 'headers over 16 KB', change: header('x-padding', 'p'.repeat(20_000)), expect: [431], offPath: true },
  { name: 'an empty X-API-Key', change: header('x-api-key', '') },
  { name: 'Prefer: code=abc', change: header('prefer', 'code=abc'), expect: [400] },
  { name: 'Prefer: code=599 (undocumented)', change: header('prefer', 'code=599') },
  { name: 'Prefer: example=nope', change: header('prefer', 'example=nope') },
];

function check(sample: SampleOperation, row: Row, response: Awaited<ReturnType<typeof send>>, samples: SampleOperation[]) {
  const where = `${sample.api} ${sample.operationId}, ${row.name}: ${response.status} ${response.text.slice(0, 200)}`;
  expect(response.status, where).toBeLessThan(500);
  expect(response.status, where).toBeGreaterThanOrEqual(200);
  if (row.expect) expect(row.expect, where).toContain(response.status);
  expect(response.text, `${where}: empty body`).not.toBe('');
  expect(response.json, `${where}: body not JSON`).toBeDefined();
  expect(String(response.headers['content-type']), where).toMatch(/json/);
  const against = row.offPath ? samples.find((other) => other.api === sample.api && other.operationId !== 'createToken')! : sample;
  expect(responseProblems(against.api, against.operation, response), where).toEqual([]);
}

/** A sandbox only takes tokens it issued: log in on each Centili API and use that token. */
async function withSandboxTokens(mock: RunningMock, samples: SampleOperation[]): Promise<SampleOperation[]> {
  const tokens: Record<string, string> = {};
  for (const api of Object.keys(mock.urls).filter((name) => name.startsWith('centili-'))) {
    const response = await send(mock.urls[api]!, { method: 'POST', path: new URL(mock.tokenUrl(api)).pathname, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'client_id=app&grant_type=password&username=u&password=p' });
    tokens[api] = (response.json as { access_token: string }).access_token;
  }
  return samples.map((sample) =>
    sample.request.headers.authorization && tokens[sample.api] ? { ...sample, request: { ...sample.request, headers: { ...sample.request.headers, authorization: `Bearer ${tokens[sample.api]}` } } } : sample,
  );
}

describe.each([
  ['mock', false],
  ['sandbox', true],
] as const)('malformed requests against every operation of every API (%s) get a 4xx with the API’s error body, never a 5xx', (_mode, sandbox) => {
  let mock: RunningMock;
  let samples: SampleOperation[];
  beforeAll(async () => {
    mock = await startMock({ sandbox });
    samples = await sampleOperations(Object.keys(mock.urls));
    if (sandbox) samples = await withSandboxTokens(mock, samples);
  });
  afterAll(() => mock.close());

  it('answers the valid sample request of every operation (the baseline the rows break) with a documented, valid response', async () => {
    expect(samples.length).toBeGreaterThanOrEqual(15);
    for (const sample of samples) {
      const response = await send(mock.urls[sample.api]!, sample.request);
      // The sandbox has state: the spec's example ids and keys may well be unknown to it (404).
      if (!sandbox) expect(response.status, `${sample.api} ${sample.operationId}: ${response.text}`).toBe(200);
      expect(response.status, `${sample.api} ${sample.operationId}: ${response.text}`).toBeLessThan(500);
      expect(responseProblems(sample.api, sample.operation, response)).toEqual([]);
    }
  });

  it.each(rows.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    for (const sample of samples) check(sample, row, await send(mock.urls[sample.api]!, row.change(sample.request)), samples);
  });

  it.each([
    ['a request line that is not HTTP', 'GARBAGE\r\n\r\n'],
    ['a header without a colon', 'GET / HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n'],
    ['an absolute-form target that is no URL', 'GET http://[ HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['a chunked body with a bad chunk size', 'POST /v1/services HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n'],
  ])('answers %s with a 400 and a JSON body', async (_name, raw) => {
    const url = new URL(mock.urls['centili-services']!);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => socket.end(raw));
      let text = '';
      socket.on('data', (chunk) => (text += chunk));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/not valid HTTP|is not a URL/) });
  });

  it('still serves after every row', async () => {
    for (const sample of samples) expect((await send(mock.urls[sample.api]!, sample.request)).status).toBeLessThan(500);
  });
});
