import { existsSync, readdirSync } from 'node:fs';
import type { Config } from '@redocly/openapi-core';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The monorepo root: the folder that holds specs/ and redocly.yaml. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const specsDir = join(repoRoot, 'specs');
export const redoclyConfigPath = join(repoRoot, 'redocly.yaml');

/** Every folder of specs/ with an openapi.yaml is an API; specs/shared holds what they share. */
export function listApis(root: string = specsDir): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, entry.name, 'openapi.yaml')))
    .map((entry) => entry.name)
    .sort();
}

export function specEntry(api: string, root: string = specsDir): string {
  const entry = join(root, api, 'openapi.yaml');
  if (!existsSync(entry)) {
    throw new Error(`Unknown API "${api}": ${entry} does not exist. Known APIs: ${listApis(root).join(', ')}.`);
  }
  return entry;
}

const configs = new Map<string, Promise<Config>>();

/** The Redocly config (ruleset and plugins), loaded once per process and path. */
export function redoclyConfig(configPath: string = redoclyConfigPath): Promise<Config> {
  let config = configs.get(configPath);
  // Redocly is loaded on first use: listing the APIs (every command does) stays cheap.
  if (!config) configs.set(configPath, (config = import('@redocly/openapi-core').then(({ loadConfig }) => loadConfig({ configPath }))));
  return config;
}
