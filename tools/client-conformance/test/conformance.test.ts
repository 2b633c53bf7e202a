import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSpecValidator } from '@carrier-api/schema-validator';
import type { ResponseValidator } from '@carrier-api/runtime';
import {
  answerRows,
  baseUrlRows,
  callOperation,
  createClientOf,
  expectedClass,
  kinds,
  loadApis,
  MAX_RESPONSE_BYTES,
  outcomeClass,
  SECRET,
  settle,
  startAnswerServer,
  TOKEN_MANAGER_PATH,
  type Answer,
  type ApiUnderTest,
  type Kind,
  type OperationCase,
  type Settled,
} from '../src/index.ts';

const apis = await loadApis();
const FORM = 'application/x-www-form-urlencoded';

/** The credentials of the API's kind: Centili's password grant (tokens from the loopback server), MTN's API key. */
function authFor(api: ApiUnderTest, server: string): Record<string, unknown> {
  return api.definition.auth.type === 'apiKey'
    ? { apiKey: SECRET }
    : { clientId: 'conformance-app', username: 'merchant', password: SECRET, tokenUrl: `${server}${TOKEN_MANAGER_PATH}` };
}

const validators = new Map<string, ResponseValidator>();
/** validateResponses for `api`, built on @carrier-api/schema-validator and the bundled spec. */
function validatorFor(api: ApiUnderTest): ResponseValidator {
  let validator = validators.get(api.name);
  if (!validator) {
    const spec = createSpecValidator(api.spec);
    validator = (check) => spec.validate(check.schema, check.body);
    validators.set(api.name, validator);
  }
  return validator;
}

