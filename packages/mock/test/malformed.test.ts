import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '../src/index.js';
import { malformedRows as rows, withSandboxTokens, type MalformedRow } from './support/corpus.js';
import { responseProblems, sampleOperations, send, type SampleOperation } from './support/requests.js';

function check(sample: SampleOperation, row: MalformedRow, response: Awaited<ReturnType<typeof send>>, samples: SampleOperation[]) {
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
