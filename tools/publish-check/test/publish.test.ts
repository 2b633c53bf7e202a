import { execFileSync, spawn, type ChildProcess, type ExecFileSyncOptions } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = resolve(import.meta.dirname, '../../..');
const verdaccioBin = resolve(import.meta.dirname, '../node_modules/.bin/verdaccio');
const work = mkdtempSync(join(tmpdir(), 'carrier-publish-'));
let verdaccio: ChildProcess;
let registry: string;
let npmrc: string;

/** The packages a release publishes: every package of packages/ that is not private. */
const published = readdirSync(join(repoRoot, 'packages'))
  .map((dir) => JSON.parse(readFileSync(join(repoRoot, 'packages', dir, 'package.json'), 'utf8')) as { name: string; version: string; private?: boolean })
  .filter((pkg) => !pkg.private);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

beforeAll(async () => {
  const port = await freePort();
  registry = `http://127.0.0.1:${port}/`;
  const config = join(work, 'verdaccio.yaml');
  writeFileSync(
    config,
    [
      `storage: ${join(work, 'storage')}`,
      'auth:',
      '  htpasswd:',
      `    file: ${join(work, 'htpasswd')}`,
      'uplinks: {}',
      'packages:',
      "  '@carrier-api/*':",
      '    access: $all',
      '    publish: $authenticated',
      "  '**':",
      '    access: $all',
      'log: { type: stdout, format: pretty, level: warn }',
      '',
    ].join('\n'),
  );
  verdaccio = spawn(verdaccioBin, ['--config', config, '--listen', `127.0.0.1:${port}`], { stdio: 'ignore' });
  // Health check, bounded: never a fixed sleep.
  for (let attempt = 0; ; attempt++) {
    try {
      if ((await fetch(`${registry}-/ping`)).ok) break;
    } catch {
      if (attempt > 300) throw new Error('Verdaccio did not answer within 30 s');
      await new Promise((done) => setTimeout(done, 100));
    }
  }
  const user = await fetch(`${registry}-/user/org.couchdb.user:release`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'release', password: 'release-password' }),
  });
  const { token } = (await user.json()) as { token: string };
  npmrc = join(work, '.npmrc');
  writeFileSync(npmrc, `registry=${registry}\n//127.0.0.1:${port}/:_authToken=${token}\n`);
}, 60_000);

/** Runs a command; a failure names the command and shows what it printed (execFileSync's own error hides stdout). */
function run(command: string, args: string[], options: ExecFileSyncOptions & { timeout: number }): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: 'pipe', ...options }).toString();
  } catch (error) {
    const { stdout, stderr, status } = error as { stdout?: Buffer | string; stderr?: Buffer | string; status?: number | null };
    throw new Error(`${command} ${args.join(' ')} exited ${status ?? 'on a signal'}:\n${String(stdout ?? '')}${String(stderr ?? '')}`.trimEnd());
  }
}

/** The consumer's vitest runs as its own: none of this run's VITEST* variables (worker ids, mode) leak into it. */
function consumerVitestEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('VITEST') && name !== 'NODE_ENV')), CI: '1' };
}

afterAll(() => {
  verdaccio?.kill('SIGTERM');
});

describe('a release to a local registry', () => {
  it('publishes every package with the release command', () => {
    // The command the release workflow runs (pnpm release = changeset publish); --no-git-tag keeps
    // this repository's tags as they are.
    run('pnpm', ['run', 'release', '--no-git-tag'], {
      cwd: repoRoot,
      env: { ...process.env, NPM_CONFIG_USERCONFIG: npmrc, npm_config_registry: registry },
      timeout: 300_000,
    });
    for (const pkg of published) {
      const packument = JSON.parse(run('npm', ['view', pkg.name, 'versions', '--json', '--registry', registry], { timeout: 60_000 })) as string[] | string;
      expect([packument].flat(), pkg.name).toContain(pkg.version);
    }
  }, 300_000);

  it('installs into a project outside the workspace, compiles strictly as ESM and CJS, calls the mock, and runs a vitest file on the MSW sandbox', () => {
    const consumer = join(work, 'consumer');
    cpSync(join(import.meta.dirname, '..', 'consumer'), consumer, { recursive: true });
    writeFileSync(join(consumer, '.npmrc'), `@carrier-api:registry=${registry}\n`);
    const env = { ...process.env, NPM_CONFIG_USERCONFIG: join(consumer, '.npmrc') };
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: consumer, env, timeout: 300_000 });
    // Workspace links would hide packaging mistakes: these must be the published tarballs.
    const installed = JSON.parse(readFileSync(join(consumer, 'node_modules', '@carrier-api', 'runtime', 'package.json'), 'utf8')) as { version: string };
    expect(installed.version).toBe(published.find((pkg) => pkg.name === '@carrier-api/runtime')!.version);

    run('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: consumer, env, timeout: 120_000 });
    const esm = run('node', ['dist/esm.mjs'], { cwd: consumer, timeout: 60_000 });
    expect(JSON.parse(esm)).toEqual({ module: 'esm', transactionStatus: 'COMPLETED', amtCharged: 1, refused: 403 });
    const cjs = run('node', ['dist/cjs.cjs'], { cwd: consumer, timeout: 60_000 });
    expect(JSON.parse(cjs)).toEqual({ module: 'cjs', transactionType: 'CHARGE', amtCharged: 1 });

    // The sandbox in-process: the consumer's own vitest with msw from the registry and
    // @carrier-api/mock/msw from the tarball (test/payments.msw.test.ts), no port.
    const vitest = run('npx', ['vitest', 'run', '--reporter=verbose', '--no-color'], { cwd: consumer, env: consumerVitestEnv(env), timeout: 120_000 });
    expect(vitest).toContain('charges once per Idempotency-Key, and three wrong PINs use the PIN up');
    expect(vitest).toMatch(/Tests\s+2 passed \(2\)/);
  }, 600_000);
});
