import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { listBundledApis } from '@carrier-api/specs';
import { runOpenApiGenerator } from '@carrier-api/openapi-generator';
import { batchConfig } from './batch-config.ts';

/**
 * Generates the typescript-fetch sources of every API in one `batch` call: one JVM start for
 * all five (each wrapper call starts the JVM three times). Output: `<outDir>/<api>/`.
 */
export async function generateSdks(outDir: string): Promise<string[]> {
  const apis = listBundledApis();
  const configDir = mkdtempSync(join(tmpdir(), 'carrier-sdk-batch-'));
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const configs = apis.map((api) => {
    const file = join(configDir, `${api.name}.json`);
    writeFileSync(file, JSON.stringify(batchConfig(api.name, api.yaml, resolve(outDir, api.name)), null, 2));
    return file;
  });
  const run = await runOpenApiGenerator(['batch', '--fail-fast', '--threads', '2', ...configs]);
  rmSync(configDir, { recursive: true, force: true });
  if (run.code !== 0 || !run.output.includes(`finished ${apis.length} generators successfully`)) {
    throw new Error(`openapi-generator batch failed:\n${run.output}`);
  }
  for (const api of apis) {
    // Bookkeeping of the generator, not sources: left out so that outputs are only code.
    rmSync(join(outDir, api.name, '.openapi-generator'), { recursive: true, force: true });
    rmSync(join(outDir, api.name, '.openapi-generator-ignore'), { force: true });
    const models = join(outDir, api.name, 'models');
    for (const file of readdirSync(models)) {
      const source = readFileSync(join(models, file), 'utf8');
      const fixed = dedupeImports(source);
      if (fixed !== source) writeFileSync(join(models, file), fixed);
    }
  }
  return apis.map((api) => api.name);
}

/**
 * typescript-fetch 7.x imports a model twice for `oneOf: [X, array of X]` (the Services API's
 * single-or-list answers), which TypeScript rejects; the repeated statements are dropped.
 */
export function dedupeImports(source: string): string {
  const seen = new Set<string>();
  return source.replace(/^import [^;]+;\n/gm, (statement) => {
    if (seen.has(statement)) return '';
    seen.add(statement);
    return statement;
  });
}
