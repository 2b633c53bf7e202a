// Installs schemathesis (pinned in requirements.txt) into .venv/schemathesis at the repo root,
// so that every fresh machine has the same outside oracle. Runs from the root postinstall.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../..');
const venv = join(repoRoot, '.venv', 'schemathesis');
const requirements = join(here, 'requirements.txt');
const pinned = readFileSync(requirements, 'utf8').match(/schemathesis==([\w.]+)/)[1];
const bin = join(venv, 'bin', 'schemathesis');

const installed = existsSync(bin) ? spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout : '';
if (installed.includes(`version ${pinned}`)) {
  console.log(`schemathesis ${pinned}: ${venv} already installed`);
  process.exit(0);
}
const env = { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1' };
execFileSync('python3', ['-m', 'venv', '--clear', venv], { stdio: 'inherit' });
execFileSync(join(venv, 'bin', 'pip'), ['install', '--quiet', '-r', requirements], { stdio: 'inherit', env, timeout: 600_000 });
console.log(`schemathesis ${pinned}: installed into ${venv}`);
