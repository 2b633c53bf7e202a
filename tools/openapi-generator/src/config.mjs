// Where the pinned generator lives: /openapitools.json names the version and the storageDir
// (relative to the repo root, outside node_modules), the jar is <storageDir>/<version>.jar.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export function readGeneratorConfig() {
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
  const configPath = join(repoRoot, 'openapitools.json');
  const config = JSON.parse(readFileSync(configPath, 'utf8'))['generator-cli'];
  const jarPath = resolve(repoRoot, config.storageDir, `${config.version}.jar`);
  return { repoRoot, configPath, version: config.version, jarPath };
}
