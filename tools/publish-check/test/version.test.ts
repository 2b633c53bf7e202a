import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(import.meta.dirname, '../../..');
const changeset = join(repoRoot, 'node_modules', '.bin', 'changeset');

/** The workspace's manifests, changelogs and changeset config, in a throw-away copy. */
function copyWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'carrier-version-'));
  for (const file of ['package.json', 'pnpm-workspace.yaml']) cpSync(join(repoRoot, file), join(dir, file));
  cpSync(join(repoRoot, '.changeset', 'config.json'), join(dir, '.changeset', 'config.json'));
  for (const folder of ['packages', 'tools']) {
    for (const name of readdirSync(join(repoRoot, folder))) {
      const source = join(repoRoot, folder, name);
      if (!existsSync(join(source, 'package.json'))) continue;
      mkdirSync(join(dir, folder, name), { recursive: true });
      for (const file of ['package.json', 'CHANGELOG.md']) if (existsSync(join(source, file))) cpSync(join(source, file), join(dir, folder, name, file));
    }
  }
  return dir;
}

const manifest = (dir: string, name: string) => JSON.parse(readFileSync(join(dir, 'packages', name, 'package.json'), 'utf8')) as { version: string; dependencies?: Record<string, string> };

describe('changeset version', () => {
  it('versions each package on its own, bumps its dependents, and writes their CHANGELOG entries', () => {
    const dir = copyWorkspace();
    const before = { runtime: manifest(dir, 'runtime').version, specs: manifest(dir, 'specs').version, payments: manifest(dir, 'centili-payments').version };
    writeFileSync(join(dir, '.changeset', 'retry-budget.md'), '---\n"@carrier-api/runtime": minor\n---\n\nRetries stop at a total time budget.\n');
    execFileSync(changeset, ['version'], { cwd: dir, stdio: 'pipe' });

    expect(manifest(dir, 'runtime').version).toBe('0.2.0');
    expect(readFileSync(join(dir, 'packages', 'runtime', 'CHANGELOG.md'), 'utf8')).toMatch(/## 0\.2\.0\n\n### Minor Changes\n\n- Retries stop at a total time budget\./);
    // Dependents of the runtime get a patch release that picks the new version up.
    expect(before.payments).toBe('0.1.0');
    expect(manifest(dir, 'centili-payments').version).toBe('0.1.1');
    expect(manifest(dir, 'centili-payments').dependencies!['@carrier-api/runtime']).toBe('workspace:^');
    expect(readFileSync(join(dir, 'packages', 'centili-payments', 'CHANGELOG.md'), 'utf8')).toMatch(/## 0\.1\.1\n\n### Patch Changes\n\n- Updated dependencies[\s\S]*@carrier-api\/runtime@0\.2\.0/);
    expect(manifest(dir, 'centili-payments-sdk').version).toBe('0.1.1');
    // A package that does not depend on the runtime keeps its version.
    expect(manifest(dir, 'specs').version).toBe(before.specs);
    expect(readFileSync(join(dir, 'packages', 'specs', 'CHANGELOG.md'), 'utf8')).not.toContain('0.1.1');
  });
});
