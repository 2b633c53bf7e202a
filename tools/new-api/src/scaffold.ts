import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { OpenApiDocument } from '@carrier-api/spec-kit';
import { exampleCall } from './example.ts';
import { renderClientReadme, renderClientTest, renderSdkReadme, renderSdkTest } from './readme.ts';
import {
  newIdentity,
  packageOf,
  renderChangelog,
  renderConfigFiles,
  renderPackageJson,
  renderSdkGeneratedTest,
  renderTurboJson,
  type PackageIdentity,
  type PackageKind,
} from './templates.ts';

export const kinds: readonly PackageKind[] = ['client', 'sdk'];

/**
 * The boilerplate of an API's two packages (path relative to the repo root → contents): the
 * files that are the same for every API but for its name, which `--refresh` rewrites. Their own
 * description, keywords and version are kept from `identities` (a package's own words).
 */
export function boilerplateFiles(api: string, identities: Record<PackageKind, PackageIdentity>): Record<string, string> {
  const files: Record<string, string> = {};
  for (const kind of kinds) {
    const { dir } = packageOf(api, kind);
    files[`${dir}/package.json`] = renderPackageJson(api, kind, identities[kind]);
    files[`${dir}/turbo.json`] = renderTurboJson(api, kind);
    for (const [name, contents] of Object.entries(renderConfigFiles(kind))) files[`${dir}/${name}`] = contents;
  }
  files[`${packageOf(api, 'sdk').dir}/test/generated.test.ts`] = renderSdkGeneratedTest(api);
  return files;
}

/** The files a new API starts with, besides the boilerplate: READMEs, CHANGELOGs, first tests, its changeset. */
export function starterFiles(api: string, document: OpenApiDocument): Record<string, string> {
  const call = exampleCall(document);
  const client = packageOf(api, 'client');
  const sdk = packageOf(api, 'sdk');
  return {
    [`${client.dir}/README.md`]: renderClientReadme(api, document, call),
    [`${client.dir}/CHANGELOG.md`]: renderChangelog(api, 'client'),
    [`${client.dir}/test/client.test.ts`]: renderClientTest(api, call),
    [`${sdk.dir}/README.md`]: renderSdkReadme(api, document, call),
    [`${sdk.dir}/CHANGELOG.md`]: renderChangelog(api, 'sdk'),
    [`${sdk.dir}/test/sdk.test.ts`]: renderSdkTest(api, document, call),
    [`.changeset/new-api-${api}.md`]: renderChangeset(api, document),
  };
}

/**
 * The first release of the API: its two packages, and the published packages that ship every
 * API (the bundles, the mock that serves them, the contract cases, the reference pages).
 */
export function renderChangeset(api: string, document: OpenApiDocument): string {
  const packages = [packageOf(api, 'client').name, packageOf(api, 'sdk').name, '@carrier-api/specs', '@carrier-api/mock', '@carrier-api/contract-tests', '@carrier-api/reference'];
  return `---
${packages.map((name) => `'${name}': minor`).join('\n')}
---

New API: ${document.info.title} (\`specs/${api}/openapi.yaml\`). Its light client \`${packages[0]}\` and SDK
\`${packages[1]}\`; its bundle in \`@carrier-api/specs\`, served by \`@carrier-api/mock\`, with contract cases
in \`@carrier-api/contract-tests\` and a page in \`@carrier-api/reference\`.
`;
}

/** The identity of an existing package (kept on refresh), or a new one's. */
export function identityOf(root: string, api: string, kind: PackageKind, title: string): PackageIdentity {
  const file = join(root, packageOf(api, kind).dir, 'package.json');
  if (!existsSync(file)) return newIdentity(api, kind, title);
  const json = JSON.parse(readFileSync(file, 'utf8')) as PackageIdentity;
  return { version: json.version, description: json.description, keywords: json.keywords };
}

