// Runs our checks and schemathesis (stateful phase and all its checks, bounded and seeded) on the
// same deliberately broken servers (test/fixtures/broken-server.ts), and prints what each catches:
//   npx tsx scripts/compare-schemathesis.ts [--max-examples 5] [--seed 1] [--only <text in a row's name>]
// Schemathesis' failures on the broken server are compared with its failures on the correct
// sandbox behind it (its baseline), so that only what the breakage adds counts as caught.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startMock } from '@carrier-api/mock';
import { bundledSpecPath } from '@carrier-api/specs';
import { runContractTests, type ContractCredentials } from '../src/index.js';
import { brokenServers, startBrokenServer } from '../test/fixtures/broken-server.js';

const { values } = parseArgs({ options: { 'max-examples': { type: 'string', default: '5' }, seed: { type: 'string', default: '1' }, only: { type: 'string' } } });
const schemathesis = resolve(import.meta.dirname, '../../../.venv/schemathesis/bin/schemathesis');
const pin = '4321';
const apiKey = 'contract-good-key';
const sandbox = await startMock({ sandbox: { pin, apiKeys: [apiKey] } });

async function token(api: string): Promise<string> {
  const answer = await fetch(sandbox.tokenUrl(api), { method: 'POST', body: new URLSearchParams({ client_id: 'compare', grant_type: 'password', username: 'merchant', password: 's3cret' }) });
  return ((await answer.json()) as { access_token: string }).access_token;
}
const credentialsFor = (api: string): ContractCredentials => (api.startsWith('mtn-') ? { apiKey } : { username: 'merchant', password: 's3cret' });

/** Schemathesis' failure codes and names ("ST202 Schema-valid request rejected") on one server. */
async function runSchemathesis(api: string, url: string): Promise<Set<string>> {
  const header = api.startsWith('mtn-') ? `X-API-Key: ${apiKey}` : `Authorization: Bearer ${await token(api)}`;
  const args = ['run', bundledSpecPath(api, 'yaml'), '--url', url, '--header', header, '--max-examples', values['max-examples']!, '--seed', values.seed!, '--request-timeout', '10', '--generation-database', 'none', '--phases', 'examples,coverage,fuzzing,stateful', '--checks', 'all', '--no-color'];
  const output = await new Promise<string>((done) => {
    const child = spawn(schemathesis, args, { env: { ...process.env, SCHEMATHESIS_TELEMETRY: 'false' } });
    let text = '';
    child.stdout.on('data', (chunk) => (text += chunk));
    child.stderr.on('data', (chunk) => (text += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.on('exit', () => {
      clearTimeout(timer);
      done(text);
    });
  });
  if (process.env.COMPARE_VERBOSE) console.error(output);
  const summary = output.slice(output.lastIndexOf('Failures:'));
  return new Set([...summary.matchAll(/❌ (ST\d+ [^:\n]+):/g)].map((match) => match[1]!));
}

const rows = brokenServers({ pin, apiKey, token }).filter((row) => !values.only || row.server.includes(values.only));
const baselines = new Map<string, Set<string>>();
for (const api of new Set(rows.map((row) => row.api))) {
  await sandbox.reset();
  baselines.set(api, await runSchemathesis(api, sandbox.urls[api]!));
  console.error(`baseline ${api}: ${[...baselines.get(api)!].join(', ') || 'none'}`);
}
const lines = ['| broken server | ours: the check meant for it | ours: checks failed | schemathesis: failures beyond its baseline |', '| --- | --- | --- | --- |'];
for (const row of rows) {
  const broken = await startBrokenServer(sandbox.urls[row.api]!, row.breakage);
  try {
    await sandbox.reset();
    const report = await runContractTests({ api: row.api, baseUrl: broken.url, credentials: credentialsFor(row.api), pin });
    const failed = report.results.filter((result) => result.outcome === 'failed').map((result) => result.id);
    const caught = row.caughtBy.every((id) => failed.includes(id));
    await sandbox.reset();
    const theirs = [...(await runSchemathesis(row.api, broken.url))].filter((failure) => !baselines.get(row.api)!.has(failure));
    lines.push(`| ${row.server} (${row.api}) | ${caught ? 'caught' : 'MISSED'}: ${row.caughtBy.map((id) => `\`${id}\``).join(', ')} | ${failed.length} | ${theirs.join(', ') || 'nothing'} |`);
    console.error(lines.at(-1));
  } finally {
    await broken.close();
  }
}
console.error(`baselines (schemathesis on the correct sandbox): ${[...baselines].map(([api, failures]) => `${api}: ${[...failures].join(', ') || 'none'}`).join('; ')}`);
console.log(lines.join('\n'));
await sandbox.close();
