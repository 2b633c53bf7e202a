// carrier-bundle --out <dir> [api...]: writes one self-contained <api>.json and <api>.yaml per API.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { listApis } from '../apis.ts';
import { writeBundles } from '../bundle.ts';

const { values, positionals } = parseArgs({ options: { out: { type: 'string' } }, allowPositionals: true });
if (!values.out) {
  console.error('usage: carrier-bundle --out <dir> [api...]');
  process.exit(2);
}
try {
  const written = await writeBundles(resolve(values.out), positionals.length > 0 ? positionals : listApis());
  console.log(`bundled ${written.length} APIs into ${values.out}: ${written.join(', ')}`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
