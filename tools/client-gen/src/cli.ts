// carrier-generate-client <api> [--out src/generated]: writes a light client's generated sources
// from the API's bundle in @carrier-api/specs.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { bundledSpecPath } from '@carrier-api/specs';
import { readBundle } from '@carrier-api/spec-kit';
import { renderClient } from './render-client.ts';

const { values, positionals } = parseArgs({ options: { out: { type: 'string', default: 'src/generated' } }, allowPositionals: true });
const [api] = positionals;
if (!api) {
  console.error('usage: carrier-generate-client <api> [--out src/generated]');
  process.exit(2);
}
const out = resolve(values.out!);
const files = await renderClient(api, readBundle(bundledSpecPath(api)));
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const [name, contents] of Object.entries(files)) writeFileSync(join(out, name), contents);
console.log(`${api}: wrote ${Object.keys(files).join(', ')} into ${values.out}`);
