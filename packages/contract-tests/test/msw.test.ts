import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '@carrier-api/mock';
import { createSandboxHandlers } from '@carrier-api/mock/msw';
import { listBundledApis } from '@carrier-api/specs';
import { formatReport, runContractTests, type ContractCredentials, type ContractReport } from '../src/index.js';

/**
 * The contract tests through MSW's interception (`@carrier-api/mock/msw`, no port) give the same
 * report as against `carrier-mock --sandbox` on loopback: the same checks, kind by kind, with the
 * same outcomes. The in-process sandbox is reached at its spec's own server URL.
 */
const apiKey = 'contract-good-key';
const pin = '4321';
const { handlers, sandbox: inProcess } = createSandboxHandlers({ pin, apiKeys: [apiKey] });
// The HTTP sandbox on 127.0.0.1 is not one of the handlers' hosts: those requests pass through.
const interception = setupServer(...handlers);
let overHttp: RunningMock;
beforeAll(async () => {
  overHttp = await startMock({ sandbox: { pin, apiKeys: [apiKey] } });
  interception.listen({ onUnhandledRequest: 'bypass' });
});
afterAll(async () => {
  interception.close();
  await overHttp.close();
});
beforeEach(async () => {
  await overHttp.reset();
  await inProcess.reset();
});

const credentialsFor = (api: string): ContractCredentials => (api.startsWith('mtn-') ? { apiKey } : { username: 'merchant', password: 's3cret', clientId: 'contract' });
const failures = (report: ContractReport) => report.results.filter((result) => result.outcome === 'failed').map((result) => formatReport({ ...report, results: [result] }, 'pretty'));
// The last status of each check too, but for the in-flight ones: the same key twice at once gets
// 409 or one answer, whichever the scheduling gives (both pass).
const outcomes = (report: ContractReport) => report.results.map((result) => `${result.id} ${result.outcome}${result.id.endsWith('/in-flight') ? '' : ` ${result.status}`}`).sort();

describe('the contract tests through the MSW sandbox', () => {
  it.each(listBundledApis().map((api) => api.name))('%s: 0 failures and the same checks per kind as over HTTP', async (api) => {
    const base = inProcess.baseUrls[api]![0]!;
    expect(base).toMatch(/^https:\/\//);
    const http = await runContractTests({ api, baseUrl: overHttp.urls[api]!, credentials: credentialsFor(api), pin });
    const msw = await runContractTests({ api, baseUrl: base, credentials: credentialsFor(api), pin, fetch: globalThis.fetch });
    expect(failures(msw)).toEqual([]);
    expect(failures(http)).toEqual([]);
    expect(msw.kinds).toEqual(http.kinds);
    expect(outcomes(msw)).toEqual(outcomes(http));
    // The checks went through the handlers, not the port: each journal holds the same requests.
    // Token requests aside: in-process, the Centili APIs share the one token endpoint of
    // api.centili.com (as the vendor's do), so they are journaled under the API serving it.
    const tokenPath = new URL(overHttp.tokenUrl(api)).pathname;
    // Ids are random per server, and an in-flight pair's statuses depend on scheduling: an entry
    // is its method and operation (or path).
    const lines = (journal: Array<{ method: string; path: string; operationId?: string }>) =>
      journal.filter((entry) => entry.path.split('?')[0] !== tokenPath).map((entry) => `${entry.method} ${entry.operationId ?? entry.path}`).sort();
    const inProcessJournal = lines(await inProcess.requests({ api }));
    expect(inProcessJournal.length).toBeGreaterThan(0);
    expect(inProcessJournal).toEqual(lines(await overHttp.requests(api)));
  });
});
