import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '@carrier-api/mock';
import { listBundledApis } from '@carrier-api/specs';
import { checkKinds, formatReport, runContractTests, type ContractCredentials, type ContractReport } from '../src/index.js';
import { startBrokenServer, type Answered, type Breakage, type Forwarded } from './fixtures/broken-server.js';

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
    const counting: typeof fetch = (input, init) => {
      sent.push(Date.now());
      return fetch(input, init);
    };
    const report = await runContractTests({ api: 'mtn-ng-data-gifting', baseUrl: sandbox.urls['mtn-ng-data-gifting']!, credentials: credentialsFor('mtn-ng-data-gifting'), rate: 50, fetch: counting });
    expect(report.failed).toBe(0);
    expect(sent.length).toBe(report.results.length);
    // 50 per second: no two requests start closer than 20 ms apart (a lower bound: a busy machine only widens the gaps).
    for (let index = 1; index < sent.length; index++) expect(sent[index]! - sent[index - 1]!).toBeGreaterThanOrEqual(19);
  });
});

/** The sandbox's own token for the broken servers that forge credentials. */
const tokenCache = new Map<string, string>();
async function sandboxToken(api: string): Promise<string> {
  if (!tokenCache.has(api)) {
    const answer = await fetch(sandbox.tokenUrl(api), { method: 'POST', body: new URLSearchParams({ client_id: 'forger', grant_type: 'password', username: 'merchant', password: 's3cret' }) });
    tokenCache.set(api, ((await answer.json()) as { access_token: string }).access_token);
  }
  return tokenCache.get(api)!;
}
const tokenPath = '/auth/realms/api/protocol/openid-connect/token';
const json = (status: number, body: unknown): Answered => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const isPin = (request: Forwarded) => request.method === 'POST' && /^\/auth\/transactions\/[^/]+\/pin$/.test(request.url);
const isGetTransaction = (request: Forwarded) => request.method === 'GET' && /^\/auth\/transactions\/[^/]+$/.test(request.url);
const withoutKey = (request: Forwarded): Forwarded => ({ ...request, headers: Object.fromEntries(Object.entries(request.headers).filter(([name]) => name !== 'idempotency-key')) });

interface Row {
  server: string;
  api: string;
  breakage: Breakage;
  /** The checks meant to catch it. */
  caughtBy: string[];
}

