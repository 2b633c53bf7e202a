import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { bundle, stringifyYaml } from '@redocly/openapi-core';
import { listApis, redoclyConfig, repoRoot, specEntry } from './apis.ts';
import type { OpenApiDocument } from './openapi.ts';

export class SpecBundleError extends Error {
  override name = 'SpecBundleError';
}

/**
 * Bundles one API into a single self-contained document: external $refs (specs/shared/...)
 * become components, local $refs stay. Unresolvable refs are errors, not warnings.
 */
export async function bundleApi(api: string, specsRoot?: string): Promise<OpenApiDocument> {
  const config = await redoclyConfig();
  const ref = specEntry(api, specsRoot);
  const result = await bundle({ ref, config, dereference: false, removeUnusedComponents: false });
  const errors = result.problems.filter((problem) => problem.severity === 'error');
  if (errors.length > 0) {
    const lines = errors.map((problem) => {
      const location = problem.location[0];
      const file = location ? relative(repoRoot, location.source.absoluteRef) : ref;
      return `${file} ${location?.pointer ?? ''} [${problem.ruleId}] ${problem.message}`;
    });
    throw new SpecBundleError(`Cannot bundle ${api}:\n${lines.join('\n')}`);
  }
  return result.bundle.parsed as OpenApiDocument;
}

/** JSON with a trailing newline: the same spec gives the same bytes, every time. */
export function serializeBundle(document: OpenApiDocument, format: 'json' | 'yaml'): string {
  return format === 'json' ? `${JSON.stringify(document, null, 2)}\n` : stringifyYaml(document, { lineWidth: -1, noRefs: true });
}

/**
 * Writes `<outDir>/<api>.json` and `<outDir>/<api>.yaml` for every API, and `manifest.json`
 * listing them; returns the API names.
 */
export async function writeBundles(outDir: string, apis: string[] = listApis()): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const manifest = [];
  for (const api of apis) {
    const document = await bundleApi(api);
    writeFileSync(join(outDir, `${api}.json`), serializeBundle(document, 'json'));
    writeFileSync(join(outDir, `${api}.yaml`), serializeBundle(document, 'yaml'));
    manifest.push({ name: api, title: document.info.title, version: document.info.version });
  }
  writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify({ apis: manifest }, null, 2)}\n`);
  return apis;
}
