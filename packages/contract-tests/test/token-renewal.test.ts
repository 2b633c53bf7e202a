import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '@carrier-api/mock';
import { runContractTests } from '../src/index.js';

const tokenPath = '/auth/realms/api/protocol/openid-connect/token';
const clientId = 'contract-2s';

/**
 * A correct Centili server whose access tokens live 2 s (refresh tokens 30 s) and who answers
 * every request in about 350 ms. It checks our login and each bearer token itself (an expired or
 * unknown one gets the documented 401, from the mock behind it) and passes everything else to the
 * mock, which answers as the contract says.
 */
async function startSlowServer(upstream: string) {
  const accessTokens = new Map<string, number>();
  const refreshTokens = new Map<string, number>();
  const grants = { password: 0, refresh_token: 0, refusedBearer: 0 };
  const issue = () => {
    const access = randomUUID();
    const refresh = randomUUID();
    accessTokens.set(access, Date.now() + 2_000);
    refreshTokens.set(refresh, Date.now() + 30_000);
    return { access_token: access, expires_in: 2, refresh_token: refresh, refresh_expires_in: 30, token_type: 'Bearer' };
  };
  const read = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString();
  };
  const server: Server = createServer(async (req, res) => {
    const body = await read(req);
    await new Promise((resolve) => setTimeout(resolve, 350)); // the server's own latency
    const form = new URLSearchParams(body);
    if (req.url === tokenPath && form.get('client_id') === clientId) {
      const grant = form.get('grant_type');
      const valid =
        grant === 'password'
          ? form.get('username') === 'merchant' && form.get('password') === 's3cret'
          : grant === 'refresh_token' && (refreshTokens.get(form.get('refresh_token') ?? '') ?? 0) > Date.now();
      res.writeHead(valid ? 200 : 401, { 'Content-Type': 'application/json' });
      if (valid) grants[grant as 'password' | 'refresh_token']++;
      return res.end(JSON.stringify(valid ? issue() : { error: 'invalid_grant' }));
    }
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => name !== 'host' && name !== 'content-length')) as Record<string, string>;
    const bearer = headers.authorization?.replace(/^Bearer /, '');
    if (req.url !== tokenPath && bearer !== undefined && !((accessTokens.get(bearer) ?? 0) > Date.now())) {
      grants.refusedBearer++;
      delete headers.authorization; // the mock then answers the documented 401
    }
    const answer = await fetch(`${upstream}${req.url}`, { method: req.method, headers, body: body || undefined });
    res.writeHead(answer.status, { 'Content-Type': answer.headers.get('content-type') ?? 'application/json' });
    res.end(await answer.text());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, grants, close: () => new Promise((resolve) => server.close(resolve)) };
}

let mock: RunningMock;
beforeAll(async () => {
  mock = await startMock({ apis: ['centili-packages'] });
});
afterAll(() => mock.close());

describe('a run that outlives its tokens', () => {
  it('passes against a correct server with 2-second tokens, renewing them through the TokenManager', async () => {
    const server = await startSlowServer(mock.urls['centili-packages']!);
    try {
      const report = await runContractTests({
        api: 'centili-packages',
        baseUrl: server.url,
        credentials: { username: 'merchant', password: 's3cret', clientId },
        checks: ['shape'],
      });
      expect(report.results.filter((result) => result.failures.length > 0).map((result) => `${result.id}: ${result.failures[0]!.message}`)).toEqual([]);
      expect(report.failed).toBe(0);
      expect(report.passed).toBe(16); // the other two cases, missing credentials, are auth checks
      // The run outlived its first token: later ones came from the refresh grant.
      expect(server.grants.password).toBeGreaterThanOrEqual(1);
      expect(server.grants.refresh_token).toBeGreaterThanOrEqual(1);
      expect(server.grants.refusedBearer).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('stops before the first case when the login is refused, saying so', async () => {
    const server = await startSlowServer(mock.urls['centili-packages']!);
    try {
      await expect(runContractTests({ api: 'centili-packages', baseUrl: server.url, credentials: { username: 'merchant', password: 'wrong', clientId } })).rejects.toThrow(/401/);
    } finally {
      await server.close();
    }
  });
});
