import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '@carrier-api/mock';
import { listBundledApis } from '@carrier-api/specs';
import { formatReport, runContractTests, type ContractCredentials, type ContractReport } from '../src/index.js';

/**
 * Our own tools agree out of the box (issue 27, input 7): every API's plain mock and sandbox,
 * started with their defaults, pass the contract tests run with the matching defaults (no
 * --checks, no --pin); what such a server cannot be expected to honour (a wrong X-API-Key refused
 * by a sandbox that takes any key, state on the plain mock) is skipped with the reason it gave
 * at /__admin/capabilities, never failed.
 */
const apis = listBundledApis().map((api) => api.name);
const credentialsFor = (api: string): ContractCredentials => (api.startsWith('mtn-') ? { apiKey: 'probe' } : { username: 'merchant', password: 's3cret' });
const failures = (report: ContractReport) => report.results.filter((result) => result.outcome === 'failed').map((result) => formatReport({ ...report, results: [result] }, 'pretty'));

const servers: Record<string, RunningMock> = {};
beforeAll(async () => {
  servers.mock = await startMock();
  servers.sandbox = await startMock({ sandbox: true });
});
afterAll(async () => {
  await Promise.all(Object.values(servers).map((server) => server.close()));
});

describe('each API, each server with its defaults', () => {
  const rows = apis.flatMap((api) => (['mock', 'sandbox'] as const).map((server) => ({ api, server })));
  it.each(rows)('$api against the $server: 0 failures; each skip says why', async ({ api, server }) => {
    const report = await runContractTests({ api, baseUrl: servers[server]!.urls[api]!, credentials: credentialsFor(api) });
    expect(failures(report)).toEqual([]);
    expect(report.passed).toBeGreaterThan(0);
    for (const result of report.results.filter((candidate) => candidate.outcome === 'skipped')) expect(result.skipReason, result.id).toMatch(/--pin|\/__admin\/capabilities/);
    if (server === 'mock') expect(report.kinds.flow.passed + report.kinds.idempotency.passed + report.kinds.negative.passed).toBe(0);
  });

  it('the sandbox that takes any X-API-Key: the wrong-key check is skipped, naming --api-key; with --api-key it runs and passes', async () => {
    const lax = await runContractTests({ api: 'mtn-ng-data-gifting', baseUrl: servers.sandbox!.urls['mtn-ng-data-gifting']!, credentials: { apiKey: 'probe' }, filter: 'wrong-api-key' });
    expect(lax.results.map((result) => [result.outcome, result.skipReason])).toEqual([['skipped', expect.stringMatching(/takes any non-empty value for .*start it with --api-key K/)]]);
    const strict = await startMock({ apis: ['mtn-ng-data-gifting'], sandbox: { apiKeys: ['probe'] } });
    try {
      const report = await runContractTests({ api: 'mtn-ng-data-gifting', baseUrl: strict.urls['mtn-ng-data-gifting']!, credentials: { apiKey: 'probe' }, filter: 'wrong-api-key' });
      expect(report.results.map((result) => result.outcome)).toEqual(['passed']);
    } finally {
      await strict.close();
    }
  });
});

describe('carrier-contract against carrier-mock --sandbox, both with their defaults', () => {
  it('--api mtn-ng-data-gifting --api-key probe exits 0 (it exited 1: "a wrong X-API-Key gets the documented 401": 200)', async () => {
    const bin = join(import.meta.dirname, '..', 'bin', 'carrier-contract.js');
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [bin, '--api', 'mtn-ng-data-gifting', '--base-url', servers.sandbox!.urls['mtn-ng-data-gifting']!, '--api-key', 'probe']);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('exit', (code) => resolve({ code, stdout, stderr }));
    });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/wrong-api-key \(skipped: the server takes any non-empty value/);
  });
});
