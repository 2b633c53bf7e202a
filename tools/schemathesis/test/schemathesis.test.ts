import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '@carrier-api/mock';
import { bundledSpecPath, listBundledApis } from '@carrier-api/specs';

const schemathesis = resolve(import.meta.dirname, '../../../.venv/schemathesis/bin/schemathesis');

const apiKey = 'schemathesis-key';
let mock: RunningMock;
let sandbox: RunningMock;
beforeAll(async () => {
  [mock, sandbox] = await Promise.all([startMock(), startMock({ sandbox: { apiKeys: [apiKey] } })]);
});
afterAll(() => Promise.all([mock?.close(), sandbox?.close()]));

/** A credential the sandbox really issued: its password grant's access token, or its API key (MTN). */
async function sandboxCredentials(api: string): Promise<string> {
  if (api.startsWith('mtn-')) return `X-API-Key: ${apiKey}`;
  const body = new URLSearchParams({ grant_type: 'password', client_id: 'schemathesis', username: 'schemathesis', password: 'schemathesis' });
  const answer = await fetch(sandbox.tokenUrl(api), { method: 'POST', body });
  expect(answer.status).toBe(200);
  return `Authorization: Bearer ${((await answer.json()) as { access_token: string }).access_token}`;
}

/**
 * Runs schemathesis with a fixed seed and a bounded number of examples against a running mock;
 * resolves with its exit code and output.
 *
 * @param excludeChecks schemathesis checks that cannot hold for that server, each with its reason beside the call.
 */
function run(api: string, url: string, credentials: string, excludeChecks: string[]): Promise<{ code: number | null; output: string }> {
  const args = [
    'run', bundledSpecPath(api, 'yaml'),
    '--url', url,
    '--header', credentials,
    '--max-examples', '20',
    '--seed', '1',
    '--request-timeout', '10',
    '--generation-database', 'none',
    ...(excludeChecks.length > 0 ? ['--exclude-checks', excludeChecks.join(',')] : []),
    '--no-color',
  ];
  return new Promise((resolvePromise) => {
    const child = spawn(schemathesis, args, { cwd: join(import.meta.dirname, '..'), env: { ...process.env, SCHEMATHESIS_TELEMETRY: 'false' } });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, output });
    });
  });
}

describe('schemathesis against the mock of every API', () => {
  it('is installed by the install step', () => {
    expect(existsSync(schemathesis)).toBe(true);
  });

  it.each(listBundledApis().map((api) => api.name))('%s: 0 failures', async (api) => {
    const credentials = api.startsWith('mtn-') ? 'X-API-Key: schemathesis' : 'Authorization: Bearer schemathesis';
    // Prism checks that credentials are present, never that they are valid: a plain mock cannot pass ignored_auth.
    const { code, output } = await run(api, mock.urls[api]!, credentials, ['ignored_auth']);
    expect(output, output).toMatch(/\d+ generated, \d+ passed/);
    expect(code, output).toBe(0);
  }, 300_000);
});

describe('schemathesis against the sandbox of every API, auth checks included', () => {
  it.each(listBundledApis().map((api) => api.name))('%s: 0 failures', async (api) => {
    // positive_data_acceptance expects every schema-valid request to succeed, but the documents'
    // own business refusals answer valid requests with a documented 4xx: a wrong PIN (400
    // "Invalid PIN sent"), a release of a finished transaction, an assignment to a service with no
    // data pool, an unknown transaction (404). Those answers are checked by status_code_conformance
    // and response_schema_conformance instead.
    const { code, output } = await run(api, sandbox.urls[api]!, await sandboxCredentials(api), ['positive_data_acceptance']);
    expect(output, output).toMatch(/\d+ generated, \d+ passed/);
    expect(code, output).toBe(0);
  }, 300_000);
});
