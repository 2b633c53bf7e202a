import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '@carrier-api/mock';
import { listBundledApis } from '@carrier-api/specs';
import { formatReport, loadSuite, runContractTests, type ContractCredentials } from '../src/index.js';

let mock: RunningMock;
beforeAll(async () => {
  mock = await startMock();
});
afterAll(() => mock.close());

const credentialsFor = (api: string): ContractCredentials =>
  api.startsWith('mtn-') ? { apiKey: 'contract-key' } : { username: 'merchant', password: 's3cret', clientId: 'contract' };

describe('the generated suites against the Prism mock', () => {
  // The plain mock answers examples: it honours the shape checks and the missing-credentials ones,
  // not the behaviour checks (it takes any token, keeps no state): those run against the sandbox (behaviour.test.ts).
  it.each(listBundledApis().map((api) => api.name))('%s honours its contract', async (api) => {
    const report = await runContractTests({ api, baseUrl: mock.urls[api]!, credentials: credentialsFor(api), checks: ['shape'], pin: '1234' });
    expect(report.results.filter((result) => result.outcome === 'failed').map((result) => formatReport({ ...report, results: [result] }, 'pretty'))).toEqual([]);
    expect(report.failed).toBe(0);
    expect(report.skipped).toBe(0);
    const kinds = new Set(report.results.map((result) => result.caseKind));
    expect(kinds).toEqual(new Set(['positive', 'negative']));
    // Every operation of the spec is exercised.
    const operations = new Set(report.results.map((result) => result.operationId));
    expect(operations.size).toBe(new Set(loadSuite(api).cases.map((c) => c.operationId)).size);
    const missingCredentials = await runContractTests({ api, baseUrl: mock.urls[api]!, credentials: credentialsFor(api), checks: ['auth'], filter: '/negative/missing-credentials' });
    expect(missingCredentials.kinds.auth.passed).toBeGreaterThan(0);
    expect(missingCredentials.failed).toBe(0);
  });

  it('takes ids from earlier answers: a transaction id from startTransaction, a refresh token from the password grant', async () => {
    const report = await runContractTests({ api: 'centili-payments', baseUrl: mock.urls['centili-payments']!, credentials: credentialsFor('centili-payments'), checks: ['shape'], pin: '1234' });
    expect(report.results.find((result) => result.id === 'getTransaction/positive/documented-parameters')).toMatchObject({ outcome: 'passed', status: 200 });
    const suite = loadSuite('centili-payments');
    expect(suite.cases.find((c) => c.id === 'getTransaction/positive/documented-parameters')!.uses).toEqual([
      { target: 'path:transactionId', fromCase: 'startTransaction/positive/example-documented', expression: '$response.body#/transactionId', via: '#/paths/~1auth~1transactions/post/responses/200/links/getTransaction' },
    ]);
    expect(suite.cases.find((c) => c.id === 'createToken/positive/example-refreshtoken')!.uses![0]).toMatchObject({ target: 'body:refresh_token', fromCase: 'createToken/positive/example-password' });
  });
});

/**
 * A server that breaks the contract: it forwards to the mock, but turns `operatorCode` into a number in the
 * packages it returns and answers a request without credentials with 200. It is not one of our
 * mocks: it states no capabilities (the mock's /__admin/ is not passed on), so every check runs.
 */
