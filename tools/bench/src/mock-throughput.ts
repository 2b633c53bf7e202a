import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import autocannon from 'autocannon';
import { startMock } from '@carrier-api/mock';
import { bundledSpecPath, listBundledApis } from '@carrier-api/specs';

const packagesPath = '/payments/v3/services/packages?serviceKey=f31a355df6dad07e49ba474db7ff9b07&country=es';

/** Time from startMock() until every API's mock has answered a request. */
export async function timeUntilMocksAnswer(): Promise<number> {
  const started = performance.now();
  const mock = await startMock();
  await Promise.all(listBundledApis().map(async (api) => (await fetch(mock.urls[api.name]!)).arrayBuffer()));
  const elapsed = performance.now() - started;
  await mock.close();
  return elapsed;
}

export interface Throughput {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
}

async function load(url: string, seconds: number): Promise<Throughput> {
  const result = await autocannon({ url, connections: 10, duration: seconds, headers: { Authorization: 'Bearer bench-token' } });
  return { requestsPerSecond: result.requests.average, p50Ms: result.latency.p50, p99Ms: result.latency.p99, non2xx: result.non2xx };
}

/** A free loopback port (the OS picks one, then it is let go). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Our mock (prism-http-server in-process) against bare `prism mock` on the same bundle, same load. */
export async function compareMockThroughput(seconds = 5): Promise<{ ours: Throughput; prism: Throughput }> {
  const mock = await startMock({ apis: ['centili-packages'] });
  const ours = await load(`${mock.urls['centili-packages']}${packagesPath}`, seconds);
  await mock.close();

  const port = await freePort();
  const prismBin = createRequire(import.meta.url).resolve('@stoplight/prism-cli/dist/index.js');
  const child = spawn(process.execPath, [prismBin, 'mock', '--host', '127.0.0.1', '--port', String(port), bundledSpecPath('centili-packages', 'yaml')], { stdio: 'ignore' });
  try {
    await waitUntilAnswering(`http://127.0.0.1:${port}${packagesPath}`);
    const prism = await load(`http://127.0.0.1:${port}${packagesPath}`, seconds);
    return { ours, prism };
  } finally {
    child.kill('SIGTERM');
  }
}

/** A health check with a bounded number of tries: never a fixed sleep. */
async function waitUntilAnswering(url: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      await (await fetch(url, { headers: { Authorization: 'Bearer x' } })).arrayBuffer();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`${url} did not answer within 10 s`);
}
