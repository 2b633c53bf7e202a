// carrier-generate-client <api> [--out src/generated]: writes a light client's generated sources
// from the API's own spec (specs/<api>/ and specs/shared/, bundled here in memory): nothing of the
// other APIs is read, so a client's build depends on its own spec only.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listApis } from '@carrier-api/spec-kit/apis';
import { assertKnown, checkOutputDir, replaceOutputDir, runCommand } from '@carrier-api/spec-kit/command';

await runCommand(
  {
    name: 'carrier-generate-client',
    usage: 'usage: carrier-generate-client <api> [--out src/generated]\n\nWrites the light client sources of one API of specs/.',
    options: { out: { type: 'string', default: 'src/generated' } },
    positionals: { min: 1, max: 1 },
  },
  async (values, [api]) => {
    assertKnown('API', api!, listApis());
    checkOutputDir(values.out!);
    // Loaded after the arguments are checked: a usage mistake is answered without loading Redocly.
    const [{ bundleApi }, { renderClient }] = await Promise.all([import('@carrier-api/spec-kit'), import('./render-client.ts')]);
    const document = await bundleApi(api!);
    const out = replaceOutputDir(values.out!);
    const files = await renderClient(api!, document);
    for (const [name, contents] of Object.entries(files)) writeFileSync(join(out, name), contents);
    console.log(`${api}: wrote ${Object.keys(files).join(', ')} into ${values.out}`);
  },
);
