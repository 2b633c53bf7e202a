import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const check = resolve(import.meta.dirname, '../bin/carrier-check-package.mjs');

/** A package folder outside the workspace with the given package.json fields and files. */
function fixture(manifest: Record<string, unknown>, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'package-check-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'fixture', version: '1.0.0', license: 'MIT', ...manifest }));
  for (const [name, contents] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), contents);
  }
  return dir;
}

const dual = {
  type: 'module',
  main: './dist/index.cjs',
  types: './dist/index.d.cts',
  exports: { '.': { import: { types: './dist/index.d.ts', default: './dist/index.js' }, require: { types: './dist/index.d.cts', default: './dist/index.cjs' } } },
  files: ['dist'],
};
const built = { 'dist/index.js': 'export const x = 1;\n', 'dist/index.d.ts': 'export declare const x = 1;\n', 'dist/index.cjs': 'exports.x = 1;\n', 'dist/index.d.cts': 'export declare const x = 1;\n' };

describe('carrier-check-package', () => {
  // Rows: what a consumer would hit, and the tool that must refuse it.
  it.each([
    ['an export whose file the tarball lacks (publint)', dual, { ...built, 'dist/index.js': undefined }, /dist\/index\.js.*does not exist|does not exist.*dist\/index\.js/],
    ['types that are not where the exports say (attw)', { ...dual, exports: { '.': { import: { types: './dist/missing.d.ts', default: './dist/index.js' }, require: dual.exports['.'].require } } }, built, /Import failed to resolve to type declarations|missing\.d\.ts/],
  ] as const)('fails on %s', (_, manifest, files, says) => {
    const present = Object.fromEntries(Object.entries(files).filter(([, contents]) => contents !== undefined)) as Record<string, string>;
    const run = spawnSync(process.execPath, [check], { cwd: fixture(manifest, present), encoding: 'utf8', timeout: 120_000 });
    expect(run.status, run.stdout + run.stderr).not.toBe(0);
    expect(run.stdout + run.stderr).toMatch(says);
  }, 180_000);

  it('passes a well-formed dual package', () => {
    const run = spawnSync(process.execPath, [check], { cwd: fixture(dual, built), encoding: 'utf8', timeout: 120_000 });
    expect(run.status, run.stdout + run.stderr).toBe(0);
  }, 180_000);

  it('refuses arguments with its usage, exit 2', () => {
    const run = spawnSync(process.execPath, [check, '--fix'], { encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toMatch(/^carrier-check-package: unexpected argument "--fix"\n\nusage: /);
    expect(run.status).toBe(2);
  }, 180_000);
});
