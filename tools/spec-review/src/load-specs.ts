import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { bundle, parseYaml } from '@redocly/openapi-core';
import { listApis, redoclyConfig, type OpenApiDocument } from '@carrier-api/spec-kit';

/** Where a bundle's problems are printed from: paths relative to `root`, after `prefix` (`main:` for a git ref). */
export interface DisplayRoot {
  root: string;
  prefix: string;
}

/**
 * Bundles one spec (an `openapi.yaml` with `$ref`s to other files, or a bundle) into a
 * self-contained document, as spec-kit does, with problems located relative to the repository
 * under review rather than this one.
 *
 * @param entry - Absolute path of the spec.
 * @param display - How to print a file of it: `specs/shared/x.yaml`, or `main:specs/shared/x.yaml` for a git ref.
 * @throws {Error} "Cannot bundle <file>:" then one line per unresolvable `$ref` or other error: `<file> <pointer> [rule] message`.
 */
export async function bundleSpec(entry: string, display: DisplayRoot): Promise<OpenApiDocument> {
  const config = await redoclyConfig();
  const shown = (file: string) => `${display.prefix}${relative(display.root, file)}`;
  const relativise = (text: string) => text.split(`${display.root}${sep}`).join(display.prefix);
  let result: Awaited<ReturnType<typeof bundle>>;
  try {
    result = await bundle({ ref: entry, config, dereference: false, removeUnusedComponents: false });
  } catch (error) {
    // A file that is not YAML: its parser names it by its absolute path.
    throw new Error(`Cannot bundle ${shown(entry)}: ${relativise((error as Error).message)}`);
  }
  const errors = result.problems.filter((problem) => problem.severity === 'error');
  if (errors.length > 0) {
    const lines = errors.map((problem) => {
      const location = problem.location[0];
      // Redocly's message may name a file by its absolute path too.
      const message = relativise(problem.message);
      return `${location ? shown(location.source.absoluteRef) : shown(entry)} ${location?.pointer ?? ''} [${problem.ruleId}] ${message}`;
    });
    throw new Error(`Cannot bundle ${shown(entry)}:\n${lines.join('\n')}`);
  }
  return result.bundle.parsed as OpenApiDocument;
}

/** One side of a review: the APIs of a specs/ folder, bundled. */
export interface SpecSide {
  /** A git ref, or `working tree`, or a file as given. */
  label: string;
  /** Bundles by API name. */
  apis: Map<string, OpenApiDocument>;
  /** Each API's entry file, relative to the repository (`specs/<api>/openapi.yaml`). */
  files: Map<string, string>;
  /**
   * APIs left unbundled because every file their spec reads is byte-for-byte the same on the
   * other side of the review ({@link loadSides}): unchanged, and in neither side's `apis`.
   */
  identical?: Set<string>;
}

/**
 * Every API of `specs/` in the working tree of `repoRoot` (`ref` undefined) or at a git ref,
 * bundled. A ref without specs/ gives no APIs.
 *
 * @throws {Error} git cannot read the ref; a spec does not bundle (paths relative to `repoRoot`, prefixed `<ref>:`).
 */
export async function loadSide(repoRoot: string, ref: string | undefined): Promise<SpecSide> {
  return withSpecs(repoRoot, ref, async (root) => {
    const side: SpecSide = { label: ref ?? 'working tree', apis: new Map(), files: new Map() };
    for (const api of root ? listApis(join(root, 'specs')) : []) await addBundle(side, root!, api, ref);
    return side;
  });
}

/**
 * Both sides of a review, bundling only what can differ: an API whose spec reads the same files
 * with the same bytes on both sides ({@link specInputs}) has the same bundle, so it is put in
 * both sides' `identical` instead. A one-spec change among fifty bundles two documents, not a
 * hundred. An API whose inputs cannot be listed (a remote or broken `$ref`, a file that is not
 * YAML) is bundled, so that its problem is reported as before.
 *
 * @param headRef - undefined: the working tree.
 * @throws {Error} git cannot read a ref; a spec that differs does not bundle.
 */
export async function loadSides(repoRoot: string, baseRef: string, headRef: string | undefined): Promise<[SpecSide, SpecSide]> {
  return withSpecs(repoRoot, baseRef, (baseRoot) =>
    withSpecs(repoRoot, headRef, async (headRoot) => {
      const base: SpecSide = { label: baseRef, apis: new Map(), files: new Map(), identical: new Set() };
      const head: SpecSide = { label: headRef ?? 'working tree', apis: new Map(), files: new Map(), identical: new Set() };
      const baseApis = baseRoot ? listApis(join(baseRoot, 'specs')) : [];
      const headApis = headRoot ? listApis(join(headRoot, 'specs')) : [];
      const cache = newInputsCache();
      for (const api of baseApis) {
        if (headApis.includes(api)) {
          const before = specInputs(join(baseRoot!, 'specs'), api, cache);
          const after = specInputs(join(headRoot!, 'specs'), api, cache);
          if (before !== undefined && before === after) {
            for (const side of [base, head]) {
              side.identical!.add(api);
              side.files.set(api, `specs/${api}/openapi.yaml`);
            }
            continue;
          }
        }
        await addBundle(base, baseRoot!, api, baseRef);
      }
      for (const api of headApis.filter((name) => !head.identical!.has(name))) await addBundle(head, headRoot!, api, headRef);
      return [base, head];
    }),
  );
}

