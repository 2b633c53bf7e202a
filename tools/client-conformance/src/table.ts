import type { ParseFailure } from '@carrier-api/runtime';
import type { OperationCase } from './operations.ts';
import { LOGIN_PAGE_PATH, type Answer } from './server.ts';

/**
 * The secret the table's clients hold (password, API key): an answer may echo it, and no error
 * may show it.
 */
export const SECRET = 'conformance-secret-Pa55word-4f2a9c';

/** The bound of a response body the table's clients are given (bytes); the oversized rows exceed it. */
export const MAX_RESPONSE_BYTES = 64 * 1024;

/** What a row expects, the same for the light client and the SDK. */
export type Expected =
  /** The documented data: the light client resolves with the body as sent (the SDK with its model of it). */
  | 'data'
  | { error: 'CarrierParseError'; reason: ParseFailure }
  | { error: 'CarrierResponseValidationError' }
  | { error: 'CarrierApiError'; status: number }
  | { error: 'CarrierValidationError'; field: string };

/** A row of (server answer × every operation). `answer` may depend on the operation (its example). */
export interface AnswerRow {
  id: string;
  answer: Answer | ((operation: OperationCase) => Answer);
  /** Client options of this row: `validate` turns on validateResponses with @carrier-api/schema-validator. */
  validate?: boolean;
  expected: Expected;
}

const json = { 'content-type': 'application/json' };
const example = (operation: OperationCase) => JSON.stringify(operation.successBody);
/** A valid JSON document of about `bytes` bytes. */
const bigJson = (bytes: number) => JSON.stringify({ filler: 'x'.repeat(bytes) });
const parse = (reason: ParseFailure): Expected => ({ error: 'CarrierParseError', reason });
const api = (status: number): Expected => ({ error: 'CarrierApiError', status });

/** (server answer × operation): each row runs against every operation of every API, light client and SDK. */
export const answerRows: AnswerRow[] = [
  { id: 'documented 200 with the example body', answer: (op) => ({ status: 200, headers: json, body: example(op) }), expected: 'data' },
  { id: 'undocumented 2xx (201) with the example body', answer: (op) => ({ status: 201, headers: json, body: example(op) }), expected: 'data' },
  { id: 'JSON labelled text/plain', answer: (op) => ({ status: 200, headers: { 'content-type': 'text/plain' }, body: example(op) }), expected: 'data' },
  { id: 'JSON without a content type', answer: (op) => ({ status: 200, body: example(op) }), expected: 'data' },
  { id: 'JSON after a byte order mark', answer: (op) => ({ status: 200, headers: json, body: `\uFEFF${example(op)}` }), expected: 'data' },
  { id: 'issue input 1: 200 with Content-Length: 0', answer: { status: 200, headers: { ...json, 'content-length': '0' } }, expected: parse('empty') },
  { id: 'issue input 1: empty chunked 200', answer: { status: 200, headers: { ...json, 'transfer-encoding': 'chunked' } }, expected: parse('empty') },
  { id: 'issue input 1: 204', answer: { status: 204 }, expected: parse('empty') },
  { id: '200 with only whitespace', answer: { status: 200, headers: json, body: ' \n ' }, expected: parse('empty') },
  { id: 'issue input 2: 200 text/html portal page', answer: { status: 200, headers: { 'content-type': 'text/html' }, body: '<!doctype html><html><head><title>Operator portal</title></head><body>Sign in</body></html>' }, expected: parse('not-json') },
  { id: '200 HTML page echoing the secret, longer than the excerpt', answer: { status: 200, headers: { 'content-type': 'text/html' }, body: `<html>${'<p>proxy</p>'.repeat(40)}${SECRET}${'<p>proxy</p>'.repeat(40)}</html>` }, expected: parse('not-json') },
  { id: 'truncated JSON document', answer: (op) => ({ status: 200, headers: json, body: example(op).slice(0, Math.max(1, Math.floor(example(op).length / 2))) }), expected: parse('not-json') },
  { id: 'JSON cut off by the connection', answer: (op) => ({ status: 200, headers: json, body: example(op), cutAfterBytes: Math.floor(example(op).length / 2) }), expected: parse('interrupted') },
  { id: 'oversized JSON with Content-Length', answer: { status: 200, headers: json, body: bigJson(2 * MAX_RESPONSE_BYTES) }, expected: parse('too-large') },
  { id: 'oversized JSON, chunked', answer: { status: 200, headers: { ...json, 'transfer-encoding': 'chunked' }, body: bigJson(2 * MAX_RESPONSE_BYTES) }, expected: parse('too-large') },
  { id: 'off-schema 2xx, returned as is (default)', answer: { status: 200, headers: json, body: '"an unexpected string"' }, expected: 'data' },
  { id: 'off-schema 2xx object, returned as is (default)', answer: { status: 200, headers: json, body: '{"unexpected":{"nested":[1,2,3]}}' }, expected: 'data' },
  { id: 'off-schema 2xx, validateResponses on', answer: { status: 200, headers: json, body: '"an unexpected string"' }, validate: true, expected: { error: 'CarrierResponseValidationError' } },
  { id: 'documented 200, validateResponses on', answer: (op) => ({ status: 200, headers: json, body: example(op) }), validate: true, expected: 'data' },
  { id: '302 to an operator login page', answer: { status: 302, headers: { location: LOGIN_PAGE_PATH } }, expected: parse('not-json') },
  { id: '302 without a Location', answer: { status: 302, headers: { 'content-type': 'text/html' }, body: '<html>moved</html>' }, expected: api(302) },
  { id: '304 without a body', answer: { status: 304 }, expected: api(304) },
  { id: '400 vendor error body', answer: { status: 400, headers: json, body: '{"code":"INVALID","message":"bad request"}' }, expected: api(400) },
  { id: '404 empty', answer: { status: 404, headers: { 'content-length': '0' } }, expected: api(404) },
  { id: '500 HTML page', answer: { status: 500, headers: { 'content-type': 'text/html' }, body: '<html><body>Internal error</body></html>' }, expected: api(500) },
  { id: '502 truncated JSON', answer: { status: 502, headers: json, body: '{"code":"BAD_GATEWAY","mess' }, expected: api(502) },
  { id: '503 oversized body', answer: { status: 503, headers: { 'content-type': 'text/html' }, body: `<html>${'x'.repeat(2 * MAX_RESPONSE_BYTES)}</html>` }, expected: parse('too-large') },
];

