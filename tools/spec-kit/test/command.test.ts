import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const tools = resolve(import.meta.dirname, '../..');

/**
 * Bad usage of every command of tools/: one line naming the mistake, then the usage, exit code 2,
 * and never a stack trace. A row: the command (a bin under tools/), its arguments, and what the
 * first line must say.
 */
const rows: [bin: string, args: string[], says: RegExp][] = [
  ['spec-kit/bin/carrier-bundle.mjs', [], /--out <dir> is required/],
  ['spec-kit/bin/carrier-bundle.mjs', ['--out'], /'--out <value>' argument missing/],
  ['spec-kit/bin/carrier-bundle.mjs', ['--out', '/tmp/unused', 'no-such-api'], /unknown API "no-such-api"; known: .*centili-payments/],
  ['spec-kit/bin/carrier-lint.mjs', ['--fix'], /Unknown option '--fix'$/],
  ['spec-kit/bin/carrier-lint.mjs', ['--bundles', '/no/such/dir'], /--bundles: \/no\/such\/dir does not exist/],
  ['spec-kit/bin/carrier-lint.mjs', ['extra'], /Unexpected argument 'extra': at most 0 are taken/],
  ['client-gen/bin/carrier-generate-client.mjs', [], /expects 1 argument\(s\), got 0/],
  ['client-gen/bin/carrier-generate-client.mjs', ['centili-payments', 'centili-services'], /Unexpected argument 'centili-services': at most 1 are taken/],
  ['client-gen/bin/carrier-generate-client.mjs', ['no-such-api'], /unknown API "no-such-api"/],
  ['sdk-gen/bin/carrier-generate-sdk.mjs', ['no-such-api', '--out', '/tmp/unused'], /unknown API "no-such-api"/],
  ['sdk-gen/bin/carrier-generate-sdk.mjs', ['centili-payments', '--output', 'x'], /Unknown option '--output'$/],
  ['sdk-gen/bin/carrier-generate-sdk.mjs', ['centili-payments', '--check', '--out', '/no/such/dir'], /--out \/no\/such\/dir: nothing to check, the folder does not exist/],
  ['new-api/bin/carrier-new-api.mjs', [], /expects 1 argument\(s\), got 0/],
  ['new-api/bin/carrier-new-api.mjs', ['Bad_Name'], /"Bad_Name" is not a kebab-case name/],
  ['new-api/bin/carrier-new-api.mjs', ['shared'], /"shared" is specs\/shared/],
  ['new-api/bin/carrier-new-api.mjs', ['no-such-api'], /specs\/no-such-api\/openapi.yaml does not exist: write the API's spec there first/],
  ['new-api/bin/carrier-new-api.mjs', ['centili-payments'], /packages\/centili-payments exists already; --refresh rewrites/],
  ['new-api/bin/carrier-new-api.mjs', ['centili-payments', '--install'], /Unknown option '--install'$/],
  ['contract-gen/bin/carrier-generate-contract-cases.mjs', ['--out'], /'--out <value>' argument missing/],
];

describe('bad usage of the tools’ commands', () => {
  it.each(rows)('%s %j: one line, the usage, exit 2', (bin, args, says) => {
    const run = spawnSync(process.execPath, [resolve(tools, bin), ...args], { encoding: 'utf8', timeout: 60_000 });
    const [first, ...rest] = run.stderr.split('\n');
    expect(first, run.stderr).toMatch(says);
    expect(rest.join('\n'), run.stderr).toMatch(/^\nusage: /);
    expect(run.stderr, 'no stack trace').not.toMatch(/^\s+at /m);
    expect(run.stdout).toBe('');
    expect(run.status).toBe(2);
  });

  // A generator empties its --out folder: never one that is a project or holds the working directory.
  it.each([
    ['client-gen/bin/carrier-generate-client.mjs', ['centili-payments', '--out', '.']],
    ['contract-gen/bin/carrier-generate-contract-cases.mjs', ['--out', '..']],
    ['sdk-gen/bin/carrier-generate-sdk.mjs', ['centili-payments', '--out', 'project']],
  ])('%s %j refuses to empty the folder, exit 2, and leaves it as it was', (bin, args) => {
    const cwd = mkdtempSync(join(tmpdir(), 'out-guard-'));
    mkdirSync(join(cwd, 'project'));
    writeFileSync(join(cwd, 'project', 'package.json'), '{}');
    writeFileSync(join(cwd, 'keep.txt'), 'mine');
    const run = spawnSync(process.execPath, [resolve(tools, bin), ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr.split('\n')[0], run.stderr).toMatch(/--out .*: refusing to empty it, it holds/);
    expect(run.status).toBe(2);
    expect(readFileSync(join(cwd, 'keep.txt'), 'utf8')).toBe('mine');
    expect(existsSync(join(cwd, 'project', 'package.json'))).toBe(true);
  });

  it('--help prints the usage and exits 0', () => {
    const run = spawnSync(process.execPath, [resolve(tools, 'spec-kit/bin/carrier-bundle.mjs'), '--help'], { encoding: 'utf8', timeout: 60_000 });
    expect(run.stdout).toMatch(/^usage: carrier-bundle --out <dir>/);
    expect(run.status).toBe(0);
  });
});
