import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CarrierAuthError } from '@carrier-api/runtime';
import { loadBundledSpec } from '@carrier-api/specs';
import { CheckFailed, CheckSkipped, checkKinds, deriveChecks, freshKey, kindOfCase, type CheckContext, type CheckKind } from './behaviour.js';
import type { ContractCase, ContractSuite } from './cases.js';
import { capabilitySkip, readCapabilities } from './capabilities.js';
import { createResponseChecker, type ContractFailure } from './check.js';
import { createSender, evaluate, type Answer, type OutgoingRequest } from './http.js';
import { acceptedCredentials, assertCredentialsFit, ContractUsageError, createCredentialSource, type ContractCredentials } from './credentials.js';

/** Options of {@link runContractTests}. */
export interface RunContractTestsOptions {
  api: string;
  baseUrl: string;
  credentials?: ContractCredentials;
  /** Run only the checks whose id contains this text. */
  filter?: string;
  /** Per request. Default 30 s. */
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
  /** A suite and spec of your own instead of the shipped ones. */
  suite?: ContractSuite;
  document?: object;
  /** The kinds of checks to run (default: all). A server that only answers examples (the plain Prism mock) honours `['shape']`. */
  checks?: readonly CheckKind[];
  /** The test PIN of the server (`--pin`); the checks that need it are skipped without it. */
  pin?: string;
  /** Skip every check that changes state on a conforming server (`--read-only`). */
  readOnly?: boolean;
  /** At most this many requests per second (`--rate`); default unpaced. */
  rate?: number;
  /**
   * Headers added to every request, the token requests and the capabilities question included
   * (`--header`): `{ 'X-Sandbox-Session': id }` runs the checks in a session of a shared sandbox.
   * A check's own headers (credentials, Idempotency-Key) win over these.
   */
  headers?: Record<string, string>;
}

/** The outcome of one check: a shape case of the suite or a behaviour check. */
export interface CaseResult {
  id: string;
  operationId: string;
  /** shape, flow, idempotency, auth or negative. */
  kind: CheckKind;
  /** For a shape case: whether the suite's case is positive or negative. */
  caseKind?: ContractCase['kind'];
  name: string;
  /** The vendor sentence or spec element the check enforces. */
  enforces: string;
  outcome: 'passed' | 'failed' | 'skipped';
  /** Why it was skipped: `needs --pin`, `changes state (--read-only)`. */
  skipReason?: string;
  /** The status of the last answer. */
  status: number | undefined;
  durationMs: number;
  failures: ContractFailure[];
}

/** Passed, failed and skipped checks of one kind. */
export interface KindCounts {
  passed: number;
  failed: number;
  skipped: number;
}

