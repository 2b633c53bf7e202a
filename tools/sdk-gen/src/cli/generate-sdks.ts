// carrier-generate-sdks [--out generated]: typescript-fetch sources of every API, one batch run.
import { resolve } from 'node:path';
import { runCommand } from '@carrier-api/spec-kit/command';

await runCommand(
  {
    name: 'carrier-generate-sdks',
    usage: 'usage: carrier-generate-sdks [--out generated]\n\nGenerates the typescript-fetch sources of every bundled API in one openapi-generator batch run.',
    options: { out: { type: 'string', default: 'generated' } },
  },
  async (values) => {
    const { generateSdks } = await import('../generate-sdks.ts');
    const started = Date.now();
    const apis = await generateSdks(resolve(values.out!));
    console.log(`openapi-generator batch: ${apis.length} SDKs in ${((Date.now() - started) / 1000).toFixed(1)} s: ${apis.join(', ')}`);
  },
);
