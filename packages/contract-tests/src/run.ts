import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBundledSpec } from '@carrier-api/specs';
import type { ContractCase, ContractSuite } from './cases.js';
import { createResponseChecker, type ContractFailure } from './check.js';
import { credentialHeaders, type ContractCredentials } from './credentials.js';

export interface RunContractTestsOptions {
  api: string;
  baseUrl: string;
  credentials?: ContractCredentials;
  /** Run only the cases whose id contains this text. */
  filter?: string;
  /** Per request. Default 30 s. */
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
  /** A suite and spec of your own instead of the shipped ones. */
  suite?: ContractSuite;
  document?: object;
}

export interface CaseResult {
  id: string;
  operationId: string;
  kind: ContractCase['kind'];
  name: string;
  status: number | undefined;
  durationMs: number;
  failures: ContractFailure[];
}

export interface ContractReport {
  api: string;
  baseUrl: string;
  passed: number;
  failed: number;
  results: CaseResult[];
}

const casesDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'cases');

/** The generated suite of an API (cases/<api>.json in this package). */
export function loadSuite(api: string): ContractSuite {
  try {
    return JSON.parse(readFileSync(join(casesDir, `${api}.json`), 'utf8')) as ContractSuite;
  } catch {
    throw new Error(`No contract suite for "${api}" in ${casesDir}.`);
  }
}

/** Sends every case to `baseUrl` and checks each answer against the contract. */
export async function runContractTests(options: RunContractTestsOptions): Promise<ContractReport> {
  const suite = options.suite ?? loadSuite(options.api);
  const document = options.document ?? loadBundledSpec(options.api);
  const send = options.fetch ?? globalThis.fetch;
  const baseUrl = options.baseUrl.replace(/\/$/, '');
  const checkResponse = createResponseChecker(document);
  const paths = operationPaths(document);
  const auth = await credentialHeaders(options.credentials, baseUrl, send);

  const results: CaseResult[] = [];
  for (const testCase of suite.cases.filter((candidate) => !options.filter || candidate.id.includes(options.filter))) {
    const started = performance.now();
    const { request } = testCase;
    const url = new URL(`${baseUrl}${request.path}`);
    for (const [name, value] of Object.entries(request.query)) url.searchParams.set(name, value);
    const headers: Record<string, string> = { Accept: 'application/json', ...request.headers, ...(testCase.authenticated ? auth : {}) };
    let body: string | undefined;
    if (request.body !== undefined) {
      headers['Content-Type'] = request.contentType ?? 'application/json';
      body = headers['Content-Type'] === 'application/x-www-form-urlencoded' ? new URLSearchParams(request.body as Record<string, string>).toString() : JSON.stringify(request.body);
    }
    let failures: ContractFailure[];
    let status: number | undefined;
    try {
      const response = await send(url, { method: request.method, headers, body, signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
      status = response.status;
      failures = checkResponse(testCase, paths[testCase.operationId]!, request.method, response.status, response.headers, await response.text());
    } catch (error) {
      failures = [{ rule: 'network', pointer: '#/', message: error instanceof Error ? error.message : String(error) }];
    }
    results.push({ id: testCase.id, operationId: testCase.operationId, kind: testCase.kind, name: testCase.name, status, durationMs: Math.round(performance.now() - started), failures });
  }
  const failed = results.filter((result) => result.failures.length > 0).length;
  return { api: options.api, baseUrl, passed: results.length - failed, failed, results };
}

/** operationId → path template, to find each case's documented responses. */
function operationPaths(document: object): Record<string, string> {
  const paths: Record<string, string> = {};
  for (const [path, item] of Object.entries((document as { paths: Record<string, Record<string, { operationId?: string }>> }).paths)) {
    for (const operation of Object.values(item)) if (operation?.operationId) paths[operation.operationId] = path;
  }
  return paths;
}
