import { fileURLToPath } from 'node:url';
import { createLogger } from '@stoplight/prism-core';
import { createInstance, getHttpOperationsFromSpec, type IHttpConfig, type IHttpRequest, type ProblemJsonError } from '@stoplight/prism-http';
import type { IHttpOperation } from '@stoplight/types';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileOperation, MockProblem, type EngineRequest } from '../src/engine/index.js';

/**
 * The engine against Prism 5.12 itself, on a spec that uses what the carrier specs do not (every
 * security scheme type, alternatives and combined requirements, parameter styles, deprecated
 * parameters, readOnly/writeOnly, allOf, nullable, status ranges and `default`, response headers,
 * form bodies with encodings, schemas without examples): for every row, the same status, headers,
 * body and violations, or the same failure. The golden answers (answers.test.ts) hold the engine to
 * the carrier specs; this table holds it to Prism's rules beyond them.
 */
const fixture = fileURLToPath(new URL('./fixtures/engine/openapi.yaml', import.meta.url));
const config: IHttpConfig = { isProxy: false, validateRequest: true, validateResponse: true, checkSecurity: true, errors: false, upstreamProxy: undefined, mock: { dynamic: false } };

interface Row {
  name: string;
  operationId: string;
  method: IHttpRequest['method'];
  path: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  body?: unknown;
  prefer?: { code?: number; exampleKey?: string };
  /**
   * Prism throws (its simple-style deserialiser splits a header that was not sent: a 500 for a
   * valid request); the engine takes the parameter as absent. The one place it departs from Prism.
   */
  prismCrashes?: boolean;
}

const bearer = { authorization: 'Bearer t', 'x-trace': 'abcd-1' };
const json = { 'content-type': 'application/json', 'content-length': '20' };
const form = { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '20' };
const rows: Row[] = [
  { name: 'valid', operationId: 'withBearer', method: 'get', path: '/bearer/7', headers: bearer },
  { name: 'no credentials', operationId: 'withBearer', method: 'get', path: '/bearer/7', headers: { 'x-trace': 'abcd-1' } },
  { name: 'basic instead of bearer', operationId: 'withBearer', method: 'get', path: '/bearer/7', headers: { authorization: 'Basic dTpw', 'x-trace': 'abcd-1' } },
  { name: 'a path id below its minimum and not a number', operationId: 'withBearer', method: 'get', path: '/bearer/0', headers: bearer },
  { name: 'a path id that is text', operationId: 'withBearer', method: 'get', path: '/bearer/seven', headers: bearer },
  { name: 'exploded array outside its enum', operationId: 'withBearer', method: 'get', path: '/bearer/7', query: { tags: ['a', 'z'] }, headers: bearer },
  { name: 'a comma list of integers with a word', operationId: 'withBearer', method: 'get', path: '/bearer/7', query: { csv: '1,2,x' }, headers: bearer },
  { name: 'pipe delimited', operationId: 'withBearer', method: 'get', path: '/bearer/7', query: { piped: 'a|b' }, headers: bearer },
  { name: 'deepObject over its maximum, a bad date', operationId: 'withBearer', method: 'get', path: '/bearer/7', query: { 'filter[limit]': '11', 'filter[from]': 'yesterday' }, headers: bearer },
  { name: 'a deprecated parameter', operationId: 'withBearer', method: 'get', path: '/bearer/7', query: { old: 'x' }, headers: bearer },
  { name: 'a header against its pattern', operationId: 'withBearer', method: 'get', path: '/bearer/7', headers: { authorization: 'Bearer t', 'x-trace': 'NO!' } },
  { name: 'a list of booleans with a word', operationId: 'withArrayHeader', method: 'get', path: '/flags', headers: { 'x-flags': 'true,maybe' } },
  { name: 'a list of booleans', operationId: 'withArrayHeader', method: 'get', path: '/flags', headers: { 'x-flags': 'true,false' } },
  { name: 'the optional list header left out', operationId: 'withArrayHeader', method: 'get', path: '/flags', prismCrashes: true },
  { name: 'the required header missing', operationId: 'withBearer', method: 'get', path: '/bearer/7', headers: { authorization: 'Bearer t' } },
  { name: 'Prefer the second example', operationId: 'withBearer', method: 'get', path: '/bearer/7', headers: bearer, prefer: { exampleKey: 'second' } },
  { name: 'Prefer a 4XX status', operationId: 'withBearer', method: 'get', path: '/bearer/7', headers: bearer, prefer: { code: 404 } },
  { name: 'Prefer a status only default has', operationId: 'withBearer', method: 'get', path: '/bearer/7', headers: bearer, prefer: { code: 503 } },
  { name: 'Accept problem json for the valid request', operationId: 'withBearer', method: 'get', path: '/bearer/7', headers: { ...bearer, accept: 'application/problem+json' } },
  { name: 'basic, valid body', operationId: 'withBasic', method: 'post', path: '/basic', headers: { authorization: 'Basic dTpw', ...json }, body: { name: 'n', amount: 1 } },
  { name: 'basic without a colon', operationId: 'withBasic', method: 'post', path: '/basic', headers: { authorization: 'Basic dXNlcg==', ...json }, body: { name: 'n', amount: 1 } },
  { name: 'readOnly id sent, amount zero, note too long, an extra field', operationId: 'withBasic', method: 'post', path: '/basic', headers: { authorization: 'Basic dTpw', ...json }, body: { id: 3, name: 'n', amount: 0, note: 'too long', extra: true } },
  { name: 'a null note', operationId: 'withBasic', method: 'post', path: '/basic', headers: { authorization: 'Basic dTpw', ...json }, body: { name: 'n', amount: 2, note: null } },
  { name: 'no body', operationId: 'withBasic', method: 'post', path: '/basic', headers: { authorization: 'Basic dTpw' } },
  { name: 'a text body', operationId: 'withBasic', method: 'post', path: '/basic', headers: { authorization: 'Basic dTpw', 'content-type': 'text/plain', 'content-length': '5' }, body: 'hello' },
  { name: 'an XML body', operationId: 'withBasic', method: 'post', path: '/basic', headers: { authorization: 'Basic dTpw', 'content-type': 'application/xml', 'content-length': '5' }, body: '<a/>' },
  { name: 'the query key', operationId: 'withKeys', method: 'put', path: '/keys', query: { api_key: 'k' }, headers: form, body: 'name=ab&count=3' },
  { name: 'cookie and header keys together', operationId: 'withKeys', method: 'put', path: '/keys', headers: { cookie: 'a=1; session=s', 'x-key': 'k', ...form }, body: 'name=ab' },
  { name: 'the cookie key without the header key', operationId: 'withKeys', method: 'put', path: '/keys', headers: { cookie: 'session=s', ...form }, body: 'name=ab' },
  { name: 'a form with reserved characters, a short name, a bad count, a list and an object', operationId: 'withKeys', method: 'put', path: '/keys', query: { api_key: 'k' }, headers: form, body: 'name=a%2Fb&count=x&list=a,b&obj[k]=v' },
  { name: 'a form name of one letter', operationId: 'withKeys', method: 'put', path: '/keys', query: { api_key: 'k' }, headers: form, body: 'name=a+b&count=1' },
  { name: 'open, generated from the schema', operationId: 'withoutSecurity', method: 'get', path: '/open' },
  { name: 'open, as CSV', operationId: 'withoutSecurity', method: 'get', path: '/open', headers: { accept: 'text/csv' } },
  { name: 'open, with an Authorization header anyway', operationId: 'withoutSecurity', method: 'get', path: '/open', headers: { authorization: 'Bearer t' } },
  { name: 'deprecated operation, no credentials (the {} alternative)', operationId: 'deprecatedOne', method: 'delete', path: '/open' },
  { name: 'deprecated operation, OAuth2 token', operationId: 'deprecatedOne', method: 'delete', path: '/open', headers: { authorization: 'Bearer t' } },
  { name: 'deprecated operation, a Basic header', operationId: 'deprecatedOne', method: 'delete', path: '/open', headers: { authorization: 'Basic dTpw' } },
  { name: 'digest, well-formed', operationId: 'withDigest', method: 'get', path: '/digest', headers: { authorization: 'Digest username="u", realm="r", nonce="n", uri="u", response="r"' } },
  { name: 'digest, missing parts (hoba is not supported)', operationId: 'withDigest', method: 'get', path: '/digest', headers: { authorization: 'Digest username="u"' } },
];

