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
  it.each(listBundledApis().map((api) => api.name))('%s honours its contract', async (api) => {
    const report = await runContractTests({ api, baseUrl: mock.urls[api]!, credentials: credentialsFor(api) });
    expect(report.results.filter((result) => result.failures.length > 0).map((result) => formatReport({ ...report, results: [result] }, 'pretty'))).toEqual([]);
    expect(report.failed).toBe(0);
    const kinds = new Set(report.results.map((result) => result.kind));
    expect(kinds).toEqual(new Set(['positive', 'negative']));
    // Every operation of the spec is exercised.
    const operations = new Set(report.results.map((result) => result.operationId));
    expect(operations.size).toBe(new Set(loadSuite(api).cases.map((c) => c.operationId)).size);
  });
});

/**
 * A server that breaks the contract: it forwards to the mock, but drops `operatorCode` from the
 * packages it returns and answers a request without credentials with 200.
 */
async function startBrokenServer(upstream: string): Promise<{ url: string; server: Server }> {
  const server = createServer(async (req, res) => {
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => name !== 'host' && name !== 'content-length')) as Record<string, string>;
    if (!headers.authorization && req.url!.startsWith('/payments/')) headers.authorization = 'Bearer forged';
    const answer = await fetch(`${upstream}${req.url}`, { method: req.method, headers });
    let text = await answer.text();
    if (answer.status === 200 && req.url!.startsWith('/payments/v3/services/packages?')) {
      text = JSON.stringify((JSON.parse(text) as Record<string, unknown>[]).map(({ operatorCode: _, ...rest }) => rest));
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
      const report = await runContractTests({ api: 'centili-packages', baseUrl: broken.url, credentials: { token: 't' } });
      expect(report.failed).toBeGreaterThanOrEqual(2);
      const removedField = report.results.find((result) => result.id === 'getCountryPackages/positive/documented-parameters')!;
      expect(removedField.failures).toContainEqual({ rule: 'required', pointer: '/0', message: "must have required property 'operatorCode'" });
      const wrongStatus = report.results.find((result) => result.id === 'getCountryPackages/negative/missing-credentials')!;
      expect(wrongStatus.failures[0]).toEqual({ rule: 'expected-status', pointer: '#/status', message: 'expected 401, got 200' });

      const pretty = formatReport(report, 'pretty');
      expect(pretty).toContain("getCountryPackages › documented parameters: /0 [required] must have required property 'operatorCode'");
      expect(pretty).toMatch(/\d+ passed, [1-9]\d* failed\n$/);
      const junit = formatReport(report, 'junit');
      expect(junit).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="carrier-contract" tests="\d+" failures="[1-9]\d*"/);
      expect(junit).toContain(`<failure message="must have required property 'operatorCode'" type="required">`);
      expect(JSON.parse(formatReport(report, 'json'))).toMatchObject({ api: 'centili-packages', failed: report.failed });
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
    const result = await run(['--api', 'centili-payments', '--base-url', mock.urls['centili-payments']!, '--username', 'u', '--password', 'p', '--reporter', 'junit']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/<testsuite name="centili-payments" tests="\d+" failures="0"/);
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

  it('exits 2 on bad arguments', async () => {
    expect((await run(['--api', 'centili-payments'])).code).toBe(2);
    expect((await run(['--api', 'x', '--base-url', 'http://127.0.0.1:9', '--reporter', 'xml'])).stderr).toContain('--reporter must be pretty, json or junit');
    expect((await run(['--api', 'x', '--base-url', 'http://127.0.0.1:9', '--username', 'u'])).stderr).toContain('--username and --password go together');
  });
});
