import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BundledApi {
  name: string;
  title: string;
  version: string;
  json: string;
  yaml: string;
}

const bundledDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'bundled');

/** The APIs this package ships, from the manifest the bundle step writes. */
export function listBundledApis(): BundledApi[] {
  const manifest = JSON.parse(readFileSync(join(bundledDir, 'manifest.json'), 'utf8')) as { apis: Omit<BundledApi, 'json' | 'yaml'>[] };
  return manifest.apis.map((api) => ({ ...api, json: join(bundledDir, `${api.name}.json`), yaml: join(bundledDir, `${api.name}.yaml`) }));
}

/**
 * The absolute path of an API's bundled spec; throws naming the known APIs when `name` is unknown.
 * The manifest is read only then: a caller that loads every API (the reference, the contract
 * cases) reads it once, not once per API.
 */
export function bundledSpecPath(name: string, format: 'json' | 'yaml' = 'json'): string {
  const file = join(bundledDir, `${name}.${format}`);
  // manifest.json shares the folder: it is no API.
  if (!/^[a-z0-9-]+$/.test(name) || name === 'manifest' || !existsSync(file)) {
    const known = listBundledApis().map((candidate) => candidate.name).join(', ');
    throw new Error(`Unknown API "${name}". Known APIs: ${known}.`);
  }
  return file;
}

/** The bundled OpenAPI document of an API, parsed. */
export function loadBundledSpec(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(bundledSpecPath(name), 'utf8')) as Record<string, unknown>;
}
