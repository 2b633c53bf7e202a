// carrier-bundle --out <dir> [api...]: writes one self-contained <api>.json and <api>.yaml per API.
import { resolve } from 'node:path';
import { listApis } from '../apis.ts';
import { assertKnown, runCommand, UsageError } from '../command.ts';

await runCommand(
  {
    name: 'carrier-bundle',
    usage: 'usage: carrier-bundle --out <dir> [api...]\n\nWrites <api>.json and <api>.yaml, one self-contained bundle per API of specs/ (all by default).',
    options: { out: { type: 'string' } },
    positionals: { max: Infinity },
  },
  async (values, apis) => {
    if (!values.out) throw new UsageError('--out', 'required', '--out <dir> is required');
    for (const api of apis) assertKnown('API', api, listApis());
    // Loaded after the arguments are checked: a usage mistake is answered without loading Redocly.
    const { writeBundles } = await import('../bundle.ts');
    const written = await writeBundles(resolve(values.out), apis.length > 0 ? apis : listApis());
    console.log(`bundled ${written.length} APIs into ${values.out}: ${written.join(', ')}`);
  },
);
