// carrier-lint [--bundles <dir>]: lints every spec with our ruleset, then (with --bundles) has
// openapi-generator validate each bundle, which also proves its jar is installed.
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { validateWithOpenApiGenerator } from '@carrier-api/openapi-generator';
import { listApis, specEntry } from '../apis.ts';
import { formatProblem, lintSpecs } from '../lint.ts';

const { values } = parseArgs({ options: { bundles: { type: 'string' } } });

const problems = await lintSpecs(listApis().map((api) => specEntry(api)));
for (const problem of problems) console.log(formatProblem(problem));
const errors = problems.filter((problem) => problem.severity === 'error').length;
console.log(`lint: ${listApis().length} specs, ${errors} errors, ${problems.length - errors} warnings`);
if (errors > 0) process.exit(1);

if (values.bundles) {
  const dir = resolve(values.bundles);
  const bundles = readdirSync(dir).filter((file) => file.endsWith('.yaml')).sort();
  const failures = await validateWithOpenApiGenerator(bundles.map((file) => join(dir, file)));
  for (const failure of failures) console.log(`openapi-generator validate ${failure.file}:\n${failure.output}`);
  console.log(`openapi-generator validate: ${bundles.length - failures.length}/${bundles.length} bundles valid`);
  if (failures.length > 0) process.exit(1);
}
