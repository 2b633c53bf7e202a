import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { readGeneratorConfig } from './config.mjs';

export { readGeneratorConfig };

export interface GeneratorRun {
  code: number;
  output: string;
}

/**
 * Runs the openapi-generator-cli wrapper with the pinned jar. The wrapper finds its config through
 * PWD/INIT_CWD, so both point at the repo root and the config path is passed absolute.
 */
export function runOpenApiGenerator(args: string[]): Promise<GeneratorRun> {
  const { repoRoot, configPath } = readGeneratorConfig();
  const wrapper = createRequire(import.meta.url).resolve('@openapitools/openapi-generator-cli/main.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [wrapper, '--openapitools', configPath, ...args], {
      cwd: repoRoot,
      env: { ...process.env, PWD: repoRoot, INIT_CWD: repoRoot },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** `openapi-generator validate` on each file; returns the ones that failed, with the output. */
export async function validateWithOpenApiGenerator(files: string[]): Promise<{ file: string; output: string }[]> {
  const failures: { file: string; output: string }[] = [];
  for (const file of files) {
    const run = await runOpenApiGenerator(['validate', '--input-spec', file]);
    if (run.code !== 0 || !/No validation issues detected/.test(run.output)) failures.push({ file, output: run.output });
  }
  return failures;
}