/** The outcome of a run. */
export interface ContractReport {
  api: string;
  baseUrl: string;
  passed: number;
  failed: number;
  skipped: number;
  /** The counts per kind, in the order of {@link checkKinds}. */
  kinds: Record<CheckKind, KindCounts>;
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
 * Runs the API's checks against `baseUrl`: the suite's shape cases (each answer's status, headers,
 * content type and body against the spec), then the behaviour checks derived from the spec (flows
 * along its links, idempotency keys, credentials, documented 404/400/429).
 *
 * Each authenticated request gets its credentials just before it is sent: a login goes through the
 * runtime's `TokenManager` (cached token, else refresh grant, else password grant), so a run of any
 * length is never failed by its own expired token. An authenticated request refused with an
 * unexpected 401 is sent once more with a renewed token. Every loop is bounded; `rate` paces
 * requests.
 *
 * @throws {ContractUsageError} an unknown API, or credentials of a kind the API's spec does not take
 *   (e.g. a login for an API-key API), or a bad `rate`/`checks`; nothing has been sent then.
 * @throws {CarrierAuthError} the token endpoint refused the login (before the first check).
 */
export async function runContractTests(options: RunContractTestsOptions): Promise<ContractReport> {
  const suite = options.suite ?? loadSuite(options.api);
  const document = options.document ?? loadBundledSpec(options.api);
  assertCredentialsFit(options.api, document, options.credentials);
  if (options.rate !== undefined && !(options.rate > 0 && Number.isFinite(options.rate))) throw new ContractUsageError('--rate', 'positive number', `--rate must be a positive number of requests per second, got "${options.rate}"`);
  const unknownKind = (options.checks ?? []).find((kind) => !checkKinds.includes(kind));
  if (unknownKind) throw new ContractUsageError('--checks', 'known kind', `--checks takes ${checkKinds.join(', ')}, got "${unknownKind}"`);
  const kinds = new Set(options.checks ?? checkKinds);
  const baseUrl = options.baseUrl.replace(/\/$/, '');
  const checkResponse = createResponseChecker(document);
  const paths = operationPaths(document);
  const fetch = withHeaders(options.fetch ?? globalThis.fetch, options.headers);
  const credentials = createCredentialSource(options.credentials, baseUrl, fetch, acceptedCredentials(document).apiKeyHeader);
  const send = createSender({ baseUrl, fetch, credentials, timeoutMs: options.timeoutMs ?? 30_000, rate: options.rate });
  const selected = (id: string) => !options.filter || id.includes(options.filter);
  const shapeCases = suite.cases.filter((testCase) => kinds.has(kindOfCase(testCase)) && selected(testCase.id));
  const behaviour = deriveChecks(document, suite).filter((check) => kinds.has(check.kind) && selected(check.id));
  // A refused login fails here, once, rather than in every check.
  if (shapeCases.some((testCase) => testCase.authenticated) || behaviour.length > 0) {
    if (options.credentials) await credentials.headers();
  }

  const answerFailures = (operationId: string, method: string, statuses: string[], answer: Answer) =>
    checkResponse({ expect: { statuses } } as ContractCase, paths[operationId]!, method, answer.status, answer.headers, answer.text);
  const context: CheckContext = {
    send,
    pin: options.pin,
    async expect(step, operationId, request, statuses) {
      const answer = await send(request);
      context.conforms(step, operationId, request.method, answer, statuses);
      return answer;
    },
    conforms(step, operationId, method, answer, statuses) {
      const failures = answerFailures(operationId, method, statuses, answer);
      if (failures.length > 0) throw new CheckFailed(failures.map((failure) => ({ ...failure, message: `${step} (${operationId} ${answer.status}): ${failure.message}` })), answer.status);
    },
  };
  const skipReason = (needsPin: boolean, changesState: boolean) =>
    options.readOnly && changesState ? 'changes state (--read-only)' : needsPin && options.pin === undefined ? 'needs the test PIN (--pin)' : undefined;

  const results: CaseResult[] = [];
  const record = async (meta: Omit<CaseResult, 'outcome' | 'status' | 'durationMs' | 'failures' | 'skipReason'>, skip: string | undefined, run: () => Promise<number | undefined>) => {
    if (skip) return void results.push({ ...meta, outcome: 'skipped', skipReason: skip, status: undefined, durationMs: 0, failures: [] });
    const started = performance.now();
    let status: number | undefined;
    let failures: ContractFailure[] = [];
    try {
      status = await run();
    } catch (error) {
      if (error instanceof CheckSkipped) return void results.push({ ...meta, outcome: 'skipped', skipReason: error.reason, status: undefined, durationMs: Math.round(performance.now() - started), failures: [] });
      failures =
        error instanceof CheckFailed
          ? error.failures
          : [{ rule: error instanceof CarrierAuthError ? 'credentials' : 'network', pointer: '#/', message: error instanceof Error ? error.message : String(error) }];
      if (error instanceof CheckFailed) status = error.status;
    }
    results.push({ ...meta, outcome: failures.length > 0 ? 'failed' : 'passed', status, durationMs: Math.round(performance.now() - started), failures });
  };

  for (const testCase of shapeCases) {
    const needsPin = (testCase.uses ?? []).some((input) => input.option === 'pin');
    const meta = { id: testCase.id, operationId: testCase.operationId, kind: kindOfCase(testCase), caseKind: testCase.kind, name: testCase.name, enforces: testCase.enforces ?? `${paths[testCase.operationId]} ${testCase.request.method}` };
    await record(meta, skipReason(needsPin, testCase.changesState === true), async () => {
      const request = await resolveInputs(testCase, suite, paths, context);
      const answer = await send({ ...request, auth: testCase.authenticated ? 'given' : 'none' });
      const failures = answerFailures(testCase.operationId, testCase.request.method, testCase.expect.statuses, answer);
      if (failures.length > 0) throw new CheckFailed(failures, answer.status);
      return answer.status;
    });
  }
  // A mock of ours says what it checks and keeps; a check it cannot be expected to honour is skipped, saying why.
  const capabilities = behaviour.length > 0 ? await readCapabilities(send, options.api) : undefined;
  for (const check of behaviour) {
    const skip = skipReason(check.needsPin, check.changesState) ?? capabilitySkip(check, capabilities, document);
    await record({ id: check.id, operationId: check.operationId, kind: check.kind, name: check.name, enforces: check.enforces }, skip, () => check.run(context));
  }
  return summarize(options.api, baseUrl, results);
}

/** The counts of a list of results, in total and per kind. */
export function summarize(api: string, baseUrl: string, results: CaseResult[]): ContractReport {
  const kinds = Object.fromEntries(checkKinds.map((kind) => [kind, { passed: 0, failed: 0, skipped: 0 }])) as Record<CheckKind, KindCounts>;
  for (const result of results) kinds[result.kind][result.outcome]++;
  const count = (outcome: CaseResult['outcome']) => results.filter((result) => result.outcome === outcome).length;
  return { api, baseUrl, passed: count('passed'), failed: count('failed'), skipped: count('skipped'), kinds, results };
}

/**
 * The request of a case with its `uses` filled: the source case is sent (its answer must be a
 * documented 2xx) and the value read from its answer, or taken from the run's options.
 */
async function resolveInputs(testCase: ContractCase, suite: ContractSuite, paths: Record<string, string>, context: CheckContext): Promise<OutgoingRequest> {
  // "Unique key for this request": each request gets its own Idempotency-Key, not the spec's example.
  const request: OutgoingRequest = { ...testCase.request, query: { ...testCase.request.query }, headers: freshKey(testCase.request.headers) };
  const pathValues = { ...testCase.request.pathParameters };
  let body = testCase.request.body;
  for (const input of testCase.uses ?? []) {
    let value: unknown;
    if (input.option === 'pin') value = context.pin;
    else {
      const source = suite.cases.find((candidate) => candidate.id === input.fromCase);
      if (!source) throw new CheckFailed([{ rule: 'input', pointer: '#/', message: `${input.target} comes from case ${input.fromCase}, which the suite lacks` }]);
      const sourceRequest = await resolveInputs(source, suite, paths, context);
      const answer = await context.expect(`${input.target} from ${source.id}`, source.operationId, { ...sourceRequest, auth: source.authenticated ? 'given' : 'none' }, source.expect.statuses.filter((status) => status.startsWith('2')));
      value = evaluate(input.expression!, answer);
      if (value === undefined) throw new CheckFailed([{ rule: 'input', pointer: input.via, message: `${source.id} answered no value at ${input.expression} for ${input.target}` }]);
    }
    const [where, name] = input.target.split(/:(.*)/s) as [string, string];
    if (where === 'path') pathValues[name] = String(value);
    else if (where === 'query') request.query![name] = String(value);
    else if (where === 'header') request.headers![name] = String(value);
    else if (where === 'body' && body !== null && typeof body === 'object') body = { ...(body as object), [name]: value };
  }
  request.body = body;
  if (testCase.request.pathParameters) {
    request.path = paths[testCase.operationId]!.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(pathValues[name] ?? ''));
  }
  return request;
}

/** operationId → path template, to find each case's documented responses. */
function operationPaths(document: object): Record<string, string> {
  const paths: Record<string, string> = {};
  for (const [path, item] of Object.entries((document as { paths: Record<string, Record<string, { operationId?: string }>> }).paths)) {
    for (const operation of Object.values(item)) if (operation?.operationId) paths[operation.operationId] = path;
  }
  return paths;
}

/** `fetch` with `headers` under every request's own (its own win). */
function withHeaders(fetch: typeof globalThis.fetch, headers: Record<string, string> | undefined): typeof globalThis.fetch {
  if (!headers || Object.keys(headers).length === 0) return fetch;
  return (input, init) => {
    const merged = new Headers(headers);
    new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined)).forEach((value, name) => merged.set(name, value));
    return fetch(input, { ...init, headers: merged });
  };
}
