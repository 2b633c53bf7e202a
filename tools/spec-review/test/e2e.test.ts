import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyCommittedSpecs } from './committed-specs.ts';

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
  copyCommittedSpecs(repo);
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
      { name: '@carrier-api/centili-payments', bump: 'major', apis: ['centili-payments'], because: ['wire', 'code'] },
      { name: '@carrier-api/centili-payments-sdk', bump: 'major', apis: ['centili-payments'], because: ['wire', 'code'] },
      { name: '@carrier-api/contract-tests', bump: 'major', apis: ['centili-payments'], because: ['wire'] },
      { name: '@carrier-api/mock', bump: 'major', apis: ['centili-payments'], because: ['wire'] },
      { name: '@carrier-api/specs', bump: 'major', apis: ['centili-payments'], because: ['wire'] },
    ]);
  });

  it('spec-diff --format github annotates the spec line of each change, with the old and new signature', () => {
    const result = run('spec-diff', '--base', 'main', '--format', 'github');
    expect(result.status, result.stderr).toBe(0);
    const spec = readFileSync(join(repo, 'specs', 'centili-payments', 'openapi.yaml'), 'utf8').split('\n');
    const wire = result.stdout.split('\n').find((line) => line.includes('new-required-request-property'))!;
    expect(wire).toMatch(/^::error file=specs\/centili-payments\/openapi\.yaml,line=\d+,title=centili-payments%3A breaking on the wire/);
    expect(spec[Number(/line=(\d+)/.exec(wire)![1]) - 1]).toContain('submitPin');
    const sdk = result.stdout.split('\n').find((line) => line.includes("in the SDK's code"))!;
    expect(sdk).toMatch(/^::error file=specs\/centili-payments\/openapi\.yaml,line=\d+,.*::required member `PinRequest\.otp` added: callers must now pass it%0Aafter: PinRequest\.otp: string$/);
    expect(spec[Number(/line=(\d+)/.exec(sdk)![1]) - 1]).toMatch(/PinRequest|otp/);
    expect(result.stdout).toContain('::notice title=spec-review%3A releases needed::@carrier-api/centili-payments: major (wire and code)');
  });

  it('spec-diff --head compares two refs, whatever the working tree holds', () => {
    const result = run('spec-diff', '--base', 'main', '--head', 'main');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('No spec changed.');
  });

  it('pnpm -C <carrier-api> spec-diff, typed in another repository, reviews that one', () => {
    // What pnpm does: the script runs in carrier-api's root, INIT_CWD is where it was typed.
    const result = spawnSync(tsx, [cli('spec-diff'), '--base', 'main', '--format', 'json', '--wire-only'], {
      cwd: resolve(import.meta.dirname, '../../..'),
      env: { ...process.env, npm_lifecycle_event: 'spec-diff', INIT_CWD: join(repo, 'specs') },
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(0);
    const review = JSON.parse(result.stdout) as { apis: { api: string; status: string }[] };
    expect(review.apis.filter((api) => api.status === 'changed').map((api) => api.api)).toEqual(['centili-payments']);
  });

  it('spec-diff of two spec files names the API by its folder and prints paths relative to the repository', () => {
    const base = join(repo, 'base-payments.yaml');
    writeFileSync(base, execFileSync('git', ['show', 'main:specs/centili-payments/openapi.yaml'], { cwd: repo, encoding: 'utf8' }).replaceAll('../shared/', 'specs/shared/'));
    const result = run('spec-diff', '--format', 'json', '--wire-only', 'base-payments.yaml', 'specs/centili-payments/openapi.yaml');
    rmSync(base);
    expect(result.status, result.stderr).toBe(0);
    const review = JSON.parse(result.stdout) as { base: string; head: string; apis: { api: string; file: string; bump: string }[] };
    expect(review).toMatchObject({ base: 'base-payments.yaml', head: 'specs/centili-payments/openapi.yaml' });
    expect(review.apis).toMatchObject([{ api: 'centili-payments', file: 'specs/centili-payments/openapi.yaml', bump: 'major' }]);
  });

  it('a $ref that points nowhere is named relative to the repository under review', () => {
    const file = join(repo, 'specs', 'centili-payments', 'openapi.yaml');
    const spec = readFileSync(file, 'utf8');
    writeFileSync(file, spec.replace("$ref: '../shared/", "$ref: '../shared/no-such-"));
    const result = run('spec-diff', '--base', 'main');
    writeFileSync(file, spec);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^spec-diff: Cannot bundle specs\/centili-payments\/openapi\.yaml:\nspecs\/centili-payments\/openapi\.yaml #\/\S+ \[bundler\] Can't resolve \$ref: ENOENT: no such file or directory 'specs\/shared\/no-such-schemas\/CentiliError\.yaml'$/m);
    expect(result.stderr).not.toContain('..');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it('changeset:check fails naming the package and the bump, then passes once a major changeset exists', () => {
    const missing = run('changeset-check');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('@carrier-api/centili-payments needs a major changeset (spec change in centili-payments; on the wire and in the generated code); it has none. Run pnpm changeset.');

    writeFileSync(join(repo, '.changeset', 'otp.md'), '---\n"@carrier-api/centili-payments": minor\n---\n\nRequire an OTP.\n');
    const tooSmall = run('changeset-check');
    expect(tooSmall.status).toBe(1);
    expect(tooSmall.stderr).toContain('@carrier-api/centili-payments needs a major changeset (spec change in centili-payments; on the wire and in the generated code); it has only a minor.');

    const packages = ['centili-payments', 'centili-payments-sdk', 'contract-tests', 'mock', 'specs'].map((name) => `"@carrier-api/${name}": major`).join('\n');
    writeFileSync(join(repo, '.changeset', 'otp.md'), `---\n${packages}\n---\n\nRequire an OTP with the PIN.\n`);
    const enough = run('changeset-check');
    expect(enough.stderr).toBe('');
    expect(enough.status).toBe(0);
  });
});
