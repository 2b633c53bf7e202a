// carrier-new-api <name> [--no-install] [--refresh]: everything an API needs besides its spec.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { listApis, repoRoot } from '@carrier-api/spec-kit/apis';
import { runCommand, UsageError } from '@carrier-api/spec-kit/command';

const usage = `usage: carrier-new-api <name> [--no-install] [--refresh]

Creates the light client (packages/<name>) and the SDK (packages/<name>-sdk) of the API whose
spec is specs/<name>/openapi.yaml: package.json, README with an example from the spec, CHANGELOG,
tsconfig, tsdown, turbo and vitest config, first tests against the mock; an initial changeset; and
adds both packages to every package that lists all clients and SDKs, and to README.md's table.
Then runs pnpm install --prefer-offline --no-frozen-lockfile to link them.

  --no-install  do not run pnpm install (scaffolding many APIs: run it once at the end)
  --refresh     the packages exist: rewrite their boilerplate only (package.json, turbo.json,
                tsconfig, tsdown and vitest config, src/index.ts), keeping README, CHANGELOG, tests`;

await runCommand(
  {
    name: 'carrier-new-api',
    usage,
    options: { 'no-install': { type: 'boolean', default: false }, refresh: { type: 'boolean', default: false } },
    positionals: { min: 1, max: 1 },
  },
  async (values, [api]) => {
    if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(api!)) throw new UsageError('<name>', 'kebab-case', `"${api}" is not a kebab-case name (like mtn-ng-data-gifting): it names the spec folder and the packages`);
    if (api === 'shared') throw new UsageError('<name>', 'API name', '"shared" is specs/shared, what the APIs share, not an API');
    const spec = join(repoRoot, 'specs', api!, 'openapi.yaml');
    if (!existsSync(spec)) throw new UsageError('<name>', 'spec exists', `specs/${api}/openapi.yaml does not exist: write the API's spec there first, then run this command`);
    const { kinds, boilerplateFiles, starterFiles, identityOf, writeFiles, addToRegistries } = await import('./scaffold.ts');
    const { packageOf } = await import('./templates.ts');
    const existing = kinds.filter((kind) => existsSync(join(repoRoot, packageOf(api!, kind).dir)));
    if (values.refresh && existing.length < kinds.length) throw new UsageError('--refresh', 'existing packages', `--refresh: ${kinds.map((kind) => packageOf(api!, kind).dir).join(' and ')} must both exist; without --refresh they are created`);
    if (!values.refresh && existing.length > 0) throw new UsageError('<name>', 'new API', `${packageOf(api!, existing[0]!).dir} exists already; --refresh rewrites the boilerplate of an existing API's packages`);

    // Loaded after the arguments are checked: a usage mistake is answered without loading Redocly.
    const { bundleApi } = await import('@carrier-api/spec-kit');
    const document = await bundleApi(api!);
    const title = document.info.title;
    const identities = { client: identityOf(repoRoot, api!, 'client', title), sdk: identityOf(repoRoot, api!, 'sdk', title) };
    const files = { ...boilerplateFiles(api!, identities), ...(values.refresh ? {} : starterFiles(api!, document)) };
    const others = listApis().filter((other) => other !== api && existsSync(join(repoRoot, packageOf(other, 'client').dir)) && existsSync(join(repoRoot, packageOf(other, 'sdk').dir)));
    const changed = [...writeFiles(repoRoot, files), ...addToRegistries(repoRoot, api!, title, others)];
    for (const path of changed) console.log(`wrote ${path}`);
    console.log(`${api}: ${changed.length} file(s) written`);

    const install = ['install', '--prefer-offline', '--no-frozen-lockfile'];
    if (values['no-install']) return void console.log(`next: pnpm ${install.join(' ')}`);
    // Every package the templates use is in the lockfile and the store already: --prefer-offline asks
    // the registry only for metadata pnpm has not cached (--offline refuses a new importer without it).
    const run = spawnSync('pnpm', install, { cwd: repoRoot, stdio: 'inherit' });
    if (run.status !== 0) throw new Error(`pnpm ${install.join(' ')} failed (exit ${run.status ?? run.signal}); run it again once the cause is fixed`);
  },
);
