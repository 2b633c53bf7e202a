// carrier-generate-sdks [--out generated]: typescript-fetch sources of every API, one batch run.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateSdks } from '../generate-sdks.ts';

const { values } = parseArgs({ options: { out: { type: 'string', default: 'generated' } } });
const started = Date.now();
const apis = await generateSdks(resolve(values.out!));
console.log(`openapi-generator batch: ${apis.length} SDKs in ${((Date.now() - started) / 1000).toFixed(1)} s: ${apis.join(', ')}`);