const rows: Row[] = [
  {
    server: 'replays a key by executing again',
    api: 'centili-payments',
    breakage: { request: withoutKey },
    caughtBy: ['idempotency/startTransaction/replay', 'idempotency/releaseTransaction/replay', 'idempotency/submitPin/replay', 'idempotency/getTransaction/replay'],
  },
  {
    server: 'executes both of two requests in flight under one key',
    api: 'centili-payments',
    breakage: {
      // The key is honoured, except that a second request arriving while the first runs executes too.
      async request(request, state) {
        const key = request.headers['idempotency-key'];
        if (!key || request.method !== 'POST') return request;
        const inFlight = (state.get('inFlight') as Set<string> | undefined) ?? new Set<string>();
        state.set('inFlight', inFlight);
        if (inFlight.has(key)) return withoutKey(request);
        inFlight.add(key);
        await new Promise((resolve) => setTimeout(resolve, 50));
        setTimeout(() => inFlight.delete(key), 200);
        return request;
      },
    },
    caughtBy: ['idempotency/startTransaction/in-flight'],
  },
  {
    server: 'accepts any bearer token',
    api: 'centili-payments',
    breakage: { request: async (request) => (request.url.startsWith(tokenPath) || !request.headers.authorization ? request : { ...request, headers: { ...request.headers, authorization: `Bearer ${await sandboxToken('centili-payments')}` } }) },
    caughtBy: ['auth/startTransaction/unissued-token', 'auth/startTransaction/malformed-token', 'auth/getTransaction/unissued-token'],
  },
  {
    server: 'accepts a request without credentials',
    api: 'centili-data-gifting',
    breakage: { request: async (request) => (request.url.startsWith(tokenPath) || request.headers.authorization ? request : { ...request, headers: { ...request.headers, authorization: `Bearer ${await sandboxToken('centili-data-gifting')}` } }) },
    caughtBy: ['listServices/negative/missing-credentials', 'getBalance/negative/missing-credentials'],
  },
  {
    server: 'accepts any X-API-Key (MTN)',
    api: 'mtn-ng-data-gifting',
    breakage: { request: (request) => (request.headers['x-api-key'] ? { ...request, headers: { ...request.headers, 'x-api-key': apiKey } } : request) },
    caughtBy: ['auth/giftData/wrong-api-key'],
  },
  {
    server: 'answers 200 for an unknown transaction',
    api: 'centili-payments',
    breakage: { response: (answer, request) => (answer.status === 404 ? json(200, { transactionId: request.url.split('/')[3], transactionStatus: 'PENDING' }) : answer) },
    caughtBy: ['negative/getTransaction/unknown-transactionid', 'negative/releaseTransaction/unknown-transactionid', 'negative/submitPin/unknown-transactionid'],
  },
  {
    server: 'has no PIN limit',
    api: 'centili-payments',
    breakage: { response: (answer, request) => (isPin(request) && answer.status === 429 ? json(400, { code: 'INVALID_PIN', message: 'Invalid PIN sent, request can be retried' }) : answer) },
    caughtBy: ['negative/submitPin/pin-limit'],
  },
  {
    server: 'takes any PIN',
    api: 'centili-payments',
    breakage: { request: (request) => (isPin(request) ? { ...request, body: JSON.stringify({ pin }) } : request) },
    caughtBy: ['negative/submitPin/wrong-pin'],
  },
  {
    server: 'does not complete a transaction on the right PIN',
    api: 'centili-payments',
    breakage: { response: (answer, request) => (isGetTransaction(request) ? { ...answer, body: answer.body.replace('"COMPLETED"', '"PENDING"') } : answer) },
    caughtBy: ['flow/submitPin/startTransaction-getTransaction-submitPin-getTransaction'],
  },
  {
    server: 'does not lower the balance on an assignment',
    api: 'centili-data-gifting',
    breakage: {
      response(answer, request, state) {
        if (!request.url.startsWith('/datagifting/v1/services/balance')) return answer;
        if (!state.has('balance')) state.set('balance', answer);
        return state.get('balance') as Answered;
      },
    },
    caughtBy: ['flow/assignData/assignData-listTransactions-getBalance'],
  },
  {
    server: 'does not list an assignment',
    api: 'centili-data-gifting',
    breakage: { response: (answer, request) => (request.url.startsWith('/datagifting/v1/transaction?') && answer.status === 200 ? { ...answer, body: '[]' } : answer) },
    caughtBy: ['flow/assignData/assignData-listTransactions-getBalance'],
  },
  {
    server: 'answers a status its spec does not document',
    api: 'centili-data-gifting',
    breakage: { response: (answer, request) => (request.url.startsWith('/datagifting/v1/services?') && answer.status === 200 ? { ...answer, status: 203 } : answer) },
    caughtBy: ['listServices/positive/documented-parameters'],
  },
  {
    server: 'leaves out a required field',
    api: 'centili-data-gifting',
    breakage: { response: (answer, request) => (request.url.startsWith('/datagifting/v1/services/balance') && answer.status === 200 ? { ...answer, body: answer.body.replace(/"expirationDate":"[^"]*",?/g, '') } : answer) },
    caughtBy: ['getBalance/positive/documented-parameters'],
  },
];

describe('deliberately broken servers: each is caught by the check meant for it, and the report names it', () => {
  it.each(rows)('a server that $server', async ({ api, breakage, caughtBy }) => {
    const broken = await startBrokenServer(sandbox.urls[api]!, breakage);
    try {
      const report = await runContractTests({ api, baseUrl: broken.url, credentials: credentialsFor(api), pin });
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
