import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { listBundledApis } from '@carrier-api/specs';
import { runCli } from './support/cli.js';
import { startTestRedis } from './support/redis.js';

describe('carrier-mock CLI', () => {
  it('prints one URL per API, answers on each, and stops cleanly on SIGTERM', async () => {
    // Every API of specs/, whatever their number (one added with `pnpm new-api` included).
    const apis = listBundledApis().map((api) => api.name);
    const run = runCli(['--port', '0'], apis.length);
    await run.ready;
    const urls = Object.fromEntries(run.output().stdout.trim().split('\n').map((line) => line.split(' ')));
    expect(Object.keys(urls).sort()).toEqual([...apis].sort());
    const response = await fetch(`${urls['centili-packages']}/payments/v3/services/packages?serviceKey=abc&country=es`, { headers: { Authorization: 'Bearer t' } });
    expect(response.status).toBe(200);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    await expect(fetch(`${urls['centili-packages']}/payments/v3/services/packages`)).rejects.toThrow();
  });

  it('serves only the APIs named, from --port up, and stops on SIGINT', async () => {
    const free = createServer();
    await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
    const port = (free.address() as { port: number }).port;
    await new Promise((resolve) => free.close(resolve));
    const run = runCli(['mtn-ng-data-gifting', '--port', String(port)], 1);
    await run.ready;
    expect(run.output().stdout).toBe(`mtn-ng-data-gifting http://127.0.0.1:${port}\n`);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
  });

  it('exits 2 naming an unknown API', async () => {
    const run = runCli(['centili-payment']);
    expect(await run.exited).toBe(2);
    expect(run.output().stderr).toContain('Unknown API "centili-payment"');
  });

  it('exits 1 when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const run = runCli(['centili-payments', '--port', String(port)]);
      expect(await run.exited).toBe(1);
      expect(run.output().stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('exits 2 on a bad --port', async () => {
    const run = runCli(['--port', 'eighty']);
    expect(await run.exited).toBe(2);
    expect(run.output().stderr).toContain('--port must be an integer');
  });

  it('serves sandboxes with --sandbox and --pin: real tokens, the configured PIN, the admin journal', async () => {
    const run = runCli(['centili-payments', '--port', '0', '--sandbox', '--pin', '4321'], 1);
    await run.ready;
    const base = run.output().stdout.trim().split(' ')[1]!;
    try {
      expect((await fetch(`${base}/auth/transactions/t-1`, { headers: { Authorization: 'Bearer forged' } })).status).toBe(401);
      const token = await fetch(`${base}/auth/realms/api/protocol/openid-connect/token`, { method: 'POST', body: new URLSearchParams({ client_id: 'c', grant_type: 'password', username: 'u', password: 'p' }) });
      const headers = { Authorization: `Bearer ${((await token.json()) as { access_token: string }).access_token}`, 'Content-Type': 'application/json' };
      const started = await fetch(`${base}/auth/transactions`, { method: 'POST', headers, body: JSON.stringify({ serviceKey: 'abc', userIdentifier: { msisdn: '4366124567' } }) });
      const { transactionId } = (await started.json()) as { transactionId: string };
      expect((await fetch(`${base}/auth/transactions/${transactionId}/pin`, { method: 'POST', headers, body: '{"pin":"4321"}' })).status).toBe(200);
      const journal = (await (await fetch(`${base}/__admin/requests`)).json()) as { requests: Array<{ operationId: string }> };
      expect(journal.requests.map((entry) => entry.operationId)).toEqual(['getTransaction', 'createToken', 'startTransaction', 'submitPin']);
    } finally {
      run.child.kill('SIGTERM');
    }
    expect(await run.exited).toBe(0);
  });

  it('--store: two carrier-mock processes on one Redis are one sandbox (a token of one works on the other); --store-prefix keeps a third apart', async () => {
    const redis = await startTestRedis();
    const runs = [
      runCli(['centili-payments', '--port', '0', '--sandbox', '--store', redis.url], 1),
      runCli(['centili-payments', '--port', '0', '--sandbox', '--store', `${redis.url}/0`], 1),
      runCli(['centili-payments', '--port', '0', '--sandbox', '--store', redis.url, '--store-prefix', 'elsewhere:'], 1),
    ];
    try {
      await Promise.all(runs.map((run) => run.ready));
      const [one, two, apart] = runs.map((run) => run.output().stdout.trim().split(' ')[1]!);
      const token = await fetch(`${one}/auth/realms/api/protocol/openid-connect/token`, { method: 'POST', body: new URLSearchParams({ client_id: 'c', grant_type: 'password', username: 'u', password: 'p' }) });
      const headers = { Authorization: `Bearer ${((await token.json()) as { access_token: string }).access_token}` };
      expect((await fetch(`${two}/auth/transactions/t-1`, { headers })).status).toBe(404);
      expect((await fetch(`${apart}/auth/transactions/t-1`, { headers })).status).toBe(401);
      expect(await (await fetch(`${two}/__admin/health`)).json()).toMatchObject({ status: 'up', store: expect.stringContaining('prefix carrier-mock:') });
    } finally {
      for (const run of runs) run.child.kill('SIGTERM');
      const codes = await Promise.all(runs.map((run) => run.exited));
      await redis.dispose();
      expect(codes).toEqual([0, 0, 0]);
    }
  }, 120_000);

  it('exits 2 on a --store that is not a redis:// URL or a --store-prefix without --store, and 1 when the store cannot be reached', async () => {
    const [notRedis, prefixOnly, unreachable] = [
      runCli(['--sandbox', '--store', 'localhost:6379']),
      runCli(['--sandbox', '--store-prefix', 'x:']),
      runCli(['centili-payments', '--port', '0', '--sandbox', '--store', 'redis://127.0.0.1:1']),
    ];
    expect(await Promise.all([notRedis.exited, prefixOnly.exited, unreachable.exited])).toEqual([2, 2, 1]);
    expect(notRedis.output().stderr).toContain('--store must be a redis:// URL');
    expect(prefixOnly.output().stderr).toContain('--store-prefix needs --store');
    expect(unreachable.output().stderr).toContain('did not answer');
  });

  // Every usage mistake: one line naming it, then the usage, exit 2, never a stack trace.
  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['--port'], /'--port <value>' argument missing/],
    [['--port', 'eighty'], /--port must be an integer/],
    [['centili-payment'], /Unknown API "centili-payment"/],
    [['--pin', '1111'], /--pin needs --sandbox/],
  ])('bad usage %j: one line, the usage, exit 2', async (args, says) => {
    const run = runCli(args);
    expect(await run.exited).toBe(2);
    const { stderr } = run.output();
    expect(stderr.split('\n')[0], stderr).toMatch(says);
    expect(stderr, stderr).toMatch(/usage: carrier-mock/);
    expect(stderr, 'no stack trace').not.toMatch(/^\s+at /m);
  });

  it('exits 2 on a sandbox flag without --sandbox', async () => {
    const run = runCli(['--pin', '1111']);
    expect(await run.exited).toBe(2);
    expect(run.output().stderr).toContain('--pin needs --sandbox');
  });
});
