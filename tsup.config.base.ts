import { defineConfig, type Options } from 'tsup';

/** Every published package builds the same way: ESM and CJS with types, for Node 20. */
export function packageBuild(entry: string[] = ['src/index.ts'], overrides: Options = {}) {
  return defineConfig({ entry, format: ['esm', 'cjs'], dts: true, clean: true, target: 'node20', ...overrides });
}
