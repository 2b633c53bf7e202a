#!/usr/bin/env node
// carrier-check-package: run in a package's folder (its lint:package script). Packs the package
// once with pnpm, then checks that tarball, what a consumer installs, with publint --strict and
// attw. Each of them packing on its own costs a second pack and a second npm start per package.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

if (process.argv.length > 2) {
  console.error(`carrier-check-package: unexpected argument "${process.argv[2]}"\n\nusage: carrier-check-package   (in the folder of the package to check)`);
  process.exit(2);
}
const bin = (name) => resolve(import.meta.dirname, '../../../node_modules/.bin', name);
const out = mkdtempSync(join(tmpdir(), 'carrier-pack-'));
try {
  const steps = [
    ['pnpm', ['pack', '--pack-destination', out]],
    [bin('publint'), ['run', '--strict', () => tarball()]],
    [bin('attw'), [() => tarball()]],
  ];
  for (const [command, args] of steps) {
    const run = spawnSync(command, args.map((arg) => (typeof arg === 'function' ? arg() : arg)), { stdio: 'inherit' });
    if (run.error) throw run.error;
    // exitCode, not exit(): the finally below must still remove the tarball.
    if (run.status !== 0) {
      process.exitCode = run.status ?? 1;
      break;
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}

function tarball() {
  const [file] = readdirSync(out).filter((name) => name.endsWith('.tgz'));
  if (!file) throw new Error(`pnpm pack wrote no tarball into ${out}`);
  return join(out, file);
}