/** Runs `use` on the folder that holds specs/ at `ref` (the working tree when undefined; undefined when the ref has none), then removes any checkout. */
async function withSpecs<T>(repoRoot: string, ref: string | undefined, use: (root: string | undefined) => Promise<T>): Promise<T> {
  const checkout = ref === undefined ? undefined : checkoutSpecs(repoRoot, ref);
  try {
    const root = ref === undefined ? repoRoot : checkout;
    return await use(root && existsSync(join(root, 'specs')) ? root : undefined);
  } finally {
    if (checkout) rmSync(checkout, { recursive: true, force: true });
  }
}

async function addBundle(side: SpecSide, root: string, api: string, ref: string | undefined): Promise<void> {
  side.apis.set(api, await bundleSpec(join(root, 'specs', api, 'openapi.yaml'), { root, prefix: ref === undefined ? '' : `${ref}:` }));
  side.files.set(api, `specs/${api}/openapi.yaml`);
}

interface ParsedFile {
  hash: string;
  /** The files its `$ref`s point to, absolute. */
  refs: string[];
}

/** The `$ref` targets of one file's text, by the hash of that text: a file with the same bytes on both sides is parsed once. */
type RefsByContent = Map<string, string[] | undefined>;

/** Parsed files by absolute path, and their refs by content; share one between the APIs of a review. */
export interface InputsCache {
  files: Map<string, ParsedFile | undefined>;
  contents: RefsByContent;
}

export const newInputsCache = (): InputsCache => ({ files: new Map(), contents: new Map() });

/**
 * A fingerprint of everything an API's bundle is made of: each file its `openapi.yaml` reaches
 * through `$ref`s (relative to `specsDir`, so that two checkouts compare) with a hash of its
 * bytes. The bundle is a function of these files (and of the Redocly config, the same on both
 * sides of a review), so equal fingerprints mean equal bundles. Undefined when a `$ref` is
 * remote or points at a file that is missing or not YAML: then the spec must be bundled.
 *
 * @param cache - Shared by the APIs of both sides: specs/shared is read once per side and a file
 *   whose bytes did not change is parsed once, so a review of 50 APIs parses about 50 files.
 */
export function specInputs(specsDir: string, api: string, cache: InputsCache = newInputsCache()): string | undefined {
  const seen = new Map<string, string>();
  const pending = [join(specsDir, api, 'openapi.yaml')];
  // Bounded: each file is visited once, and specs/ holds finitely many.
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    if (!cache.files.has(file)) cache.files.set(file, readInputFile(file, cache.contents));
    const parsed = cache.files.get(file);
    if (!parsed) return undefined;
    seen.set(file, parsed.hash);
    pending.push(...parsed.refs);
  }
  return [...seen].map(([file, hash]) => `${relative(specsDir, file)} ${hash}`).sort().join('\n');
}

function readInputFile(file: string, contents: RefsByContent): ParsedFile | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const hash = createHash('sha256').update(text).digest('hex');
  if (!contents.has(hash)) contents.set(hash, refTargets(text));
  const targets = contents.get(hash);
  if (!targets) return undefined;
  try {
    return { hash, refs: targets.map((target) => resolve(dirname(file), decodeURI(target))) };
  } catch {
    return undefined;
  }
}

/** The file part of every `$ref` in a YAML or JSON text (local `#/...` refs left out); undefined when it does not parse or a ref is remote. */
function refTargets(text: string): string[] | undefined {
  let document: unknown;
  try {
    // Redocly's own YAML parser (js-yaml): the one the bundler reads these files with, and fast.
    document = parseYaml(text);
  } catch {
    return undefined;
  }
  const targets: string[] = [];
  const stack: unknown[] = [document];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) stack.push(...node);
    else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string') {
          const target = value.split('#')[0]!;
          if (target === '') continue;
          // A remote document may change between two runs: no fingerprint can vouch for it.
          if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return undefined;
          targets.push(target);
        } else stack.push(value);
      }
    }
  }
  return targets;
}

/**
 * One spec file as one side: its API is named by its folder (`specs/<api>/openapi.yaml`) or,
 * for a bundle (`centili-payments.yaml`), by its file name.
 *
 * @param file - The path as the user typed it, relative to `cwd`.
 * @throws {Error} the file does not bundle (paths relative to `repoRoot`).
 */
export async function loadFile(repoRoot: string, cwd: string, file: string): Promise<SpecSide> {
  const absolute = resolve(cwd, file);
  const name = basename(absolute).replace(/\.(ya?ml|json)$/, '');
  const api = name === 'openapi' ? basename(dirname(absolute)) : name;
  const document = await bundleSpec(absolute, { root: repoRoot, prefix: '' });
  return { label: relative(repoRoot, absolute), apis: new Map([[api, document]]), files: new Map([[api, relative(repoRoot, absolute)]]) };
}

/** specs/ as it was at `ref`, in a temporary folder (its parent is returned); undefined when the ref had none. */
function checkoutSpecs(repoRoot: string, ref: string): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'spec-review-ref-'));
  try {
    const archive = execFileSync('git', ['archive', '--format=tar', ref, 'specs'], { cwd: repoRoot, maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
    mkdirSync(dir, { recursive: true });
    execFileSync('tar', ['-x', '-C', dir], { input: archive });
    return dir;
  } catch (error) {
    const message = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
    rmSync(dir, { recursive: true, force: true });
    if (/did not match any files|pathspec/.test(message)) return undefined;
    throw new Error(`Cannot read specs/ at ${ref}: ${message.trim()}`);
  }
}
