// One light-client call through the sandbox in-process (MSW's setupServer, no port) and through
// `carrier-mock --sandbox` on loopback (a process of its own, as a CI job runs it): the latency a
// test pays per call, beside what MSW's interception costs by itself. Reported, never asserted.
import { http, type RequestHandler } from 'msw';
import { setupServer } from 'msw/node';
import { createPaymentsClient, expectData } from '@carrier-api/centili-payments';
import { createSandboxHandlers } from '@carrier-api/mock/msw';
import { startInstance, stopInstance } from './sandbox-throughput.ts';

/** In-process latency as a share of the HTTP sandbox's the project holds itself to (median and p99). */
export const IN_PROCESS_GOAL = 0.5;

export interface LatencyRow {
  setup: string;
  'median µs': number;
  'p99 µs': number;
  calls: number;
}

type Setup = 'http' | 'msw' | 'floor';
const start = { serviceKey: 'abc', userIdentifier: { msisdn: '4366124567' }, price: '1.99' };
const auth = { clientId: 'bench', username: 'bench', password: 'bench' };

/** A started transaction (its token fetched, its id known), then `getTransaction` as the call timed. */
async function prepare(client: ReturnType<typeof createPaymentsClient>): Promise<() => Promise<unknown>> {
  const { transactionId } = await expectData(client.POST('/auth/transactions', { body: start }));
  const path = { transactionId: transactionId! };
  return () => expectData(client.GET('/auth/transactions/{transactionId}', { params: { path } }));
}

/** µs of each of `count` sequential calls. */
async function time(call: () => Promise<unknown>, count: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = process.hrtime.bigint();
    await call();
    samples.push(Number(process.hrtime.bigint() - started) / 1000);
  }
  return samples;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

/**
 * `getTransaction` through the light client, `rounds` × `perRound` sequential calls per setup:
 * the HTTP sandbox, the MSW sandbox, and MSW alone (handlers answering the same token and
 * transaction from memory: the floor no in-process sandbox goes under). The rounds are
 * interleaved so that a busy machine skews every setup alike, and MSW listens only during its
 * own rounds, so the HTTP calls are never intercepted. Bounded by the counts.
 *
 * @returns One row per setup: median and p99 µs per call over every sample.
 */
export async function inProcessLatency(rounds = 10, perRound = 200): Promise<Record<Setup, LatencyRow>> {
  const instance = await startInstance(['--sandbox']);
  const servers: Partial<Record<Setup, ReturnType<typeof setupServer>>> = {};
  const intercepted = async <T>(setup: Setup, work: () => Promise<T>): Promise<T> => {
    servers[setup]?.listen({ onUnhandledRequest: 'error' });
    try {
      return await work();
    } finally {
      servers[setup]?.close();
    }
  };
  try {
    const tokenUrl = `${instance.url}/auth/realms/api/protocol/openid-connect/token`;
    servers.msw = setupServer(...createSandboxHandlers({ apis: ['centili-payments'] }).handlers);
    const calls: Partial<Record<Setup, () => Promise<unknown>>> = {
      http: await prepare(createPaymentsClient({ baseUrl: instance.url, auth: { ...auth, tokenUrl } })),
      // No base URL: the spec's own server (https://api.centili.com), which the handlers answer.
      msw: await intercepted('msw', () => prepare(createPaymentsClient({ auth }))),
    };
    const transaction = await intercepted('msw', () => calls.msw!());
    const floor: RequestHandler[] = [
      http.post(/\/openid-connect\/token$/, () => Response.json({ access_token: 'floor', expires_in: 300, refresh_expires_in: 1800, refresh_token: 'floor-refresh', token_type: 'Bearer' })),
      http.all(/\/auth\/transactions(\/[^/]+)?$/, () => Response.json(transaction)),
    ];
    servers.floor = setupServer(...floor);
    calls.floor = await intercepted('floor', () => prepare(createPaymentsClient({ auth })));

    const setups: Setup[] = ['http', 'msw', 'floor'];
    const samples: Record<Setup, number[]> = { http: [], msw: [], floor: [] };
    // Warm-up: JIT, the connection pool.
    for (const setup of setups) await intercepted(setup, () => time(calls[setup]!, 200));
    for (let i = 0; i < rounds; i++) {
      for (const setup of i % 2 === 0 ? setups : [...setups].reverse()) samples[setup].push(...(await intercepted(setup, () => time(calls[setup]!, perRound))));
    }
    const row = (setup: string, values: number[]): LatencyRow => {
      const sorted = [...values].sort((a, b) => a - b);
      return { setup, 'median µs': Math.round(percentile(sorted, 0.5)), 'p99 µs': Math.round(percentile(sorted, 0.99)), calls: sorted.length };
    };
    return {
      http: row('HTTP sandbox on loopback (carrier-mock --sandbox, its own process)', samples.http),
      msw: row('in-process sandbox (@carrier-api/mock/msw under setupServer, no port)', samples.msw),
      floor: row('MSW alone (handlers answering from memory: no validation, rules or store)', samples.floor),
    };
  } finally {
    for (const server of Object.values(servers)) server.close();
    await stopInstance(instance.child);
  }
}

/** Prints the table and the verdict against {@link IN_PROCESS_GOAL} (`pnpm bench`). */
export async function printInProcessLatency(): Promise<void> {
  console.log('\n## One light-client call, in-process vs on a port: getTransaction of centili-payments through its sandbox\n');
  const { http: overHttp, msw, floor } = await inProcessLatency();
  console.table([overHttp, msw, floor]);
  const median = msw['median µs'] / overHttp['median µs'];
  const p99 = msw['p99 µs'] / overHttp['p99 µs'];
  const verdict = median <= IN_PROCESS_GOAL && p99 <= IN_PROCESS_GOAL ? 'met' : 'NOT met';
  console.log(
    `in-process / HTTP: median ${median.toFixed(2)}x, p99 ${p99.toFixed(2)}x; goal ≤ ${IN_PROCESS_GOAL}x both: ${verdict}. ` +
      `MSW's interception alone is ${(floor['median µs'] / overHttp['median µs']).toFixed(2)}x the HTTP median; the sandbox's own work in-process is ${msw['median µs'] - floor['median µs']} µs.`,
  );
}
