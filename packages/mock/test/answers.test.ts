import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type RunningMock, type StartMockOptions } from '../src/index.js';
import { corpusOf, sandboxTokens } from './support/corpus.js';
import { apiNames, sampleOperations, send, type WireRequest, type WireResponse } from './support/requests.js';

/**
 * The mock's answers, byte for byte, to a corpus of requests per operation of every API (the
 * sample, a request breaking each rule of its spec, every `Prefer`, credentials right and wrong,
 * Accept headers, every client-mistake row of malformed.test.ts), plain, plain with
 * `describeViolations`, and sandboxed: the golden files in `__golden__/` were recorded from the
 * Prism-based mock before its request engine was rewritten for speed (issue 29), and hold it to
 * the same statuses, headers and bodies. Only what differs between runs is normalised (ids,
 * tokens, times, the Date header). Re-record after an intended change: `vitest run test/answers.test.ts -u`.
 */
const clock = () => Date.parse('2026-01-01T00:00:00Z');
const modes: Array<{ mode: string; options: StartMockOptions }> = [
  { mode: 'mock', options: {} },
  { mode: 'mock-described', options: { describeViolations: true } },
  { mode: 'sandbox', options: { sandbox: { clock } } },
];

const volatile: Array<[RegExp, string]> = [
  [/sbx-at\.[A-Za-z0-9_-]+/g, '<access-token>'],
  [/sbx-rt\.[A-Za-z0-9_-]+/g, '<refresh-token>'],
  [/sbx-[0-9a-f]{12}/g, '<generated-id>'],
  [/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>'],
  [/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>'],
];
const normalise = (text: string) => volatile.reduce((result, [pattern, placeholder]) => result.replace(pattern, placeholder), text);
const skipHeaders = new Set(['date', 'connection', 'keep-alive']);

function describeRequest(request: WireRequest, token: string | undefined): Record<string, unknown> {
  const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, token && value.includes(token) ? value.replace(token, '<sandbox-token>') : value.length > 200 ? `<${value.length} chars>` : value]));
  const body = request.body === undefined ? undefined : Buffer.byteLength(request.body) > 300 ? `<${Buffer.byteLength(request.body)} bytes, sha256 ${createHash('sha256').update(request.body).digest('hex').slice(0, 16)}>` : Buffer.isBuffer(request.body) ? `<bytes ${request.body.toString('hex')}>` : request.body;
  return { method: request.method, path: request.path.length > 300 ? `<${request.path.length} chars>` : request.path, headers, ...(body === undefined ? {} : { body }) };
}

function describeAnswer(response: WireResponse): Record<string, unknown> {
  const headers: Record<string, string> = {};
  for (const name of Object.keys(response.headers).sort()) {
    if (skipHeaders.has(name)) continue;
    const value = response.headers[name];
    headers[name] = name === 'content-length' ? 'present' : normalise(Array.isArray(value) ? value.join(', ') : String(value));
  }
  return { status: response.status, headers, body: normalise(response.text) };
}

describe.each(modes)('answers of the $mode are the recorded ones', ({ mode, options }) => {
  let mock: RunningMock;
  let tokens: Record<string, string> = {};
  beforeAll(async () => {
    mock = await startMock(options);
    if (options.sandbox) tokens = await sandboxTokens(mock);
  });
  afterAll(() => mock?.close());

  it.each(apiNames)('%s', async (api) => {
    const lines: string[] = [];
    for (const sample of await sampleOperations([api])) {
      const token = tokens[api];
      for (const { name, request } of corpusOf(sample)) {
        const sent = token && request.headers.authorization === 'Bearer token' ? { ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } } : request;
        const response = await send(mock.urls[api]!, sent);
        lines.push(JSON.stringify({ operation: sample.operationId, row: name, request: describeRequest(request, undefined), answer: describeAnswer(response) }));
      }
    }
    await expect(`${lines.join('\n')}\n`).toMatchFileSnapshot(`__golden__/${mode}/${api}.jsonl`);
  });
});