async function startBrokenServer(upstream: string): Promise<{ url: string; server: Server }> {
  const server = createServer(async (req, res) => {
    if (req.url!.startsWith('/__admin/')) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
      return;
    }
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => name !== 'host' && name !== 'content-length')) as Record<string, string>;
    if (!headers.authorization && req.url!.startsWith('/payments/')) headers.authorization = 'Bearer forged';
    const answer = await fetch(`${upstream}${req.url}`, { method: req.method, headers });
    let text = await answer.text();
    if (answer.status === 200 && req.url!.startsWith('/payments/v3/services/packages?')) {
      text = JSON.stringify((JSON.parse(text) as Record<string, unknown>[]).map((item) => ({ ...item, operatorCode: 12345 })));
    }
    res.writeHead(answer.status, { 'Content-Type': answer.headers.get('content-type') ?? 'application/json' });
    res.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('a server that breaks the contract', () => {
  it('is caught, each failure naming the operation, the case, the JSON pointer and the rule', async () => {
    const broken = await startBrokenServer(mock.urls['centili-packages']!);
    try {
      const report = await runContractTests({ api: 'centili-packages', baseUrl: broken.url, credentials: { token: 't' }, checks: ['shape', 'auth'] });
      expect(report.failed).toBeGreaterThanOrEqual(2);
      const removedField = report.results.find((result) => result.id === 'getCountryPackages/positive/documented-parameters')!;
      expect(removedField.failures).toContainEqual({ rule: 'type', pointer: '/0/operatorCode', message: 'must be string' });
      const wrongStatus = report.results.find((result) => result.id === 'getCountryPackages/negative/missing-credentials')!;
      expect(wrongStatus.failures[0]).toEqual({ rule: 'expected-status', pointer: '#/status', message: 'expected 401, got 200' });

      const pretty = formatReport(report, 'pretty');
      expect(pretty).toContain("getCountryPackages › documented parameters (a lookup of the spec's example data: its 2xx, or the documented 404 when the server holds none): /0/operatorCode [type] must be string");
      expect(pretty).toMatch(/^shape: \d+ passed, [1-9]\d* failed, 0 skipped$/m);
      expect(pretty).toMatch(/^auth: \d+ passed, [1-9]\d* failed, 0 skipped$/m);
      expect(pretty).toMatch(/\d+ passed, [1-9]\d* failed, 0 skipped\n$/);
      const junit = formatReport(report, 'junit');
      expect(junit).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="carrier-contract" tests="\d+" failures="[1-9]\d*" skipped="0"/);
      expect(junit).toMatch(/<testsuite name="centili-packages shape" tests="\d+" failures="[1-9]\d*" skipped="0"/);
      expect(junit).toMatch(/<testsuite name="centili-packages auth" tests="\d+" failures="[1-9]\d*" skipped="0"/);
      expect(junit).toContain(`<failure message="must be string" type="type">`);
      expect(JSON.parse(formatReport(report, 'json'))).toMatchObject({ api: 'centili-packages', failed: report.failed, kinds: { shape: { failed: expect.any(Number) }, auth: { failed: expect.any(Number) } } });
    } finally {
      broken.server.close();
    }
  });

  it('reports a server that does not answer as a network failure, not a crash', async () => {
    const report = await runContractTests({ api: 'mtn-ng-data-gifting', baseUrl: 'http://127.0.0.1:9', credentials: { apiKey: 'k' }, filter: 'giftData/positive' });
    expect(report.results).toHaveLength(2);
    expect(report.results[0]!.failures[0]).toMatchObject({ rule: 'network' });
  });
});

