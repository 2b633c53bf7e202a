// Growing the copied workspace from its five APIs to fifty: each new API is a copy of one of the
// five specs under a new name, scaffolded like any new API would be.
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { run } from '@carrier-api/temp-workspace';

/** The APIs of a workspace: every folder of specs/ with an openapi.yaml (as spec-kit lists them). */
export function listSpecApis(root: string): string[] {
  const specs = join(root, 'specs');
  return readdirSync(specs)
    .filter((name) => existsSync(join(specs, name, 'openapi.yaml')))
    .sort();
}

/** `centili-payments`, 7 → `centili-payments-s07`. */
export const copyName = (source: string, index: number) => `${source}-s${String(index).padStart(2, '0')}`;

/**
 * Copies specs/`source` to specs/`target` and makes unique what must be unique across APIs: the
 * folder (the API's name, hence its packages, factory names and bundle files) and `info.title`
 * (the reference's landing page and the generated docs name the API by it). Operation ids and
 * schema names only need to be unique within one spec, so they stay. `$ref`s into specs/shared
 * keep working: the copy sits at the same depth.
 *
 * @throws {Error} the source has no spec, the target exists, or the spec has no `info.title` line.
 */
export function cloneSpec(root: string, source: string, target: string): void {
  const [from, to] = [join(root, 'specs', source), join(root, 'specs', target)];
  if (!existsSync(join(from, 'openapi.yaml'))) throw new Error(`specs/${source}/openapi.yaml does not exist`);
  if (existsSync(to)) throw new Error(`specs/${target} already exists`);
  cpSync(from, to, { recursive: true });
  const entry = join(to, 'openapi.yaml');
  writeFileSync(entry, retitle(readFileSync(entry, 'utf8'), `(copy ${target})`));
}

/**
 * The spec text with `suffix` appended to `info.title`, quoted or not; the rest of the text is
 * left byte for byte (a YAML round trip would re-fold every description).
 *
 * @throws {Error} no `title:` line directly under `info:`.
 */
export function retitle(text: string, suffix: string): string {
  const match = /^info:\n(?:(?:[ ]{2,}.*|)\n)*?( {2})title:[ ]*(.+)$/m.exec(text);
  if (!match) throw new Error('no info.title line found under info:');
  const value = match[2]!.trimEnd();
  const quote = value[0] === "'" || value[0] === '"' ? value[0] : '';
  const retitled = quote ? `${value.slice(0, -1)} ${suffix}${quote}` : `${value} ${suffix}`;
  const start = match.index + match[0].length - match[2]!.length;
  return `${text.slice(0, start)}${retitled}${text.slice(start + match[2]!.length)}`;
}

/**
 * Makes everything an API needs besides its spec (its client and SDK packages, registry entries)
 * in the workspace at `root`, for the spec already at specs/`api`; `source` is the API it was
 * copied from (a scaffold from templates ignores it).
 */
export type Scaffold = (root: string, api: string, source: string) => void;

/** `pnpm new-api <api> --no-install`: the project's own scaffold command; the caller runs one `pnpm install` after the last API. */
export const newApiCommand: Scaffold = (root, api) => {
  run(root, 'pnpm', ['new-api', api, '--no-install'], 5 * 60_000);
};

/** Files of a package that are not part of scaffolding it: tests, history, build output. */
const notScaffolded = new Set(['node_modules', 'dist', 'generated', 'test', 'CHANGELOG.md', '.turbo']);

/**
 * Scaffolds by copying the packages of the API the spec was copied from (packages/`source` and
 * packages/`source`-sdk, without tests, changelog or build output) and renaming every mention of
 * `source` in them to `api`: package names, the generator's argument in the build script, the
 * per-package turbo inputs. For a workspace that has no `pnpm new-api` yet.
 *
 * @throws {Error} a source package is missing or the target exists.
 */
export const copyPackages: Scaffold = (root, api, source) => {
  for (const suffix of ['', '-sdk']) {
    const [from, to] = [join(root, 'packages', `${source}${suffix}`), join(root, 'packages', `${api}${suffix}`)];
    if (!existsSync(join(from, 'package.json'))) throw new Error(`packages/${source}${suffix} has no package.json`);
    if (existsSync(to)) throw new Error(`packages/${api}${suffix} already exists`);
    cpSync(from, to, { recursive: true, filter: (file) => !notScaffolded.has(relative(from, file).split('/').pop()!) || file === from });
    for (const file of readdirSync(to, { recursive: true, encoding: 'utf8' }).map((name) => join(to, name))) {
      if (!statSync(file).isFile()) continue;
      const text = readFileSync(file, 'utf8');
      const renamed = renameApi(text, source, api);
      if (renamed !== text) writeFileSync(file, renamed);
    }
  }
};

/**
 * `text` with every whole mention of the API `from` (alone, or as the stem of `<from>-sdk`)
 * replaced by `to`: `centili-payments` and `@carrier-api/centili-payments-sdk` are renamed,
 * `centili-payments-extra` is not.
 */
export function renameApi(text: string, from: string, to: string): string {
  const escaped = from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(`(?<![\\w-])${escaped}(?=-sdk(?![\\w-])|(?![\\w-]))`, 'g'), to);
}

/**
 * Which scaffold the workspace at `root` offers: its `pnpm new-api` when the root package.json
 * has that script, else {@link copyPackages}.
 */
export function pickScaffold(root: string): { name: string; scaffold: Scaffold } {
  const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
  return scripts['new-api'] ? { name: 'pnpm new-api', scaffold: newApiCommand } : { name: 'copy of the source API\'s packages (no `new-api` script yet)', scaffold: copyPackages };
}

/**
 * Grows the workspace to `count` APIs: copies of its APIs (round robin, `<api>-s01`, `-s02`...),
 * each cloned ({@link cloneSpec}) and scaffolded.
 *
 * @returns The names of the new APIs, in the order they were made.
 * @throws {Error} `count` is below the number of APIs there are, or above 99 copies of each.
 */
export function growTo(root: string, count: number, scaffold: Scaffold): string[] {
  const sources = listSpecApis(root);
  if (count < sources.length) throw new Error(`the workspace already has ${sources.length} APIs, more than ${count}`);
  const rounds = Math.ceil((count - sources.length) / sources.length);
  if (rounds > 99) throw new Error(`${count} APIs would need more than 99 copies of each of the ${sources.length}`);
  const made: string[] = [];
  for (let round = 1; round <= rounds; round++) {
    for (const source of sources) {
      if (sources.length + made.length >= count) break;
      const api = copyName(source, round);
      cloneSpec(root, source, api);
      scaffold(root, api, source);
      made.push(api);
    }
  }
  return made;
}
