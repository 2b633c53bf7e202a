import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const runTests = resolve(import.meta.dirname, '../run-tests.mjs');

/** A throwaway turbo workspace: one package per entry, each with the scripts given. */
function workspace(packages: Record<string, Record<string, string>>): string {
  const root = mkdtempSync(join(tmpdir(), 'run-tests-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'fixture', private: true, packageManager: 'pnpm@10.34.9' }));
  writeFileSync(join(root, 'pnpm-workspace.yaml'), 'packages:\n  - "packages/*"\n');
  writeFileSync(join(root, 'turbo.json'), JSON.stringify({ tasks: { build: {}, 'lint:specs': {}, 'lint:package': {}, typecheck: {}, test: { dependsOn: ['^build'] } } }));
  for (const [name, scripts] of Object.entries(packages)) {
    mkdirSync(join(root, 'packages', name), { recursive: true });
    const dependencies = name === 'needs-broken-build' ? { 'broken-build': 'workspace:*' } : {};
    writeFileSync(join(root, 'packages', name, 'package.json'), JSON.stringify({ name, scripts, dependencies }));
  }
  spawnSync('git', ['init', '-q', root]);
  return root;
}

const node = (code: string) => `node -e "${code.replace(/"/g, '\\"')}"`;

describe('pnpm test (run-tests)', () => {
  it('runs every task although some fail, names each failed task with its reason, and exits non-zero', () => {
    const root = workspace({
      'fails-a-test': { test: node("console.log('✓ fine'); console.error('AssertionError: expected 1 to be 2'); process.exit(1)") },
      'fails-typecheck': { typecheck: node("console.log('src/index.ts(3,7): error TS2322: Type string is not assignable to type number.'); process.exit(2)") },
      passes: { test: node("setTimeout(() => require('fs').writeFileSync('ran', 'yes'), 300)") },
      'broken-build': { build: node('process.exit(3)') },
      'needs-broken-build': { test: node("console.log('should not run')") },
    });
    const run = spawnSync(process.execPath, [runTests], { cwd: root, encoding: 'utf8', env: { ...process.env, CARRIER_TEST_ROOT: root }, timeout: 120_000 });
    const summary = run.stderr.slice(run.stderr.indexOf('─'.repeat(72)));

    expect(run.status).not.toBe(0);
    expect(summary).toMatch(/3 task\(s\) failed/);
    expect(summary).toMatch(/✗ fails-a-test#test \(exit 1\)\n\s+AssertionError: expected 1 to be 2/);
    expect(summary).toMatch(/✗ fails-typecheck#typecheck \(exit 2\)\n\s+src\/index.ts\(3,7\): error TS2322/);
    expect(summary).toMatch(/✗ broken-build#build \(exit 3\)\n\s+\(no output\)/);
    expect(summary).toMatch(/not run, because a task they depend on failed: needs-broken-build#test/);
    expect(summary).not.toMatch(/passes#test/);
    expect(run.stdout).toMatch(/^tasks: 1 passed, 3 failed$/m);
    // The passing package's test was not cancelled by the others' failures.
    expect(spawnSync('cat', [join(root, 'packages', 'passes', 'ran')], { encoding: 'utf8' }).stdout).toBe('yes');
  }, 180_000);

  it('exits 0 and prints no failure summary when every task passes', () => {
    const root = workspace({ passes: { test: node("console.log('ok')") } });
    const run = spawnSync(process.execPath, [runTests], { cwd: root, encoding: 'utf8', env: { ...process.env, CARRIER_TEST_ROOT: root }, timeout: 120_000 });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/failed/);
    expect(run.stdout).toMatch(/^tasks: 1 passed, 0 failed$/m);
  }, 180_000);
});
