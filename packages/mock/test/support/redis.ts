import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const binary = process.env.REDIS_SERVER ?? 'redis-server';
const missing = `redis-server is not installed: the shared-sandbox tests need a real Redis. Install Debian's package: apt-get install -y redis-server (.ci/run does it).`;

/** A free loopback port (the OS picks it; closed again before redis-server takes it). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** One PING over a raw socket: true on +PONG. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

/**
 * A real redis-server of the test's own: loopback, a free port, a temp dir, no persistence.
 * `stop()` kills it by pid (its data is gone); `start()` brings it back, empty, on the same port.
 */
export class TestRedis {
  readonly dir = mkdtempSync(join(tmpdir(), 'carrier-mock-redis-'));
  port = 0;
  private child: ChildProcess | undefined;

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** @throws Error naming the Debian package when redis-server is absent, or when it does not answer PING (bounded wait). */
  async start(): Promise<void> {
    if (this.port === 0) this.port = await freePort();
    const child = spawn(binary, ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--enable-debug-command', 'local', '--dir', this.dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let failure: Error | undefined;
    child.once('error', (error: NodeJS.ErrnoException) => {
      failure = error.code === 'ENOENT' ? new Error(missing) : error;
    });
    let stderr = '';
    // redis-server logs to stdout, the bind failure included.
    for (const stream of [child.stdout!, child.stderr!]) stream.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    // Bounded: 400 tries, each a PING (up to 1 s) then a short pause.
    for (let attempt = 0; attempt < 400; attempt++) {
      if (failure) throw failure;
      if (child.exitCode !== null) throw new RedisExitedError(`redis-server exited with ${child.exitCode}: ${stderr}`);
      if (await ping(this.port)) return;
      await sleep(25);
    }
    await this.stop();
    throw new Error(`redis-server on 127.0.0.1:${this.port} did not answer PING: ${stderr}`);
  }

  /** Kills the server by pid and waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(child.pid, 'SIGCONT');
    process.kill(child.pid, 'SIGKILL');
    await exited;
  }

  /** SIGSTOP / SIGCONT by pid: a Redis that holds its connections but answers nothing, then answers again. */
  signal(signal: 'SIGSTOP' | 'SIGCONT'): void {
    if (this.child?.pid === undefined) throw new Error('redis-server is not running');
    process.kill(this.child.pid, signal);
  }

  /** Stops the server and removes its temp dir. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Starts a TestRedis (see {@link TestRedis.start}). */
export async function startTestRedis(): Promise<TestRedis> {
  // A free port can be taken between our check and redis-server's bind (other test files start
  // theirs at the same time): a server that exits at once is retried on another port, 5 times at most.
  for (let attempt = 1; ; attempt++) {
    const redis = new TestRedis();
    try {
      await redis.start();
      return redis;
    } catch (error) {
      await redis.dispose();
      if (attempt >= 5 || !(error instanceof RedisExitedError)) throw error;
    }
  }
}

/** redis-server exited while starting (e.g. its port was taken). */
class RedisExitedError extends Error {}