/** Writes files (relative to `root`), creating folders; returns those whose contents changed. */
export function writeFiles(root: string, files: Record<string, string>): string[] {
  const changed: string[] = [];
  for (const [path, contents] of Object.entries(files)) {
    const file = join(root, path);
    if (existsSync(file) && readFileSync(file, 'utf8') === contents) continue;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, contents);
    changed.push(path);
  }
  return changed;
}

type Manifest = { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };

/**
 * Adds the API's packages to every list of APIs the repository keeps: each workspace package
 * whose dependencies (or devDependencies) name the light client and the SDK of every other API
 * (the bench, the README examples, the publish rehearsal, the conformance suite...) gets the new
 * two in the same section; the READMEs' tables of APIs get a row. No list of packages is named
 * here: a package is a registry because it lists them all.
 *
 * @param others - the APIs that have packages already.
 * @returns the files changed, relative to `root`.
 */
export function addToRegistries(root: string, api: string, title: string, others: string[]): string[] {
  const changed: string[] = [];
  const wanted = (name: string) => [packageOf(name, 'client').name, packageOf(name, 'sdk').name];
  if (others.length > 0) {
    for (const folder of ['packages', 'tools']) {
      for (const entry of readdirSync(join(root, folder), { withFileTypes: true })) {
        const path = `${folder}/${entry.name}/package.json`;
        if (!entry.isDirectory() || !existsSync(join(root, path))) continue;
        const text = readFileSync(join(root, path), 'utf8');
        const manifest = JSON.parse(text) as Manifest;
        for (const section of ['dependencies', 'devDependencies'] as const) {
          const deps = manifest[section];
          if (!deps || !others.flatMap(wanted).every((name) => name in deps)) continue;
          const specifier = deps[packageOf(others[0]!, 'client').name]!;
          for (const name of wanted(api)) deps[name] ??= specifier;
          manifest[section] = Object.fromEntries(Object.entries(deps).sort(([a], [b]) => a.localeCompare(b)));
        }
        const updated = `${JSON.stringify(manifest, null, 2)}\n`;
        if (updated !== text) {
          writeFileSync(join(root, path), updated);
          changed.push(path);
        }
      }
    }
  }
  for (const table of tables) if (addTableRow(root, table, api, title)) changed.push(table.file);
  return changed;
}

/** A Markdown table of the APIs: the file, how its header row starts, and the row of an API. */
interface ApiTable {
  file: string;
  header: string;
  row: (api: string, title: string) => string;
}

/** The tables of APIs the repository's READMEs keep: the root README's, and the bundles' in @carrier-api/specs. */
const tables: ApiTable[] = [
  {
    file: 'README.md',
    header: '| API | contract | light client | SDK |',
    row: (api, title) =>
      `| ${title} | [\`specs/${api}\`](specs/${api}/openapi.yaml) | [\`${packageOf(api, 'client').name}\`](${packageOf(api, 'client').dir}) | [\`-sdk\`](${packageOf(api, 'sdk').dir}) |`,
  },
  { file: 'packages/specs/README.md', header: '| API | name |', row: (api, title) => `| ${title} | \`${api}\` |` },
];

/** A row in a table of APIs, after its last row; none when the file, the table or the API's row is there already. */
function addTableRow(root: string, table: ApiTable, api: string, title: string): boolean {
  const file = join(root, table.file);
  if (!existsSync(file)) return false;
  const lines = readFileSync(file, 'utf8').split('\n');
  const header = lines.findIndex((line) => line.startsWith(table.header));
  const row = table.row(api, title);
  if (header < 0 || lines.some((line) => line.startsWith('|') && (line.includes(`specs/${api}/`) || line.includes(`\`${api}\``)))) return false;
  let last = header + 1;
  while (lines[last + 1]?.startsWith('|')) last++;
  lines.splice(last + 1, 0, row);
  writeFileSync(file, lines.join('\n'));
  return true;
}
