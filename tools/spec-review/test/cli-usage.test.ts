import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const tsx = resolve(import.meta.dirname, '../node_modules/.bin/tsx');
const cli = (name: string) => resolve(import.meta.dirname, '../src/cli', `${name}.ts`);

/** A git repository whose only branch is not main (so there is no merge base), and a folder in none. */
let repo: string;
let outside: string;
beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'spec-review-usage-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'ignore' });
  git('init', '--quiet', '--initial-branch=trunk');
  git('-c', 'user.email=ci@example.com', '-c', 'user.name=CI', 'commit', '--quiet', '--allow-empty', '-m', 'empty');
  outside = mkdtempSync(join(tmpdir(), 'spec-review-no-git-'));
  // The temporary folder must not itself be inside a work tree, or "outside" would not be.
  expect(spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd: outside }).status).not.toBe(0);
});

const cases: { command: 'spec-diff' | 'changeset-check'; args: string[]; where: 'repo' | 'outside'; says: RegExp }[] = [
  { command: 'spec-diff', args: ['--head', 'no-such-ref', '--base', 'HEAD'], where: 'repo', says: /^spec-diff: --head no-such-ref names no commit in / },
  { command: 'spec-diff', args: ['--output', 'x'], where: 'repo', says: /^spec-diff: Unknown option '--output'/ },
  { command: 'spec-diff', args: ['a.yaml', 'b.yaml', '--base', 'HEAD'], where: 'repo', says: /^spec-diff: pass two spec files or --base\/--head, not both$/ },
  { command: 'spec-diff', args: ['a.yaml', 'b.yaml', 'c.yaml'], where: 'repo', says: /^spec-diff: Unexpected argument 'c.yaml': at most 2 are taken$/ },
  { command: 'spec-diff', args: ['no-such.yaml', 'other.yaml'], where: 'outside', says: /^spec-diff: no-such.yaml: no such file$/ },
  { command: 'spec-diff', args: ['--base'], where: 'repo', says: /^spec-diff: Option '--base <value>' argument missing/ },
  { command: 'spec-diff', args: ['--format', 'xml'], where: 'repo', says: /^spec-diff: --format must be markdown, json or github, got "xml"$/ },
  { command: 'spec-diff', args: ['HEAD'], where: 'repo', says: /^spec-diff: one spec file given \(HEAD\): pass the base spec and the head spec$/ },
  { command: 'spec-diff', args: ['--base', 'no-such-ref'], where: 'repo', says: /^spec-diff: --base no-such-ref names no commit in / },
  { command: 'spec-diff', args: [], where: 'repo', says: /^spec-diff: no merge base with main or origin\/main: pass --base <git ref>$/ },
  { command: 'spec-diff', args: [], where: 'outside', says: /^spec-diff: .* is not inside a git repository: run it in a clone of the project$/ },
  { command: 'changeset-check', args: ['--format', 'json'], where: 'repo', says: /^changeset:check: Unknown option '--format'/ },
  { command: 'changeset-check', args: ['--base', 'no-such-ref'], where: 'repo', says: /^changeset:check: --base no-such-ref names no commit in / },
  { command: 'changeset-check', args: [], where: 'outside', says: /^changeset:check: .* is not inside a git repository/ },
];

describe('bad usage gets one line, the usage and exit code 2, never a stack trace', () => {
  it.each(cases)('$command $args ($where)', ({ command, args, where, says }) => {
    const result = spawnSync(tsx, [cli(command), ...args], { cwd: where === 'repo' ? repo : outside, encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(2);
    const [first, blank, usage] = result.stderr.split('\n');
    expect(first).toMatch(says);
    expect(blank).toBe('');
    expect(usage).toMatch(/^usage: pnpm (spec-diff|changeset:check) /);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stdout).toBe('');
  });

  it.each(['spec-diff', 'changeset-check'])('%s --help prints the usage and exits 0', (command) => {
    const result = spawnSync(tsx, [cli(command), '--help'], { cwd: outside, encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^usage: pnpm /);
  });
});
