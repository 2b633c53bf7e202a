import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '@carrier-api/mock';
import { loadBundledSpec } from '@carrier-api/specs';
// The mock's own Redis helper (a real redis-server on a free loopback port): one helper, not two.
import { startTestRedis, type TestRedis } from '../../mock/test/support/redis.js';
import { formatReport, runContractTests, type ContractReport } from '../src/index.js';

/**
 * One shared sandbox for a CI fleet (issue 31): three sandbox instances on one redis-server, eight
 * pipelines running the contract tests at once, each in a session of its own (`X-Sandbox-Session`
 * through `headers`, the CLI's `--header`), one of them under `probability: 0.3` faults on every
 * operation. The other seven pass with 0 failures; the faulted session's journal holds its
 * faults, and no other session's requests.
 */
const api = 'centili-payments';
const pipelines = 8;
const operationIds = Object.values((loadBundledSpec(api) as { paths: Record<string, Record<string, { operationId?: string }>> }).paths).flatMap((item) => Object.values(item).map((operation) => operation.operationId).filter((id): id is string => typeof id === 'string'));

describe('eight pipelines in sessions of one sandbox on Redis', () => {
  let redis: TestRedis;
  const instances: RunningMock[] = [];
  beforeAll(async () => {
    redis = await startTestRedis();
    for (let index = 0; index < 3; index++) instances.push(await startMock({ apis: [api], sandbox: { pin: '1234', store: { url: redis.url, prefix: 'fleet:' } } }));
  });
  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.close()));
    await redis?.dispose();
  });

  it('seven pass with 0 failures while the eighth runs under faults; journals stay apart', async () => {
    const sessions = await Promise.all(Array.from({ length: pipelines }, (_, index) => instances[index % 3]!.createSession({ id: `pipeline-${index}-${Date.now()}`, ttlSeconds: 600 })));
    const faulted = sessions[0]!;
    for (const operationId of operationIds) await faulted.fault(api, { operationId, status: 500, probability: 0.3, seed: 7 });

    const reports: ContractReport[] = await Promise.all(
      sessions.map((session, index) =>
        runContractTests({ api, baseUrl: instances[index % 3]!.urls[api]!, credentials: { username: 'merchant', password: 's3cret', clientId: `pipeline-${index}` }, pin: '1234', headers: session.headers }),
      ),
    );
    for (const [index, report] of reports.entries()) {
      if (index === 0) continue;
      expect(report.results.filter((result) => result.outcome === 'failed').map((result) => formatReport({ ...report, results: [result] }, 'pretty')), `pipeline ${index}`).toEqual([]);
      expect(report.passed).toBeGreaterThan(20);
    }
    // The faults hit the faulted pipeline (its run failed somewhere) and only it.
    expect(reports[0]!.failed).toBeGreaterThan(0);

    const journals = await Promise.all(sessions.map((session) => session.requests(api)));
    expect(journals[0]!.some((entry) => entry.fault?.kinds.includes('probability'))).toBe(true);
    for (const [index, journal] of journals.entries()) {
      expect(journal.length, `pipeline ${index}`).toBeGreaterThan(0);
      // Every entry of a session's journal is its own request; no other session's fault is in it.
      expect(new Set(journal.map((entry) => entry.headers['x-sandbox-session']))).toEqual(new Set([sessions[index]!.id]));
      if (index > 0) expect(journal.filter((entry) => entry.fault)).toEqual([]);
    }
    // The default session saw none of it.
    expect(await instances[0]!.requests(api)).toEqual([]);
  });
});