/** What every typed error of a call (not the factory's) must carry, whatever the row. */
function expectCallContext(error: Record<string, unknown>, operation: OperationCase, requestId: string): void {
  expect(error.operationId).toBe(operation.operationId);
  expect(error.requestId).toBe(requestId);
  if (operation.idempotencyKey) expect(error.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
  else expect(error.idempotencyKey).toBeUndefined();
  const shown = `${String(error.message)} ${String(error.stack)} ${JSON.stringify(error)}`;
  expect(shown).not.toContain(SECRET);
}

describe.each(apis)('$name', (api) => {
  let server: Awaited<ReturnType<typeof startAnswerServer>>;
  beforeAll(async () => {
    server = await startAnswerServer();
  });
  afterAll(() => server.close());

  const specServer = api.spec.servers?.[0]?.url ?? '';

  describe('server answer × operation: light client and SDK reach the row outcome', () => {
    const cases = answerRows.flatMap((row) => api.operations.map((operation) => ({ row, operation, title: `${row.id} × ${operation.operationId}` })));
    it.each(cases)('$title', async ({ row, operation }) => {
      const answer: Answer = typeof row.answer === 'function' ? row.answer(operation) : row.answer;
      const requestId = `row-${answerRows.indexOf(row)}-${operation.operationId}`;
      const outcomes: Partial<Record<Kind, string>> = {};
      for (const kind of kinds) {
        server.answerWith(answer, requestId);
        const client = createClientOf(kind, api, {
          baseUrl: server.url,
          auth: authFor(api, server.url),
          retry: false,
          maxResponseBytes: MAX_RESPONSE_BYTES,
          ...(row.validate ? { validateResponses: validatorFor(api) } : {}),
        });
        const settled: Settled = await settle(() => callOperation(kind, api, client, operation));
        outcomes[kind] = outcomeClass(settled);
        expect(outcomes[kind], `${kind}: ${outcomes[kind]}`).toBe(expectedClass(row.expected));
        expect(server.received.length, `${kind} sent the operation once`).toBe(1);
        if (settled.ok) {
          // The light client hands over the body as the server sent it (the SDK maps it to its models).
          if (kind === 'light') expect(settled.value).toEqual(JSON.parse((answer.body ?? '').replace(/^\uFEFF/, '')));
          continue;
        }
        const error = settled.error as Record<string, unknown>;
        expectCallContext(error, operation, requestId);
        if (row.expected !== 'data' && (row.expected.error === 'CarrierParseError' || row.expected.error === 'CarrierResponseValidationError')) {
          const finalStatus = answer.status === 302 ? 200 : answer.status;
          expect(error.status).toBe(finalStatus);
          const contentType = answer.status === 302 ? 'text/html; charset=utf-8' : answer.headers?.['content-type'];
          expect(error.contentType).toBe(contentType);
          expect(typeof error.text).toBe('string');
          expect((error.text as string).length).toBeLessThanOrEqual(500);
          expect(error.text as string).not.toContain(SECRET);
          if (answer.body && answer.body.includes(SECRET)) expect(error.text as string).toContain('[REDACTED]');
        }
        if (row.expected !== 'data' && row.expected.error === 'CarrierResponseValidationError') {
          expect((error.issues as unknown[]).length).toBeGreaterThan(0);
          expect(error.issues).toEqual(expect.arrayContaining([expect.objectContaining({ instancePath: '/', rule: expect.any(String) })]));
        }
        if (row.expected !== 'data' && row.expected.error === 'CarrierApiError') expect(error.status).toBe(row.expected.status);
      }
      expect(outcomes.light).toBe(outcomes.sdk);
    });
  });

  describe('base URL × operation: both kinds send to the same URL', () => {
    const cases = baseUrlRows.flatMap((row) => api.operations.map((operation) => ({ row, operation, title: `${row.id} × ${operation.operationId}` })));
    it.each(cases)('$title', async ({ row, operation }) => {
      const sent: Partial<Record<Kind, string>> = {};
      for (const kind of kinds) {
        server.answerWith({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(operation.successBody) }, 'base-url');
        const seen: string[] = [];
        // Records every URL, and sends it to the loopback server (the spec's servers are not reachable from a test).
        const fetch = async (input: Request | string | URL, init?: RequestInit) => {
          const request = new Request(input, init);
          seen.push(request.url);
          const url = new URL(request.url);
          const local = request.url.startsWith(server.url) ? request.url : `${server.url}${url.pathname}${url.search}`;
          return globalThis.fetch(new Request(local, request));
        };
        const baseUrl = row.baseUrl(server.url);
        const options = { ...(baseUrl === undefined ? {} : { baseUrl }), auth: authFor(api, server.url), retry: false, fetch };
        const made = await settle(async () => createClientOf(kind, api, options));
        if ('error' in row.expected) {
          expect(outcomeClass(made)).toBe(`CarrierValidationError:${row.expected.field}`);
          sent[kind] = outcomeClass(made);
          continue;
        }
        expect(made.ok, outcomeClass(made)).toBe(true);
        const settled = await settle(() => callOperation(kind, api, (made as { value: Record<string, unknown> }).value, operation));
        expect(outcomeClass(settled)).toBe('data');
        const call = seen.filter((url) => !url.endsWith(TOKEN_MANAGER_PATH));
        expect(call).toHaveLength(1);
        const url = new URL(call[0]!);
        sent[kind] = `${url.origin}${url.pathname}`;
        expect(sent[kind]).toBe(`${row.expected.prefix(server.url, operation, specServer)}${operation.path}`);
      }
      expect(sent.light).toBe(sent.sdk);
    });
  });

  describe('request body × operation: sent in the media type the spec declares', () => {
    const withBody = api.operations.filter((operation) => operation.body !== undefined);
    it.each(withBody.map((operation) => ({ operation, title: `${operation.requestMediaType} × ${operation.operationId}${operation.requestMediaType === FORM ? ' (issue input 4)' : ''}` })))('$title', async ({ operation }) => {
      for (const kind of kinds) {
        server.answerWith({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(operation.successBody) }, 'media');
        const client = createClientOf(kind, api, { baseUrl: server.url, auth: authFor(api, server.url), retry: false });
        const settled = await settle(() => callOperation(kind, api, client, operation));
        expect(outcomeClass(settled), kind).toBe('data');
        expect(server.received).toHaveLength(1);
        const received = server.received[0]!;
        expect(received.contentType?.split(';')[0], kind).toBe(operation.requestMediaType);
        const sentBody = operation.requestMediaType === FORM ? Object.fromEntries(new URLSearchParams(received.body)) : JSON.parse(received.body);
        const documented = operation.requestMediaType === FORM ? Object.fromEntries(Object.entries(operation.body as object).map(([name, value]) => [name, String(value)])) : operation.body;
        expect(sentBody, kind).toEqual(documented);
      }
    });
  });
});

describe('the table', () => {
  it('covers every API of the registry and every operation of each', () => {
    expect(apis.length).toBeGreaterThanOrEqual(1);
    for (const api of apis) expect(api.operations.map((operation) => operation.operationId)).toEqual(api.definition.operations.map((operation) => operation.operationId));
  });
});
