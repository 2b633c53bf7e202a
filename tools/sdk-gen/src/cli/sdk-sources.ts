// carrier-sdk-sources <api> [--out src/generated]: an SDK package's generated sources: the batch
// output of its API, plus its runtime definition and factory.
import { cpSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { bundledSpecPath } from '@carrier-api/specs';
import { readBundle } from '@carrier-api/spec-kit';
import { renderSdkFactory } from '../render-sdk.ts';

const { values, positionals } = parseArgs({ options: { out: { type: 'string', default: 'src/generated' } }, allowPositionals: true });
const [api] = positionals;
if (!api) {
  console.error('usage: carrier-sdk-sources <api> [--out src/generated]');
  process.exit(2);
}
const source = resolve(import.meta.dirname, '../../generated', api);
if (!existsSync(source)) {
  console.error(`No generated SDK for "${api}" in ${source}: build @carrier-api/sdk-gen first (turbo does).`);
  process.exit(1);
}
const out = resolve(values.out!);
rmSync(out, { recursive: true, force: true });
cpSync(source, out, { recursive: true });
for (const [name, contents] of Object.entries(renderSdkFactory(api, readBundle(bundledSpecPath(api))))) writeFileSync(join(out, name), contents);
console.log(`${api}: SDK sources in ${values.out}`);
