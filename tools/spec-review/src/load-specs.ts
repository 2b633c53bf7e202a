import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { bundle } from '@redocly/openapi-core';
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
}

/**
 * Every API of `specs/` in the working tree of `repoRoot` (`ref` undefined) or at a git ref,
 * bundled. A ref without specs/ gives no APIs.
 *
 * @throws {Error} git cannot read the ref; a spec does not bundle (paths relative to `repoRoot`, prefixed `<ref>:`).
 */
export async function loadSide(repoRoot: string, ref: string | undefined): Promise<SpecSide> {
  const side: SpecSide = { label: ref ?? 'working tree', apis: new Map(), files: new Map() };
  const checkout = ref === undefined ? undefined : checkoutSpecs(repoRoot, ref);
  try {
    const root = ref === undefined ? repoRoot : checkout;
    if (!root || !existsSync(join(root, 'specs'))) return side;
    for (const api of listApis(join(root, 'specs'))) {
      side.apis.set(api, await bundleSpec(join(root, 'specs', api, 'openapi.yaml'), { root, prefix: ref === undefined ? '' : `${ref}:` }));
      side.files.set(api, `specs/${api}/openapi.yaml`);
    }
    return side;
  } finally {
    if (checkout) rmSync(checkout, { recursive: true, force: true });
  }
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
