// carrier-sdk-sources <api> [--out src/generated]: an SDK package's generated sources: the batch
// output of its API, plus its runtime definition and factory.
import { cpSync, existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bundledSpecPath, listBundledApis } from '@carrier-api/specs';
import { assertKnown, checkOutputDir, replaceOutputDir, runCommand } from '@carrier-api/spec-kit/command';

await runCommand(
  {
    name: 'carrier-sdk-sources',
    usage: 'usage: carrier-sdk-sources <api> [--out src/generated]\n\nCopies the batch output of one API and adds its SDK factory.',
    options: { out: { type: 'string', default: 'src/generated' } },
    positionals: { min: 1, max: 1 },
  },
  async (values, [api]) => {
    assertKnown('API', api!, listBundledApis().map((known) => known.name));
    checkOutputDir(values.out!);
    const source = resolve(import.meta.dirname, '../../generated', api!);
    if (!existsSync(source)) throw new Error(`no generated SDK for "${api}" in ${source}: build @carrier-api/sdk-gen first (turbo does)`);
    // Loaded after the arguments are checked: a usage mistake is answered at once.
    const [{ readBundle }, { renderSdkFactory }] = await Promise.all([import('@carrier-api/spec-kit'), import('../render-sdk.ts')]);
    const out = replaceOutputDir(values.out!);
    cpSync(source, out, { recursive: true });
    for (const [name, contents] of Object.entries(renderSdkFactory(api!, readBundle(bundledSpecPath(api!))))) writeFileSync(join(out, name), contents);
    console.log(`${api}: SDK sources in ${values.out}`);
  },
);
