import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { listBundledApis, loadBundledSpec } from '@carrier-api/specs';
import { replaceOutputDir } from '@carrier-api/spec-kit/command';
import { renderReference } from './render.ts';

/**
 * Writes the reference site of every bundled API into `outDir` (emptied first).
 *
 * @returns the names of the APIs written.
 */
export function writeReference(outDir: string): string[] {
  const redoc = readFileSync(createRequire(import.meta.url).resolve('redoc/bundles/redoc.standalone.js'), 'utf8');
  const apis = listBundledApis().map((api) => ({ name: api.name, document: loadBundledSpec(api.name) }));
  const files = renderReference(apis, redoc);
  const out = replaceOutputDir(outDir);
  for (const [name, contents] of Object.entries(files)) {
    mkdirSync(dirname(join(out, name)), { recursive: true });
    writeFileSync(join(out, name), contents);
  }
  return apis.map((api) => api.name);
}
