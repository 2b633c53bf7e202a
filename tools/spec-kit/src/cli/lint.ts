// carrier-lint [--bundles <dir>]: lints every spec with our ruleset, then (with --bundles) has
// openapi-generator validate each bundle, which also proves its jar is installed.
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { listApis, specEntry } from '../apis.ts';
import { runCommand, UsageError } from '../command.ts';

await runCommand(
  {
    name: 'carrier-lint',
    usage: 'usage: carrier-lint [--bundles <dir>]\n\nLints every spec of specs/ with redocly.yaml; with --bundles, openapi-generator validates each <api>.yaml there.',
    options: { bundles: { type: 'string' } },
  },
  async (values) => {
    const dir = values.bundles === undefined ? undefined : resolve(values.bundles);
    if (dir !== undefined && !existsSync(dir)) throw new UsageError('--bundles', 'existing folder', `--bundles: ${dir} does not exist`);

    // Loaded after the arguments are checked: a usage mistake is answered without loading Redocly.
    const { formatProblem, lintSpecs } = await import('../lint.ts');
    const problems = await lintSpecs(listApis().map((api) => specEntry(api)));
    for (const problem of problems) console.log(formatProblem(problem));
    const errors = problems.filter((problem) => problem.severity === 'error').length;
    console.log(`lint: ${listApis().length} specs, ${errors} errors, ${problems.length - errors} warnings`);
    if (errors > 0) return void (process.exitCode = 1);

    if (dir === undefined) return;
    const bundles = readdirSync(dir).filter((file) => file.endsWith('.yaml')).sort();
    const { validateWithOpenApiGenerator } = await import('@carrier-api/openapi-generator');
    const failures = await validateWithOpenApiGenerator(bundles.map((file) => join(dir, file)));
    for (const failure of failures) console.log(`openapi-generator validate ${failure.file}:\n${failure.output}`);
    console.log(`openapi-generator validate: ${bundles.length - failures.length}/${bundles.length} bundles valid`);
    if (failures.length > 0) process.exitCode = 1;
  },
);
