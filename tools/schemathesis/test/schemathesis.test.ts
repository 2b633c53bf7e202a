import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '@carrier-api/mock';
import { bundledSpecPath, listBundledApis } from '@carrier-api/specs';

const schemathesis = resolve(import.meta.dirname, '../../../.venv/schemathesis/bin/schemathesis');

let mock: RunningMock;
beforeAll(async () => {
  mock = await startMock();
});
afterAll(() => mock.close());

/** Runs schemathesis with a fixed seed and a bounded number of examples; resolves with its exit code and output. */
function run(api: string): Promise<{ code: number | null; output: string }> {
  const credentials = api.startsWith('mtn-') ? 'X-API-Key: schemathesis' : 'Authorization: Bearer schemathesis';
  const args = [
    'run', bundledSpecPath(api, 'yaml'),
    '--url', mock.urls[api]!,
    '--header', credentials,
    '--max-examples', '20',
    '--seed', '1',
    '--request-timeout', '10',
    '--generation-database', 'none',
    // Prism checks that credentials are present, never that they are valid: a mock cannot pass ignored_auth.
    '--exclude-checks', 'ignored_auth',
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
    const { code, output } = await run(api);
    expect(output, output).toMatch(/\d+ generated, \d+ passed/);
    expect(code, output).toBe(0);
  }, 300_000);
});
