// Installs the openapi-generator jar pinned in /openapitools.json into its storageDir, so that a
// fresh machine (CI's included) can generate offline afterwards. Runs from the root postinstall.
// First the wrapper's own download; if that fails, Maven fetches the same artifact from Central.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from "node:path";
import { readGeneratorConfig } from './src/config.mjs';

const { repoRoot, configPath, version, jarPath } = readGeneratorConfig();

function jarIsUsable() {
  if (!existsSync(jarPath) || statSync(jarPath).size < 1_000_000) return false;
  const result = spawnSync('java', ['-jar', jarPath, 'version'], { encoding: 'utf8', timeout: 60_000 });
  return result.status === 0 && result.stdout.trim() === version;
}

function downloadWithWrapper() {
  const wrapper = createRequire(import.meta.url).resolve('@openapitools/openapi-generator-cli/main.js');
  const result = spawnSync(process.execPath, [wrapper, '--openapitools', configPath, 'version'], {
    cwd: repoRoot,
    env: { ...process.env, PWD: repoRoot, INIT_CWD: repoRoot },
    encoding: 'utf8',
    timeout: 180_000,
  });
  return result.status === 0;
}

function downloadWithMaven() {
  const outDir = join(dirname(jarPath), 'maven');
  execFileSync(
    'mvn',
    [
      '--batch-mode',
      '--quiet',
      'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy',
      `-Dartifact=org.openapitools:openapi-generator-cli:${version}`,
      `-DoutputDirectory=${outDir}`,
    ],
    { stdio: 'inherit', timeout: 600_000, cwd: dirname(jarPath) },
  );
  renameSync(join(outDir, `openapi-generator-cli-${version}.jar`), jarPath);
  rmSync(outDir, { recursive: true, force: true });
}

mkdirSync(dirname(jarPath), { recursive: true });
if (jarIsUsable()) {
  console.log(`openapi-generator ${version}: ${jarPath} already installed`);
  process.exit(0);
}
// OPENAPI_GENERATOR_VIA_MAVEN=1 skips the wrapper (for networks that reach Maven Central only through mvn).
const viaWrapper = process.env.OPENAPI_GENERATOR_VIA_MAVEN !== '1' && downloadWithWrapper() && jarIsUsable();
const how = viaWrapper ? 'the wrapper' : (downloadWithMaven(), 'Maven');
if (!jarIsUsable()) {
  console.error(`openapi-generator ${version}: ${jarPath} could not be installed (tried the wrapper and Maven).`);
  process.exit(1);
}
console.log(`openapi-generator ${version}: installed ${jarPath} with ${how}`);
