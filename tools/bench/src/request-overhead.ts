import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import createClient from 'openapi-fetch';
import { createPackagesClient, type paths } from '@carrier-api/centili-packages';
import { createPackagesSdk } from '@carrier-api/centili-packages-sdk';

export interface OverheadResult {
  /** Median wall-clock µs per request of each path, over interleaved rounds. */
  micros: Record<OverheadPath, number>;
  /**
   * Median CPU µs (user + system, this process: client and loopback server) per request: steadier
   * than wall-clock time on a machine that other work keeps busy.
   */
  cpuMicros: Record<OverheadPath, number>;
}

export type OverheadPath = 'raw fetch' | 'openapi-fetch alone' | 'light client' | 'SDK';

/**
 * Time per sequential GET on loopback: raw fetch, and the same request through openapi-fetch
 * alone, a light client (openapi-fetch + the runtime's carrier fetch) and an SDK. Rounds
 * are interleaved and the median round is kept, so that a busy machine skews every path alike.
 * Bounded: `rounds` × `perRound` requests per path. Asserts nothing.
 */
export async function requestOverhead(rounds = 16, perRound = 250): Promise<OverheadResult> {
  const body = JSON.stringify([{ country: 'rs', operatorCode: 'RS_MTS', packages: [] }]);
  const server = createServer((_, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const path = '/payments/v3/services/packages?serviceKey=f31a355df6dad07e49ba474db7ff9b07&country=es';
  const query = { serviceKey: 'f31a355df6dad07e49ba474db7ff9b07', country: 'es' };
  const auth = { accessToken: 'bench-token' };
  const client = createPackagesClient({ baseUrl: base, auth });
  const plain = createClient<paths>({ baseUrl: base, headers: { Authorization: 'Bearer bench-token' } });
  const sdk = createPackagesSdk({ baseUrl: base, auth });

  const paths: Record<OverheadPath, () => Promise<unknown>> = {
    'raw fetch': async () => (await fetch(`${base}${path}`, { headers: { Authorization: 'Bearer bench-token' } })).json(),
    'openapi-fetch alone': () => plain.GET('/payments/v3/services/packages', { params: { query } }),
    'light client': () => client.GET('/payments/v3/services/packages', { params: { query } }),
    SDK: () => sdk.getCountryPackages(query),
  };
  const round = async (send: () => Promise<unknown>, count: number) => {
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    for (let i = 0; i < count; i++) await send();
    const used = process.cpuUsage(cpu);
    return { wall: Number(process.hrtime.bigint() - started) / 1000 / count, cpu: (used.user + used.system) / count };
  };
  const names = Object.keys(paths) as OverheadPath[];
  for (const name of names) await round(paths[name], 200); // warm-up: connection pool, JIT
  const samples = Object.fromEntries(names.map((name) => [name, { wall: [] as number[], cpu: [] as number[] }])) as Record<OverheadPath, { wall: number[]; cpu: number[] }>;
  for (let i = 0; i < rounds; i++) {
    // Each round in another order, so that no path always runs right after the same one.
    const order = i % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      const { wall, cpu } = await round(paths[name], perRound);
      samples[name].wall.push(wall);
      samples[name].cpu.push(cpu);
    }
  }
  await new Promise((resolve) => server.close(resolve));
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return {
    micros: Object.fromEntries(names.map((name) => [name, median(samples[name].wall)])) as Record<OverheadPath, number>,
    cpuMicros: Object.fromEntries(names.map((name) => [name, median(samples[name].cpu)])) as Record<OverheadPath, number>,
  };
}
