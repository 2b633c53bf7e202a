// carrier-generate-contract-cases [--out cases]: writes cases/<api>.json for every bundled API.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContractSuite } from '@carrier-api/contract-tests';
import { listBundledApis } from '@carrier-api/specs';
import { replaceOutputDir, runCommand } from '@carrier-api/spec-kit/command';

await runCommand(
  {
    name: 'carrier-generate-contract-cases',
    usage: 'usage: carrier-generate-contract-cases [--out cases]\n\nWrites <out>/<api>.json, the contract cases of every bundled API.',
    options: { out: { type: 'string', default: 'cases' } },
  },
  async (values) => {
    const [{ readBundle }, { deriveCases }] = await Promise.all([import('@carrier-api/spec-kit'), import('../derive-cases.ts')]);
    const out = replaceOutputDir(values.out!);
    for (const api of listBundledApis()) {
      const document = readBundle(api.json);
      const suite: ContractSuite = { api: api.name, specVersion: document.info.version, cases: deriveCases(document) };
      writeFileSync(join(out, `${api.name}.json`), `${JSON.stringify(suite, null, 2)}\n`);
      const negative = suite.cases.filter((c) => c.kind === 'negative').length;
      console.log(`${api.name}: ${suite.cases.length - negative} positive and ${negative} negative cases`);
    }
  },
);
