// The sandbox's throughput: plain mock, in-memory sandbox, and the Redis store with 1 and 3
// instances, on this machine in one run. Every server is a carrier-mock process of its own (so
// autocannon, in this process, never shares their event loop); reported, never asserted.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import autocannon from 'autocannon';
import { freePort } from './mock-throughput.ts';

const tokenPath = '/auth/realms/api/protocol/openid-connect/token';
const bin = join(dirname(createRequire(import.meta.url).resolve('@carrier-api/mock/package.json')), 'bin', 'carrier-mock.js');

export interface SandboxThroughputRow {
  setup: string;
  'req/s': string;
  'p50 ms': number | string;
  'p99 ms': number | string;
  non2xx: number | string;
}

/** Starts `carrier-mock centili-payments` with `args`; resolves with its URL once it printed it (bounded: 30 s). */
export function startInstance(args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [bin, 'centili-payments', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (child.kill('SIGTERM'), reject(new Error(`carrier-mock ${args.join(' ')} did not start in 30 s: ${stderr}`))), 30_000);
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((text) => text.startsWith('centili-payments '));
      if (line) {
        clearTimeout(timer);
        resolve({ url: line.split(' ')[1]!.trim(), child });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`carrier-mock ${args.join(' ')} exited with ${code}: ${stderr}`));
    });
  });
}

export async function stopInstance(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(child.pid, 'SIGTERM');
  await exited;
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean) => (socket.destroy(), resolve(ok));
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

/** redis-server on a free loopback port with a temp dir and no persistence; undefined when it is not installed. */
async function startRedis(): Promise<{ url: string; stop(): Promise<void> } | undefined> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'bench-redis-'));
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  let missing = false;
  child.once('error', () => (missing = true));
  const stop = async () => {
    await stopInstance(child);
    rmSync(dir, { recursive: true, force: true });
  };
  for (let attempt = 0; attempt < 400 && !missing && child.exitCode === null; attempt++) {
    if (await ping(port)) return { url: `redis://127.0.0.1:${port}`, stop };
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  await stop();
  return undefined;
}

/** A token from the sandbox at `base` and a transaction it started: the GET every setup is loaded with. */
async function prepare(base: string): Promise<{ path: string; headers: Record<string, string> }> {
  const token = await fetch(`${base}${tokenPath}`, { method: 'POST', body: new URLSearchParams({ client_id: 'bench', grant_type: 'password', username: 'bench', password: 'bench' }) });
  const headers = { Authorization: `Bearer ${((await token.json()) as { access_token: string }).access_token}` };
  const started = await fetch(`${base}/auth/transactions`, {
    method: 'POST',
    headers: { ...headers, 'Content-Type': 'application/json' },
    body: JSON.stringify({ serviceKey: 'abc', userIdentifier: { msisdn: '4366124567' } }),
  });
  return { path: `/auth/transactions/${((await started.json()) as { transactionId: string }).transactionId}`, headers };
}

/** `connections` in all, split evenly over the instances, for `seconds`; req/s summed, latencies of the slowest. */
async function load(setup: string, bases: string[], request: { path: string; headers: Record<string, string> }, seconds: number, connections = 12): Promise<SandboxThroughputRow> {
  const results = await Promise.all(bases.map((base) => autocannon({ url: `${base}${request.path}`, headers: request.headers, connections: connections / bases.length, duration: seconds })));
  return {
    setup,
    'req/s': results.reduce((sum, result) => sum + result.requests.average, 0).toFixed(0),
    'p50 ms': Math.max(...results.map((result) => result.latency.p50)),
    'p99 ms': Math.max(...results.map((result) => result.latency.p99)),
    non2xx: results.reduce((sum, result) => sum + result.non2xx, 0),
  };
}

async function measure(setup: string, argsOfEach: string[][], seconds: number, sandbox: boolean): Promise<SandboxThroughputRow> {
  const instances: ChildProcess[] = [];
  try {
    const bases: string[] = [];
    for (const args of argsOfEach) {
      const started = await startInstance(args);
      instances.push(started.child);
      bases.push(started.url);
    }
    // The plain mock answers the spec's example for any Bearer token and id; the sandbox a real transaction.
    const request = sandbox ? await prepare(bases[0]!) : { path: '/auth/transactions/t-1', headers: { Authorization: 'Bearer bench' } };
    await load(setup, bases, request, 1); // warm-up: every process's JIT, connections, Redis scripts
    return await load(setup, bases, request, seconds);
  } finally {
    await Promise.all(instances.map(stopInstance));
  }
}

/**
 * Loads `GET /auth/transactions/{id}` of centili-payments (the sandbox: token check, fault
 * lookup, two journal writes, the transaction read) on each setup for `seconds`.
 */
export async function sandboxThroughput(seconds = 5): Promise<{ rows: SandboxThroughputRow[]; note?: string }> {
  const rows: SandboxThroughputRow[] = [];
  rows.push(await measure('plain mock (Prism examples), 1 instance', [[]], seconds, false));
  rows.push(await measure('sandbox, in-memory store, 1 instance', [['--sandbox']], seconds, true));
  const redis = await startRedis();
  if (!redis) return { rows, note: 'redis-server is not installed (Debian package redis-server): the Redis rows were skipped.' };
  try {
    const store = ['--sandbox', '--store', redis.url];
    rows.push(await measure('sandbox, Redis store, 1 instance', [[...store, '--store-prefix', 'bench-1:']], seconds, true));
    rows.push(await measure('sandbox, Redis store, 3 instances', [0, 1, 2].map(() => [...store, '--store-prefix', 'bench-3:']), seconds, true));
  } finally {
    await redis.stop();
  }
  return { rows };
}

/** Prints the table (`pnpm bench`). */
export async function printSandboxThroughput(seconds = 5): Promise<void> {
  console.log(`\n## Sandbox throughput: GET /auth/transactions/{id} of centili-payments, 12 connections for ${seconds} s per setup, each instance a process\n`);
  const { rows, note } = await sandboxThroughput(seconds);
  console.table(rows);
  if (note) console.log(note);
  const [, memory, redisOne, redisThree] = rows.map((row) => Number(row['req/s']));
  if (memory && redisOne && redisThree) {
    const os = await import('node:os');
    console.log(
      `Redis store, 1 instance: ${(redisOne / memory).toFixed(2)}x the in-memory sandbox; 3 instances: ${(redisThree / redisOne).toFixed(2)}x one. ` +
        `${os.availableParallelism()} cores shared by the instances, redis-server, autocannon and whatever else runs (load average ${os.loadavg()[0]!.toFixed(1)}): ` +
        'more instances than free cores add no throughput, only context switches.',
    );
  }
}
