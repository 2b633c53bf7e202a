// carrier-generate-client <api> [--out src/generated]: writes a light client's generated sources
// from the API's bundle in @carrier-api/specs.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundledSpecPath, listBundledApis } from '@carrier-api/specs';
import { assertKnown, replaceOutputDir, runCommand } from '@carrier-api/spec-kit/command';

await runCommand(
  {
    name: 'carrier-generate-client',
    usage: 'usage: carrier-generate-client <api> [--out src/generated]\n\nWrites the light client sources of one bundled API.',
    options: { out: { type: 'string', default: 'src/generated' } },
    positionals: { min: 1, max: 1 },
  },
  async (values, [api]) => {
    assertKnown('API', api!, listBundledApis().map((known) => known.name));
    // Loaded after the arguments are checked: a usage mistake is answered at once.
    const [{ readBundle }, { renderClient }] = await Promise.all([import('@carrier-api/spec-kit'), import('./render-client.ts')]);
    const out = replaceOutputDir(values.out!);
    const files = await renderClient(api!, readBundle(bundledSpecPath(api!)));
    for (const [name, contents] of Object.entries(files)) writeFileSync(join(out, name), contents);
    console.log(`${api}: wrote ${Object.keys(files).join(', ')} into ${values.out}`);
  },
);