describe('the engine answers as Prism 5.12 does', () => {
  let operations: IHttpOperation[];
  const prism = createInstance(config, { logger: createLogger('parity', { level: 'silent' }) });
  beforeAll(async () => {
    operations = await getHttpOperationsFromSpec(fixture);
  });

  it.each(rows)('$operationId: $name', async (row) => {
    const operation = operations.find((candidate) => candidate.iid === row.operationId)!;
    const headers = row.headers ?? {};
    const asked = (async () => prism.request({ method: row.method, url: { path: row.path, query: row.query ?? {} }, headers, body: row.body }, operations, { ...config, mock: { dynamic: false, ...row.prefer } } as IHttpConfig)())();
    const request: EngineRequest = { path: row.path, query: row.query ?? {}, headers, body: row.body };
    const ours = compileOperation(operation).mock(request, { ...row.prefer, ...(headers.accept ? { accept: headers.accept } : {}) });
    if (row.prismCrashes) {
      await expect(asked).rejects.toThrow(TypeError);
      expect(ours).not.toBeInstanceOf(Error);
      expect(ours instanceof Error ? undefined : ours.output.status).toBe(200);
      return;
    }
    const theirs = await asked;
    if (theirs._tag === 'Left') {
      const problem = theirs.left as ProblemJsonError;
      expect(ours, 'Prism fails; the engine must too').toBeInstanceOf(Error);
      const error = ours as MockProblem;
      expect({ status: error.status ?? 500, detail: error.detail ?? error.message, headers: error.headers ?? {} }).toEqual({ status: problem.status ?? 500, detail: problem.detail || problem.message, headers: problem.additional?.headers ?? {} });
      return;
    }
    expect(ours).not.toBeInstanceOf(Error);
    if (ours instanceof Error) return;
    const { output, validations } = theirs.right;
    expect({ status: ours.output.status, headers: ours.output.headers, body: ours.output.body }).toEqual({ status: output.statusCode, headers: output.headers, body: output.body });
    const shape = (violation: { path?: unknown; code?: unknown; message: string; severity: number }) => ({ path: violation.path, code: violation.code, message: violation.message, severity: violation.severity });
    expect(ours.input.map(shape)).toEqual(validations.input.map(shape));
    expect(ours.output.violations.map(shape)).toEqual(validations.output.map(shape));
  });
});
