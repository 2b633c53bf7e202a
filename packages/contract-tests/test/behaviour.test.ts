import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '@carrier-api/mock';
import { listBundledApis } from '@carrier-api/specs';
import { checkKinds, formatReport, runContractTests, type ContractCredentials, type ContractReport } from '../src/index.js';
import { brokenServers, startBrokenServer } from './fixtures/broken-server.js';

const apiKey = 'contract-good-key';
const pin = '4321';
let sandbox: RunningMock;
beforeAll(async () => {
  sandbox = await startMock({ sandbox: { pin, apiKeys: [apiKey] } });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

const credentialsFor = (api: string): ContractCredentials => (api.startsWith('mtn-') ? { apiKey } : { username: 'merchant', password: 's3cret', clientId: 'contract' });
const failures = (report: ContractReport) => report.results.filter((result) => result.outcome === 'failed').map((result) => formatReport({ ...report, results: [result] }, 'pretty'));

describe('every check against the sandbox of every API', () => {
  it.each(listBundledApis().map((api) => api.name))('%s: all pass, none skipped', async (api) => {
    const report = await runContractTests({ api, baseUrl: sandbox.urls[api]!, credentials: credentialsFor(api), pin });
    expect(failures(report)).toEqual([]);
    expect(report.skipped).toBe(0);
    expect(report.kinds.shape.passed).toBeGreaterThan(0);
    expect(report.kinds.auth.passed).toBeGreaterThan(0);
  });

  it('centili-payments has checks of every kind; each names what it enforces', async () => {
    const report = await runContractTests({ api: 'centili-payments', baseUrl: sandbox.urls['centili-payments']!, credentials: credentialsFor('centili-payments'), pin });
    for (const kind of checkKinds) expect(report.kinds[kind].passed, kind).toBeGreaterThan(0);
    expect(report.results.every((result) => result.enforces.length > 0)).toBe(true);
    const ids = report.results.map((result) => result.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'flow/submitPin/startTransaction-getTransaction-submitPin-getTransaction',
        'flow/releaseTransaction/startTransaction-getTransaction-releaseTransaction-getTransaction',
        'negative/getTransaction/unknown-transactionid',
        'negative/submitPin/wrong-pin',
        'negative/submitPin/pin-limit',
        'auth/startTransaction/unissued-token',
        'auth/startTransaction/malformed-token',
        'startTransaction/negative/missing-credentials',
        ...['startTransaction', 'getTransaction', 'releaseTransaction', 'submitPin'].flatMap((operation) => ['replay', 'new-key', 'in-flight'].map((slug) => `idempotency/${operation}/${slug}`)),
        // The key reused with another request: where the operation has another request to send (a body).
        'idempotency/startTransaction/other-request',
        'idempotency/submitPin/other-request',
      ]),
    );
    expect(report.results.find((result) => result.id === 'negative/submitPin/pin-limit')!.enforces).toContain('"429 | Number of attempts over the max retry limit, request can not be retried."');
  });

  it('the data gifting flow: assign → transactions → balance', async () => {
    const report = await runContractTests({ api: 'centili-data-gifting', baseUrl: sandbox.urls['centili-data-gifting']!, credentials: credentialsFor('centili-data-gifting'), filter: 'flow/' });
    expect(report.results.map((result) => [result.id, result.outcome])).toEqual([['flow/assignData/assignData-listTransactions-getBalance', 'passed']]);
  });
});

describe('--pin and --read-only', () => {
  it('without a PIN, the checks that need one are skipped, not passed', async () => {
    const report = await runContractTests({ api: 'centili-payments', baseUrl: sandbox.urls['centili-payments']!, credentials: credentialsFor('centili-payments') });
    const skipped = report.results.filter((result) => result.outcome === 'skipped');
    expect(skipped.map((result) => result.id).sort()).toEqual(
      [
        'flow/submitPin/startTransaction-getTransaction-submitPin-getTransaction',
        'idempotency/submitPin/in-flight',
        'idempotency/submitPin/new-key',
        'idempotency/submitPin/other-request',
        'idempotency/submitPin/replay',
        'negative/submitPin/pin-limit',
        'negative/submitPin/wrong-pin',
        'submitPin/positive/example-documented',
        'submitPin/positive/schema-sample',
      ].sort(),
    );
    expect(skipped.every((result) => result.skipReason === 'needs the test PIN (--pin)')).toBe(true);
    expect(report.failed).toBe(0);
    expect(formatReport(report, 'pretty')).toContain('- negative/submitPin/pin-limit (skipped: needs the test PIN (--pin))');
  });

  it('--read-only changes nothing on the server: no transaction started, no data assigned', async () => {
    for (const api of ['centili-payments', 'centili-data-gifting']) {
      const report = await runContractTests({ api, baseUrl: sandbox.urls[api]!, credentials: credentialsFor(api), pin, readOnly: true });
      expect(failures(report)).toEqual([]);
      expect(report.kinds.flow).toMatchObject({ passed: 0, failed: 0 });
      expect(report.kinds.idempotency).toMatchObject({ passed: 0, failed: 0 });
      expect(report.kinds.auth.passed).toBeGreaterThan(0);
    }
    // Every request that reached an executing operation was refused before executing (401 or 400).
    const executed = async (api: string, operationId: string) => (await sandbox.requests(api, { operationId })).filter((entry) => entry.status !== null && entry.status < 300);
    expect(await executed('centili-payments', 'startTransaction')).toEqual([]);
    expect(await executed('centili-payments', 'submitPin')).toEqual([]);
    expect(await executed('centili-data-gifting', 'assignData')).toEqual([]);
  });

  it('--rate paces the requests', async () => {
    const sent: number[] = [];
    const probes: string[] = [];
    const counting: typeof fetch = (input, init) => {
      sent.push(Date.now());
      if (String(input).includes('/__admin/')) probes.push(String(input));
      return fetch(input, init);
    };
    const report = await runContractTests({ api: 'mtn-ng-data-gifting', baseUrl: sandbox.urls['mtn-ng-data-gifting']!, credentials: credentialsFor('mtn-ng-data-gifting'), rate: 50, fetch: counting });
    expect(report.failed).toBe(0);
    // One request per check, and the one question to the sandbox about what it keeps, paced like the rest.
    expect(probes).toEqual([`${sandbox.urls['mtn-ng-data-gifting']}/__admin/capabilities?api=mtn-ng-data-gifting`]);
    expect(sent.length).toBe(report.results.length + 1);
    // 50 per second: 20 ms between requests (unpaced they leave about 1 ms apart). A lower bound with
    // room for a millisecond of clock rounding: a busy machine only widens the gaps.
    for (let index = 1; index < sent.length; index++) expect(sent[index]! - sent[index - 1]!).toBeGreaterThanOrEqual(15);
  });
});

