import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CarrierAuthError } from '@carrier-api/runtime';
import { loadBundledSpec } from '@carrier-api/specs';
import type { ContractCase, ContractSuite } from './cases.js';
import { createResponseChecker, type ContractFailure } from './check.js';
import { acceptedCredentials, assertCredentialsFit, ContractUsageError, createCredentialSource, type ContractCredentials } from './credentials.js';

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

/**
 * The generated suite of an API (cases/<api>.json in this package).
 *
 * @throws {ContractUsageError} field `--api`, rule `known API`, when this package has no suite of that name.
 */
export function loadSuite(api: string): ContractSuite {
  let text: string;
  try {
    text = readFileSync(join(casesDir, `${api}.json`), 'utf8');
  } catch {
    const known = existsSync(casesDir) ? readdirSync(casesDir).filter((name) => name.endsWith('.json')).map((name) => name.slice(0, -'.json'.length)) : [];
    throw new ContractUsageError('--api', 'known API', `no contract suite for "${api}"; known: ${known.join(', ') || `none in ${casesDir}`}`);
  }
  return JSON.parse(text) as ContractSuite;
}

/**
 * Sends every case to `baseUrl` and checks each answer against the contract.
 *
 * Each authenticated request gets its credentials just before it is sent: a login goes through the
 * runtime's `TokenManager` (cached token, else refresh grant, else password grant), so a run of any
 * length is never failed by its own expired token. An authenticated request refused with an
 * unexpected 401 is sent once more with a renewed token.
 *
 * @throws {ContractUsageError} an unknown API, or credentials of a kind the API's spec does not take
 *   (e.g. a login for an API-key API); nothing has been sent then.
 * @throws {CarrierAuthError} the token endpoint refused the login (before the first case).
 */
export async function runContractTests(options: RunContractTestsOptions): Promise<ContractReport> {
  const suite = options.suite ?? loadSuite(options.api);
  const document = options.document ?? loadBundledSpec(options.api);
  assertCredentialsFit(options.api, document, options.credentials);
  const send = options.fetch ?? globalThis.fetch;
  const baseUrl = options.baseUrl.replace(/\/$/, '');
  const checkResponse = createResponseChecker(document);
  const paths = operationPaths(document);
  const credentials = createCredentialSource(options.credentials, baseUrl, send, acceptedCredentials(document).apiKeyHeader);
  const selected = suite.cases.filter((candidate) => !options.filter || candidate.id.includes(options.filter));
  // A refused login fails here, once, rather than in every case.
  if (selected.some((testCase) => testCase.authenticated)) await credentials.headers();

  const results: CaseResult[] = [];
  for (const testCase of selected) {
    const started = performance.now();
    const { request } = testCase;
    const url = new URL(`${baseUrl}${request.path}`);
    for (const [name, value] of Object.entries(request.query)) url.searchParams.set(name, value);
    const headers: Record<string, string> = { Accept: 'application/json', ...request.headers };
    let body: string | undefined;
    if (request.body !== undefined) {
      headers['Content-Type'] = request.contentType ?? 'application/json';
      body = headers['Content-Type'] === 'application/x-www-form-urlencoded' ? new URLSearchParams(request.body as Record<string, string>).toString() : JSON.stringify(request.body);
    }
    let failures: ContractFailure[];
    let status: number | undefined;
    try {
      const sendOnce = async () => {
        const auth = testCase.authenticated ? await credentials.headers() : {};
        const response = await send(url, { method: request.method, headers: { ...headers, ...auth }, body, signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
        return { response, auth };
      };
      let attempt = await sendOnce();
      // At most one retry: a token the server refused although it was fresh here (clock skew).
      if (attempt.response.status === 401 && testCase.authenticated && !testCase.expect.statuses.includes('401') && credentials.refused(attempt.auth)) {
        await attempt.response.body?.cancel();
        attempt = await sendOnce();
      }
      const { response } = attempt;
      status = response.status;
      failures = checkResponse(testCase, paths[testCase.operationId]!, request.method, response.status, response.headers, await response.text());
    } catch (error) {
      failures = [{ rule: error instanceof CarrierAuthError ? 'credentials' : 'network', pointer: '#/', message: error instanceof Error ? error.message : String(error) }];
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