/** A row of (base URL × every operation): where the request must go. */
export interface BaseUrlRow {
  id: string;
  /** The `baseUrl` option given, from the loopback server's origin; undefined: none (the spec's servers). */
  baseUrl: (server: string) => string | undefined;
  /** The URL prefix the request must have (the operation's path follows it), or the error the factory throws. */
  expected: { prefix: (server: string, operation: OperationCase, specServer: string) => string } | { error: 'CarrierValidationError'; field: string };
}

/** (base URL × operation). */
export const baseUrlRows: BaseUrlRow[] = [
  { id: 'origin without a trailing slash', baseUrl: (server) => server, expected: { prefix: (server) => server } },
  { id: 'issue input 3: origin with a trailing slash', baseUrl: (server) => `${server}/`, expected: { prefix: (server) => server } },
  { id: 'origin with two trailing slashes', baseUrl: (server) => `${server}//`, expected: { prefix: (server) => server } },
  { id: 'path prefix with a trailing slash', baseUrl: (server) => `${server}/centili/`, expected: { prefix: (server) => `${server}/centili` } },
  { id: 'path prefix without a trailing slash', baseUrl: (server) => `${server}/gateway/centili`, expected: { prefix: (server) => `${server}/gateway/centili` } },
  { id: 'none: the spec servers, an operation or path server first', baseUrl: () => undefined, expected: { prefix: (_, operation, specServer) => (operation.serverUrl ?? specServer).replace(/\/+$/, '') } },
  { id: 'not an absolute URL', baseUrl: () => 'gateway.example/centili/', expected: { error: 'CarrierValidationError', field: 'baseUrl' } },
  { id: 'a query in the base URL', baseUrl: (server) => `${server}/?tenant=1`, expected: { error: 'CarrierValidationError', field: 'baseUrl' } },
];