describe('carrier-contract CLI', () => {
  const bin = join(import.meta.dirname, '..', 'bin', 'carrier-contract.js');
  const run = (args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [bin, ...args]);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('exit', (code) => resolve({ code, stdout, stderr }));
    });

  it('exits 0 and writes JUnit for a server that honours the contract', async () => {
    const result = await run(['--api', 'centili-payments', '--base-url', mock.urls['centili-payments']!, '--username', 'u', '--password', 'p', '--reporter', 'junit', '--checks', 'shape', '--pin', '1234', '--rate', '200']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/<testsuite name="centili-payments shape" tests="\d+" failures="0" skipped="0"/);
  });

  it('against the sandbox: every kind passes with --pin; --read-only without a PIN skips, says why, and exits 0', async () => {
    const sandbox = await startMock({ apis: ['centili-payments'], sandbox: { pin: '1234' } });
    try {
      const login = ['--api', 'centili-payments', '--base-url', sandbox.urls['centili-payments']!, '--username', 'u', '--password', 'p'];
      const full = await run([...login, '--pin', '1234', '--reporter', 'json']);
      expect(full.code, full.stderr).toBe(0);
      const report = JSON.parse(full.stdout) as { failed: number; skipped: number; kinds: Record<string, { passed: number; failed: number; skipped: number }> };
      expect(report).toMatchObject({ failed: 0, skipped: 0 });
      for (const kind of ['shape', 'flow', 'idempotency', 'auth', 'negative']) expect(report.kinds[kind]!.passed, kind).toBeGreaterThan(0);
      const readOnly = await run([...login, '--read-only']);
      expect(readOnly.code, readOnly.stderr).toBe(0);
      expect(readOnly.stdout).toMatch(/^idempotency: 0 passed, 0 failed, 14 skipped$/m);
      expect(readOnly.stdout).toContain('- negative/submitPin/pin-limit (skipped: changes state (--read-only))');
      expect(readOnly.stdout).toMatch(/^auth: [1-9]\d* passed, 0 failed, 0 skipped$/m);
    } finally {
      await sandbox.close();
    }
  });

  it('exits 1 for a server that breaks it', async () => {
    const broken = await startBrokenServer(mock.urls['centili-packages']!);
    try {
      const result = await run(['--api', 'centili-packages', '--base-url', broken.url, '--token', 't']);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('✗ getCountryPackages/negative/missing-credentials (200) missing credentials');
    } finally {
      broken.server.close();
    }
  });

  // Nothing listens on 127.0.0.1:9 (discard): a case that reached the network would fail with exit code 1, not 2.
  const target = ['--base-url', 'http://127.0.0.1:9'];
  it.each([
    { args: ['--api', 'centili-payments', ...target, '--head', 'x'], says: /^carrier-contract: Unknown option '--head'/ },
    { args: ['--api', 'centili-payments', ...target, 'extra'], says: /^carrier-contract: Unexpected argument 'extra'/ },
    { args: ['--api'], says: /^carrier-contract: Option '--api <value>' argument missing/ },
    { args: [...target], says: /^carrier-contract: --api is required$/ },
    { args: ['--api', 'centili-payments'], says: /^carrier-contract: --base-url is required$/ },
    { args: ['--api', 'centili-payments', '--base-url', 'localhost:4010'], says: /^carrier-contract: --base-url must be an absolute http\(s\) URL, got "localhost:4010"$/ },
    { args: ['--api', 'centili-payments', '--base-url', 'http://127.0.0.1:4010', '--header', 'X-Sandbox-Session'], says: /^carrier-contract: --header must be "Name: value".*got "X-Sandbox-Session"$/ },
    { args: ['--api', 'centili-payments', '--base-url', 'http://127.0.0.1:4010', '--header', 'Bad Name: v'], says: /^carrier-contract: --header must be "Name: value"/ },
    { args: ['--api', 'nope', ...target, '--token', 't'], says: /^carrier-contract: no contract suite for "nope"; known: centili-data-gifting, .*mtn-ng-data-gifting$/ },
    { args: ['--api', 'x', ...target, '--reporter', 'xml'], says: /^carrier-contract: --reporter must be pretty, json or junit, got "xml"$/ },
    { args: ['--api', 'x', ...target, '--username', 'u'], says: /^carrier-contract: --username and --password go together$/ },
    { args: ['--api', 'centili-payments', ...target, '--token', 't', '--api-key', 'k'], says: /^carrier-contract: pass one kind of credentials, not --token and --api-key$/ },
    { args: ['--api', 'centili-payments', ...target, '--client-id', 'c'], says: /^carrier-contract: --client-id and --token-url go with --username and --password$/ },
    { args: ['--api', 'mtn-ng-data-gifting', ...target, '--username', 'u', '--password', 'p'], says: /^carrier-contract: mtn-ng-data-gifting takes --api-key, not --username\/--password$/ },
    { args: ['--api', 'mtn-ng-data-gifting', ...target, '--token', 't'], says: /^carrier-contract: mtn-ng-data-gifting takes --api-key, not --token$/ },
    { args: ['--api', 'centili-payments', ...target, '--api-key', 'k'], says: /^carrier-contract: centili-payments takes --username\/--password or --token, not --api-key$/ },
    { args: ['--api', 'centili-services', ...target, '--api-key', 'k'], says: /^carrier-contract: centili-services takes --username\/--password or --token, not --api-key$/ },
    { args: ['--api', 'centili-payments', ...target, '--checks', 'shape,speed'], says: /^carrier-contract: --checks takes a comma-separated list of shape, flow, idempotency, auth, negative, got "shape,speed"$/ },
    { args: ['--api', 'centili-payments', ...target, '--rate', '0'], says: /^carrier-contract: --rate must be a positive number of requests per second, got "0"$/ },
    { args: ['--api', 'centili-payments', ...target, '--rate', 'fast'], says: /^carrier-contract: --rate must be a positive number of requests per second, got "fast"$/ },
    { args: ['--api', 'centili-payments', ...target, '--pin', ''], says: /^carrier-contract: --pin must not be empty$/ },
    { args: ['--api', 'centili-payments', ...target, '--read-only=yes'], says: /^carrier-contract: Option '--read-only' does not take an argument/ },
  ])('bad usage $args: one line, the usage, exit code 2, no stack trace', async ({ args, says }) => {
    const result = await run(args);
    expect(result.code, result.stderr).toBe(2);
    const [first, blank, usage] = result.stderr.split('\n');
    expect(first).toMatch(says);
    expect(blank).toBe('');
    expect(usage).toMatch(/^usage: carrier-contract --api <name> --base-url <url>/);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stdout).toBe('');
  });

  it('a login the server refuses is one line and exit code 1', async () => {
    const result = await run(['--api', 'centili-payments', ...target, '--username', 'u', '--password', 'p']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^carrier-contract: .+\n$/);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});