/** The sandbox's own token, for the broken servers that forge credentials. */
const tokenCache = new Map<string, string>();
async function sandboxToken(api: string): Promise<string> {
  if (!tokenCache.has(api)) {
    const answer = await fetch(sandbox.tokenUrl(api), { method: 'POST', body: new URLSearchParams({ client_id: 'forger', grant_type: 'password', username: 'merchant', password: 's3cret' }) });
    tokenCache.set(api, ((await answer.json()) as { access_token: string }).access_token);
  }
  return tokenCache.get(api)!;
}
const rows = brokenServers({ pin, apiKey, token: sandboxToken });

describe('deliberately broken servers: each is caught by the check meant for it, and the report names it', () => {
  it.each(rows)('a server that $server', async ({ api, breakage, caughtBy, filter }) => {
    const broken = await startBrokenServer(sandbox.urls[api]!, breakage);
    try {
      const report = await runContractTests({ api, baseUrl: broken.url, credentials: credentialsFor(api), pin, ...(filter ? { filter } : {}) });
      const failed = report.results.filter((result) => result.outcome === 'failed').map((result) => result.id);
      expect(failed).toEqual(expect.arrayContaining(caughtBy));
      const pretty = formatReport(report, 'pretty');
      for (const id of caughtBy) expect(pretty).toContain(`✗ ${id} `);
      const junit = formatReport(report, 'junit');
      for (const id of caughtBy) expect(junit).toMatch(new RegExp(`name="${id.replace(/[/.]/g, '\\$&')}: [^"]*" time="[\\d.]+">\\n\\s+<failure `));
    } finally {
      await broken.close();
    }
  });

  // Issue 27, input 6: equal answers to two keys do not prove a replay. A correct server whose
  // release is deterministic (a second release of the transaction answers the first's 200) is
  // neither failed nor passed by the new-key check: skipped, saying why.
  it('a correct server whose release answers a new key with the same 200 is not failed: new-key is skipped with the reason', async () => {
    const released = new Map<string, string>();
    const broken = await startBrokenServer(sandbox.urls['centili-payments']!, {
      request: (request) => {
        const done = request.method === 'POST' && /\/release$/.test(request.url) ? released.get(request.url) : undefined;
        return done === undefined ? request : { status: 200, headers: { 'content-type': 'application/json' }, body: done };
      },
      response: (answer, request) => {
        if (request.method === 'POST' && /\/release$/.test(request.url) && answer.status === 200) released.set(request.url, answer.body);
        return answer;
      },
    });
    try {
      const report = await runContractTests({ api: 'centili-payments', baseUrl: broken.url, credentials: credentialsFor('centili-payments'), pin, filter: 'idempotency/releaseTransaction/' });
      const outcome = Object.fromEntries(report.results.map((result) => [result.id, [result.outcome, result.skipReason]]));
      expect(outcome['idempotency/releaseTransaction/replay']).toEqual(['passed', undefined]);
      expect(outcome['idempotency/releaseTransaction/new-key']![0]).toBe('skipped');
      expect(outcome['idempotency/releaseTransaction/new-key']![1]).toMatch(/nothing in it \(no id the operation creates, no Idempotent-Replayed header\) tells a replay from a new execution/);
      expect(report.failed).toBe(0);
      expect(formatReport(report, 'pretty')).toContain('- idempotency/releaseTransaction/new-key (skipped: a new key got the same 200 answer');
    } finally {
      await broken.close();
    }
  });

  it('the missing field is named as such', async () => {
    const row = rows.find((candidate) => candidate.server === 'leaves out a required field')!;
    const broken = await startBrokenServer(sandbox.urls[row.api]!, row.breakage);
    try {
      const report = await runContractTests({ api: row.api, baseUrl: broken.url, credentials: credentialsFor(row.api), filter: 'getBalance/positive' });
      expect(report.results[0]!.failures).toContainEqual({ rule: 'required', pointer: '/0', message: "must have required property 'expirationDate'" });
    } finally {
      await broken.close();
    }
  });

  it('the undocumented status is named as such', async () => {
    const row = rows.find((candidate) => candidate.server === 'answers a status its spec does not document')!;
    const broken = await startBrokenServer(sandbox.urls[row.api]!, row.breakage);
    try {
      const report = await runContractTests({ api: row.api, baseUrl: broken.url, credentials: credentialsFor(row.api), filter: 'listServices/positive' });
      expect(report.results[0]!.failures).toContainEqual({ rule: 'documented-status', pointer: '#/status', message: '203 is not a documented status (200, 400, 401, 500)' });
    } finally {
      await broken.close();
    }
  });
});
