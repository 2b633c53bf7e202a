// carrier-generate-sdk <api> [--out src/generated]: an SDK package's generated sources, from its
// own spec only: ONE openapi-generator run (typescript-fetch), post-processed, plus the factory.
// With --check, writes nothing: compares the --out folder with a fresh generation, byte for byte.
import { existsSync } from 'node:fs';
import { listApis } from '@carrier-api/spec-kit/apis';
import { assertKnown, checkOutputDir, runCommand, UsageError } from '@carrier-api/spec-kit/command';

await runCommand(
  {
    name: 'carrier-generate-sdk',
    usage:
      'usage: carrier-generate-sdk <api> [--out src/generated] [--check]\n\nWrites the SDK sources of one API of specs/: typescript-fetch (openapi-generator, one JVM), post-processed, and its factory.\n--check writes nothing: exits 1 naming every file of --out that differs from a fresh generation.',
    options: { out: { type: 'string', default: 'src/generated' }, check: { type: 'boolean', default: false } },
    positionals: { min: 1, max: 1 },
  },
  async (values, [api]) => {
    assertKnown('API', api!, listApis());
    if (values.check) {
      if (!existsSync(values.out!)) throw new UsageError('--out', 'existing folder', `--out ${values.out}: nothing to check, the folder does not exist`);
      const { differencesFromFreshSdk } = await import('../generate-sdks.ts');
      const differences = await differencesFromFreshSdk(api!, values.out!);
      for (const line of differences) console.error(`${values.out}/${line}`);
      console.log(`${api}: ${differences.length === 0 ? `${values.out} is what the generator writes now` : `${differences.length} file(s) of ${values.out} differ from a fresh generation`}`);
      if (differences.length > 0) process.exitCode = 1;
      return;
    }
    checkOutputDir(values.out!);
    // Loaded after the arguments are checked: a usage mistake is answered without loading Redocly.
    const { generateSdk } = await import('../generate-sdks.ts');
    const started = performance.now();
    const files = await generateSdk(api!, values.out!);
    console.log(`${api}: ${files.length} SDK sources in ${values.out} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  },
);
