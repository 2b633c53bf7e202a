// Installs oasdiff (the breaking-change detector, pinned here) into .tools/bin from the Go module
// proxy, so that every fresh machine reviews specs the same way. Runs from the root postinstall.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const oasdiffVersion = 'v1.36.0';
const binDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../.tools/bin');
const marker = join(binDir, 'oasdiff.version');

if (existsSync(join(binDir, 'oasdiff')) && existsSync(marker) && readFileSync(marker, 'utf8').trim() === oasdiffVersion) {
  console.log(`oasdiff ${oasdiffVersion}: ${binDir}/oasdiff already installed`);
} else {
  mkdirSync(binDir, { recursive: true });
  execFileSync('go', ['install', `github.com/oasdiff/oasdiff@${oasdiffVersion}`], { stdio: 'inherit', env: { ...process.env, GOBIN: binDir }, timeout: 900_000 });
  writeFileSync(marker, `${oasdiffVersion}\n`);
  console.log(`oasdiff ${oasdiffVersion}: installed ${binDir}/oasdiff`);
}
