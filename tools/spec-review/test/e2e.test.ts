import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { specsDir } from '@carrier-api/spec-kit';

const tsx = resolve(import.meta.dirname, '../node_modules/.bin/tsx');
const cli = (name: string) => resolve(import.meta.dirname, '../src/cli', `${name}.ts`);
let repo: string;

const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
const run = (name: string, ...args: string[]) => spawnSync(tsx, [cli(name), ...args], { cwd: repo, encoding: 'utf8' });

/** A repository like ours: specs and packages on main, then a branch whose commit breaks a spec. */
beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'spec-review-e2e-'));
  git('init', '--quiet', '--initial-branch=main');
  git('config', 'user.email', 'ci@example.com');
  git('config', 'user.name', 'CI');
  cpSync(specsDir, join(repo, 'specs'), { recursive: true });
  for (const name of ['centili-payments', 'centili-payments-sdk', 'centili-packages', 'specs', 'mock', 'contract-tests']) {
    mkdirSync(join(repo, 'packages', name), { recursive: true });
    writeFileSync(join(repo, 'packages', name, 'package.json'), JSON.stringify({ name: `@carrier-api/${name}`, version: '1.0.0' }));
  }
  mkdirSync(join(repo, '.changeset'));
  writeFileSync(join(repo, '.changeset', 'config.json'), JSON.stringify({ baseBranch: 'main' }));
  git('add', '-A');
  git('commit', '--quiet', '-m', 'specs');
  git('checkout', '--quiet', '-b', 'require-otp');
  const file = join(repo, 'specs', 'centili-payments', 'openapi.yaml');
  const spec = readFileSync(file, 'utf8');
  const broken = spec.replace(
    "      required: [pin]\n      properties:\n        pin:",
    "      required: [pin, otp]\n      properties:\n        otp:\n          type: string\n          description: A one-time password.\n        pin:",
  );
  expect(broken).not.toBe(spec);
  writeFileSync(file, broken);
  git('commit', '--quiet', '-am', 'Require an OTP with the PIN');
});

describe('spec review on a git repository', () => {
  it('spec-diff reports the breaking change against the merge base with main, in Markdown', () => {
    const result = run('spec-diff');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('<!-- carrier-api:spec-review -->');
    expect(result.stdout).toContain('### `centili-payments`: changed, needs a **major** release');
    expect(result.stdout).toMatch(/\| 🔴 breaking \| added the new required request property `otp` \| `POST \/auth\/transactions\/\{transactionId\}\/pin` \(submitPin\) \|/);
    expect(result.stdout).toContain('| `@carrier-api/centili-payments-sdk` | major | centili-payments |');
    expect(result.stdout).not.toContain('centili-packages`: changed');
  });

  it('spec-diff --format json lists every affected package with its bump', () => {
    const review = JSON.parse(run('spec-diff', '--base', 'main', '--format', 'json').stdout) as { packages: { name: string; bump: string }[] };
    expect(review.packages).toEqual([
      { name: '@carrier-api/centili-payments', bump: 'major', apis: ['centili-payments'] },
      { name: '@carrier-api/centili-payments-sdk', bump: 'major', apis: ['centili-payments'] },
      { name: '@carrier-api/contract-tests', bump: 'major', apis: ['centili-payments'] },
      { name: '@carrier-api/mock', bump: 'major', apis: ['centili-payments'] },
      { name: '@carrier-api/specs', bump: 'major', apis: ['centili-payments'] },
    ]);
  });

  it('changeset:check fails naming the package and the bump, then passes once a major changeset exists', () => {
    const missing = run('changeset-check');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('@carrier-api/centili-payments needs a major changeset (spec change in centili-payments); it has none. Run pnpm changeset.');

    writeFileSync(join(repo, '.changeset', 'otp.md'), '---\n"@carrier-api/centili-payments": minor\n---\n\nRequire an OTP.\n');
    const tooSmall = run('changeset-check');
    expect(tooSmall.status).toBe(1);
    expect(tooSmall.stderr).toContain('@carrier-api/centili-payments needs a major changeset (spec change in centili-payments); it has only a minor.');

    const packages = ['centili-payments', 'centili-payments-sdk', 'contract-tests', 'mock', 'specs'].map((name) => `"@carrier-api/${name}": major`).join('\n');
    writeFileSync(join(repo, '.changeset', 'otp.md'), `---\n${packages}\n---\n\nRequire an OTP with the PIN.\n`);
    const enough = run('changeset-check');
    expect(enough.stderr).toBe('');
    expect(enough.status).toBe(0);
  });
});
