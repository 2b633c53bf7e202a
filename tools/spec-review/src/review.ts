import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { serializeBundle, type OpenApiDocument } from '@carrier-api/spec-kit';
import { UsageError } from '@carrier-api/spec-kit/command';
import { behaviourChanges, withoutBehaviour, type BehaviourChange } from './behaviour-changes.ts';
import { bumpFor, maxBump, type Bump, type SpecChange } from './changes.ts';
import { diffSurfaces, type CodeChange } from './code-changes.ts';
import type { Surface } from './surface.ts';
import { documentChanges } from './document-changes.ts';
import { generateSurfaces, isGenerationFailure, type GenerationFailure } from './generated-surfaces.ts';
import { loadFile, loadSides, type SpecSide } from './load-specs.ts';
import { normalizeDocument } from './normalize.ts';
import { oasdiffChangelog } from './oasdiff.ts';
import { requestNarrowings } from './request-narrowing.ts';
import { securityChanges } from './security-changes.ts';
import { applyRequestNarrowings, type AcceptedPatternChange } from './request-policy.ts';

export interface ApiReview {
  api: string;
  status: 'added' | 'removed' | 'changed' | 'unchanged';
  /** The spec's entry file, relative to the repository (the head's; the base's when removed). */
  file?: string;
  /** On the wire: oasdiff under our policy, and document-changes. */
  changes: SpecChange[];
  /** What the wire changes need. */
  wireBump: Bump;
  /** In the generated code: each package's public TypeScript surface, base against head (changed APIs). */
  code?: { client: CodeChange[]; sdk: CodeChange[]; clientBump: Bump; sdkBump: Bump };
  /**
   * The sandbox's promises: each operation's `x-behaviour` added, removed or changed (changed
   * APIs; empty otherwise), with the whole old and new texts. Invisible on the wire.
   */
  behaviour: BehaviourChange[];
  /** What the behaviour changes need, for `@carrier-api/mock` and `@carrier-api/reference` ({@link behaviourBumpOf}). */
  behaviourBump: Bump;
  /**
   * What the bundles' text alone needs, for `@carrier-api/specs` only: a patch when `x-behaviour`
   * changed in whitespace only (a YAML re-wrap: the same promises, nothing on the wire or in the
   * code), none otherwise (a wire or behaviour change already gives the specs their bump).
   */
  bundleBump: Bump;
  /** The largest of the levels. */
  bump: Bump;
}

export interface PackageBump {
  name: string;
  bump: Bump;
  apis: string[];
  /** Which levels ask for the bump: the wire, the generated code, the sandbox's behaviour, the bundles' text alone (x-behaviour re-wrapped). */
  because: BumpReason[];
}

export type BumpReason = 'wire' | 'code' | 'behaviour' | 'bundle';

export interface SpecReview {
  /** What was compared: a git ref or a file. */
  base: string;
  /** A git ref, `working tree`, or a file. */
  head: string;
  apis: ApiReview[];
  packages: PackageBump[];
}

export interface DiffOptions {
  /** Pattern changes of request values that sampling could not compare, judged by a person. */
  acceptedPatternChanges?: AcceptedPatternChange[];
}

/**
 * Every change between two bundled documents of one API, classified for client consumers.
 *
 * Both documents are normalised first (path-item parameters moved into their operations), so a
 * refactoring that keeps the wire and the generated code is no change to the contract. On top of
 * oasdiff, a change that narrows what a request may carry is breaking ({@link requestNarrowings}),
 * and its security changes are located, corrected and completed ({@link securityChanges}).
 *
 * @param base - The bundle before the change (self-contained: local `$ref`s only).
 * @param revision - The bundle after it.
 * @throws {Error} oasdiff is not installed or fails; a `$ref` that points nowhere.
 */
export function diffDocuments(base: OpenApiDocument, revision: OpenApiDocument, options: DiffOptions = {}): SpecChange[] {
  const dir = mkdtempSync(join(tmpdir(), 'spec-review-'));
  try {
    const [normalBase, normalRevision] = [normalizeDocument(base), normalizeDocument(revision)];
    writeFileSync(join(dir, 'base.yaml'), serializeBundle(normalBase, 'yaml'));
    writeFileSync(join(dir, 'revision.yaml'), serializeBundle(normalRevision, 'yaml'));
    const oasdiff = securityChanges(oasdiffChangelog(join(dir, 'base.yaml'), join(dir, 'revision.yaml')), normalBase, normalRevision);
    const operationChanges = applyRequestNarrowings(oasdiff, requestNarrowings(normalBase, normalRevision), options.acceptedPatternChanges);
    return [...operationChanges, ...documentChanges(base as never, revision as never, operationChanges, isDeepStrictEqual(normalBase, normalRevision))];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The top of the git work tree that holds `cwd`: the CLIs review whatever repository they run in.
 *
 * @param options.required - false: outside a git repository, `cwd` itself (two spec files need no git).
 * @throws {UsageError} field `cwd`, rule `git repository`, when `cwd` is in none (or git is missing) and one is required.
 */
export function repositoryRoot(cwd: string, options: { required?: boolean } = {}): string {
  try {
    return execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch {
    if (options.required === false) return cwd;
    throw new UsageError('cwd', 'git repository', `${cwd} is not inside a git repository: run it in a clone of the project`);
  }
}

/**
 * The merge base of HEAD with main (or origin/main): what a pull request is compared with.
 *
 * @throws {UsageError} field `--base`, rule `merge base`, when neither branch shares history with HEAD.
 */
export function defaultBaseRef(repoRoot: string): string {
  for (const branch of ['main', 'origin/main']) {
    try {
      return execFileSync('git', ['merge-base', 'HEAD', branch], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      // try the next one
    }
  }
  throw new UsageError('--base', 'merge base', 'no merge base with main or origin/main: pass --base <git ref>');
}

/**
 * The base to compare with: `base` when given (it must name a commit), else {@link defaultBaseRef}.
 *
 * @throws {UsageError} field `--base`, rule `commit`, when `base` names no commit of the repository.
 */
export function resolveBase(repoRoot: string, base: string | undefined): string {
  if (base === undefined) return defaultBaseRef(repoRoot);
  return resolveRef(repoRoot, base, '--base');
}

/**
 * `ref` itself, once git confirms it names a commit of `repoRoot`.
 *
 * @param flag - The flag that gave it (`--base`, `--head`), named in the error.
 * @throws {UsageError} field `flag`, rule `commit`, when it names none.
 */
export function resolveRef(repoRoot: string, ref: string, flag: string): string {
  try {
    execFileSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: repoRoot, stdio: 'ignore' });
  } catch {
    throw new UsageError(flag, 'commit', `${flag} ${ref} names no commit in ${repoRoot}`);
  }
  return ref;
}

/** Where a repository keeps the pattern changes its reviewers accepted (see README). */
export const acceptedChangesFile = 'tools/spec-review/accepted-changes.json';

/**
 * The pattern changes accepted in `repoRoot` (none when the file is absent).
 *
 * @throws {Error} the file is not JSON, or an entry lacks a string `from`, `to` or `reason` (the message names the entry and field).
 */
export function loadAcceptedChanges(repoRoot: string): AcceptedPatternChange[] {
  const file = join(repoRoot, acceptedChangesFile);
  if (!existsSync(file)) return [];
  let entries: unknown;
  try {
    entries = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${acceptedChangesFile}: not JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(entries)) throw new Error(`${acceptedChangesFile}: must be an array of { from, to, reason }`);
  entries.forEach((entry: Record<string, unknown>, index) => {
    for (const field of ['from', 'to', 'reason']) {
      if (typeof entry?.[field] !== 'string') throw new Error(`${acceptedChangesFile}: entry ${index} field ${field} must be a string`);
    }
  });
  return entries as AcceptedPatternChange[];
}

export interface ReviewOptions {
  /** Pattern changes of request values that sampling could not compare, judged by a person. */
  acceptedPatternChanges?: AcceptedPatternChange[];
  /** Compare the generated clients and SDKs too (default true; false: the wire only). */
  code?: boolean;
  /** The repository's package names (`@carrier-api/...`): only those get bumps. */
  workspacePackages: Set<string>;
}

/**
 * Reviews two sides API by API, on two levels: the wire ({@link diffDocuments}) and the generated
 * code (the public surface of the light client and the SDK, see {@link diffSurfaces}). An API whose
 * bundle did not change (or that both sides list as `identical`, unbundled) is neither compared
 * nor generated; the SDKs of every changed API, base and head, come from one openapi-generator run.
 * A side a generator refuses (a security scheme it does not support) is reported as a
 * `code-generation-failed` change of that package, with the reason; the wire is reviewed all the same.
 *
 * @throws {Error} oasdiff fails, or openapi-generator is not installed or java cannot start.
 */
export async function reviewSides(base: SpecSide, head: SpecSide, options: ReviewOptions): Promise<SpecReview> {
  const apis: ApiReview[] = [];
  const toGenerate: ApiReview[] = [];
  const identical = (api: string) => base.identical?.has(api) === true && head.identical?.has(api) === true;
  const changed = (api: string) => !identical(api) && base.apis.has(api) && head.apis.has(api) && !isDeepStrictEqual(base.apis.get(api), head.apis.get(api));
  // The wire and the generated code are judged without x-behaviour: a change of it alone is a
  // change of the sandbox's promises (behaviourChanges), not of requests, responses or code.
  const wireOf = new Map<string, [OpenApiDocument, OpenApiDocument]>();
  for (const api of [...head.apis.keys()].filter(changed)) wireOf.set(api, [withoutBehaviour(base.apis.get(api)!), withoutBehaviour(head.apis.get(api)!)]);
  const wireChanged = (api: string) => wireOf.has(api) && !isDeepStrictEqual(...wireOf.get(api)!);
  // The JVM starts first and generates while oasdiff compares.
  const generating = generateSurfaces(
    options.code === false ? [] : [...head.apis.keys()].sort().filter(wireChanged).flatMap((api) => [{ api, document: base.apis.get(api)! }, { api, document: head.apis.get(api)! }]),
  );
  // Its failure is awaited below, not left unhandled while oasdiff runs.
  generating.catch(() => undefined);
  for (const api of [...new Set([...base.apis.keys(), ...head.apis.keys(), ...[...(base.identical ?? [])].filter(identical)])].sort()) {
    const [before, after] = [base.apis.get(api), head.apis.get(api)];
    const file = head.files.get(api) ?? base.files.get(api);
    if (identical(api)) {
      apis.push({ api, file, status: 'unchanged', changes: [], wireBump: 'none', behaviour: [], behaviourBump: 'none', bundleBump: 'none', bump: 'none' });
    } else if (!after) {
      apis.push({ api, file, status: 'removed', changes: [{ rule: 'api-removed', level: 'breaking', text: `the ${api} API was removed` }], wireBump: 'major', behaviour: [], behaviourBump: 'none', bundleBump: 'none', bump: 'major' });
    } else if (!before) {
      apis.push({ api, file, status: 'added', changes: [{ rule: 'api-added', level: 'safe', text: `the ${api} API was added` }], wireBump: 'minor', behaviour: [], behaviourBump: 'none', bundleBump: 'none', bump: 'minor' });
    } else if (!changed(api)) {
      apis.push({ api, file, status: 'unchanged', changes: [], wireBump: 'none', behaviour: [], behaviourBump: 'none', bundleBump: 'none', bump: 'none' });
    } else {
      const behaviour = behaviourChanges(before, after);
      const wire = wireChanged(api);
      // Without x-behaviour the documents are the same: nothing changed on the wire, nor in the
      // documentation the clients, SDKs, contract tests and mock are built from (none of them
      // carries x-behaviour), whatever the raw documents say.
      const changes = wire ? diffDocuments(...wireOf.get(api)!, { acceptedPatternChanges: options.acceptedPatternChanges }) : [];
      const [wireBump, behaviourBump] = [bumpFor(changes), bumpFor(behaviour)];
      // Neither the wire nor a promise changed, yet the documents differ: x-behaviour was
      // re-wrapped (its whitespace changed, the words did not; or a key other than its two texts
      // changed). @carrier-api/specs gets a patch,
      // and only it: its bundles are its product and their text did change (a JSON string gains or
      // loses a newline or a double space), which a consumer who diffs, hashes or prints the
      // bundles sees; without a release the published bundles would differ from the repository's
      // until some unrelated change. A patch, as for a description, since no contract changed.
      const bundleBump: Bump = !wire && behaviour.length === 0 ? 'patch' : 'none';
      const review: ApiReview = { api, file, status: 'changed', changes, wireBump, behaviour, behaviourBump, bundleBump, bump: maxBump(wireBump, behaviourBump, bundleBump) };
      apis.push(review);
      if (wire && options.code !== false) toGenerate.push(review);
    }
  }
  const surfaces = await generating;
  toGenerate.forEach((review, index) => {
    const [before, after] = [surfaces[2 * index]!, surfaces[2 * index + 1]!];
    const client = compareGenerated('light client', before.client, after.client);
    const sdk = compareGenerated('SDK', before.sdk, after.sdk);
    review.code = { client, sdk, clientBump: codeBump(client), sdkBump: codeBump(sdk) };
    review.bump = maxBump(review.wireBump, review.code.clientBump, review.code.sdkBump, review.behaviourBump, review.bundleBump);
    const compared = [...client, ...sdk].filter((change) => change.rule !== generationFailed);
    review.changes = review.changes.map((change) => withTrueWording(change, compared.length > 0));
  });
  return { base: base.label, head: head.label, apis, packages: packageBumps(options.workspacePackages, apis) };
}

/** The code change of a package that could not be generated on one side or both (see {@link compareGenerated}). */
export const generationFailed = 'code-generation-failed';

/**
 * The changes of one package's generated code, base against head; when a side cannot be
 * generated (a generator refuses its spec: a security scheme it does not support), one
 * `code-generation-failed` change that says which side and the generator's reason, instead of a
 * comparison. It is a warning (a minor at least): the review cannot tell what the code does, a
 * person must; the wire's verdict stands beside it.
 */
function compareGenerated(label: string, before: Surface | GenerationFailure, after: Surface | GenerationFailure): CodeChange[] {
  if (!isGenerationFailure(before) && !isGenerationFailure(after)) return diffSurfaces(before, after);
  const [old, now] = [isGenerationFailure(before) ? before.failed : undefined, isGenerationFailure(after) ? after.failed : undefined];
  const from =
    old !== undefined && now !== undefined
      ? old === now
        ? `the base nor the head (${old})`
        : `the base (${old}) nor the head (${now})`
      : old !== undefined
        ? `the base (${old})`
        : `the head (${now})`;
  return [{ rule: generationFailed, level: 'warning', text: `the ${label} cannot be generated from ${from}, so its code was not compared`, symbol: '' }];
}

/** A bump for code changes: breaking → major; warning or safe (the surface grew or moved) → minor; a type only written differently → patch. */
const codeBump = (changes: CodeChange[]): Bump => bumpFor(changes as SpecChange[]);

/** A wire-level "documentation only" verdict, worded for what the code review found. */
function withTrueWording(change: SpecChange, codeChanged: boolean): SpecChange {
  if (change.rule !== 'documentation-changed' && change.rule !== 'document-restructured') return change;
  return {
    ...change,
    text: codeChanged
      ? 'no request or response changed on the wire, but the document did in a way the generated code shows (see the generated code below)'
      : change.rule === 'document-restructured'
        ? 'the document was restructured (such as path-item parameters moved into operations); requests, responses and the generated types and methods are the same'
        : 'descriptions, examples or other documentation changed; requests, responses and the generated types and methods are the same',
  };
}

/**
 * Reviews the specs of a repository: `headRef` (default: the working tree) against `baseRef`.
 *
 * @param repoRoot - The repository under review (any that keeps its specs in specs/<api>/openapi.yaml).
 * @throws {Error} a spec does not bundle (its files relative to `repoRoot`), oasdiff or openapi-generator fails.
 */
export async function reviewSpecs(repoRoot: string, baseRef: string, headRef?: string, options: { code?: boolean } = {}): Promise<SpecReview> {
  const acceptedPatternChanges = loadAcceptedChanges(repoRoot);
  // Only the APIs whose spec files differ are bundled (loadSides): the review's cost follows the change, not the number of APIs.
  const [base, head] = await loadSides(repoRoot, baseRef, headRef);
  return reviewSides(base, head, { acceptedPatternChanges, workspacePackages: workspacePackageNames(repoRoot), code: options.code });
}

/**
 * Reviews two spec files (entry files with `$ref`s, or bundles) as one API, named by the head's
 * folder (`specs/<api>/openapi.yaml`) or file name (`<api>.yaml`).
 *
 * @param repoRoot - Where paths are printed from, and whose packages get the bumps.
 * @param cwd - What the file paths are relative to.
 * @throws {UsageError} field `<spec>`, rule `file`, when a file does not exist.
 */
export async function reviewFiles(repoRoot: string, cwd: string, baseFile: string, headFile: string, options: { code?: boolean } = {}): Promise<SpecReview> {
  for (const file of [baseFile, headFile]) {
    if (!existsSync(resolve(cwd, file))) throw new UsageError('<spec>', 'file', `${file}: no such file`);
  }
  const [base, head] = [await loadFile(repoRoot, cwd, baseFile), await loadFile(repoRoot, cwd, headFile)];
  const [api] = [...head.apis.keys()];
  // One API on both sides, whatever the base file is called.
  base.apis = new Map([[api!, [...base.apis.values()][0]!]]);
  base.files = new Map([[api!, [...base.files.values()][0]!]]);
  return reviewSides(base, head, { acceptedPatternChanges: loadAcceptedChanges(repoRoot), workspacePackages: workspacePackageNames(repoRoot), code: options.code });
}

/** The published packages built from an API's spec; each needs the API's bump. */
export function packagesOf(api: string, workspacePackages: Set<string>): string[] {
  return [`@carrier-api/${api}`, `@carrier-api/${api}-sdk`, '@carrier-api/specs', '@carrier-api/mock', '@carrier-api/contract-tests'].filter((name) => workspacePackages.has(name));
}

/**
 * The bump a package needs from an API's behaviour changes (its `x-behaviour`: what the sandbox
 * promises). Not a wire change: the light client, the SDK and the contract tests send and check
 * the same requests and responses, so they get nothing from it. `@carrier-api/mock` keeps the
 * promises: it takes the behaviour's own bump (added: minor, changed: minor, removed: major, its
 * rule goes away; see behaviour-changes.ts). `@carrier-api/reference` shows them to the
 * sandbox's users, but its contract is its CLI, its exports and the site's structure, not the
 * words on a page: a promise added, changed or removed is a section of a page added, changed or
 * removed, which breaks nobody's code, so it takes at most a minor. `@carrier-api/specs` ships
 * the texts in its bundles, but no contract of it changed: a patch, as for descriptions.
 */
export function behaviourBumpOf(name: string, behaviourBump: Bump): Bump {
  if (behaviourBump === 'none') return 'none';
  if (name === '@carrier-api/mock') return behaviourBump;
  if (name === '@carrier-api/reference') return behaviourBump === 'major' ? 'minor' : behaviourBump;
  return name === '@carrier-api/specs' ? 'patch' : 'none';
}

/** The bump a package needs from an API's bundle text alone ({@link ApiReview.bundleBump}): only `@carrier-api/specs` ships it. */
const bundleBumpOf = (name: string, bundleBump: Bump): Bump => (name === '@carrier-api/specs' ? bundleBump : 'none');

/** The packages an API's behaviour changes may bump ({@link behaviourBumpOf}). */
const behaviourPackages = ['@carrier-api/specs', '@carrier-api/mock', '@carrier-api/reference'];

function packageBumps(workspace: Set<string>, apis: ApiReview[]): PackageBump[] {
  const bumps = new Map<string, PackageBump>();
  for (const review of apis.filter((candidate) => candidate.bump !== 'none')) {
    const wirePackages = packagesOf(review.api, workspace);
    for (const name of new Set([...wirePackages, ...behaviourPackages.filter((candidate) => workspace.has(candidate))])) {
      const wire = wirePackages.includes(name) ? review.wireBump : 'none';
      const code = name === `@carrier-api/${review.api}` ? review.code?.clientBump : name === `@carrier-api/${review.api}-sdk` ? review.code?.sdkBump : undefined;
      const behaviour = behaviourBumpOf(name, review.behaviourBump);
      const bundle = bundleBumpOf(name, review.bundleBump);
      const needed = maxBump(wire, code ?? 'none', behaviour, bundle);
      if (needed === 'none') continue;
      const because: BumpReason[] = [
        ...(wire === needed ? (['wire'] as const) : []),
        ...(code === needed ? (['code'] as const) : []),
        ...(behaviour === needed ? (['behaviour'] as const) : []),
        ...(bundle === needed ? (['bundle'] as const) : []),
      ];
      const current = bumps.get(name);
      if (!current || current.bump !== maxBump(current.bump, needed)) {
        bumps.set(name, { name, bump: needed, apis: [...(current?.apis ?? []), review.api], because });
      } else {
        bumps.set(name, { ...current, apis: [...current.apis, review.api], because: current.bump === needed ? [...new Set([...current.because, ...because])] : current.because });
      }
    }
  }
  return [...bumps.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** The names of the packages in `repoRoot`/packages. */
export function workspacePackageNames(repoRoot: string): Set<string> {
  const dir = join(repoRoot, 'packages');
  if (!existsSync(dir)) return new Set();
  return new Set(
    readdirSync(dir)
      .filter((name) => existsSync(join(dir, name, 'package.json')))
      .map((name) => (JSON.parse(readFileSync(join(dir, name, 'package.json'), 'utf8')) as { name: string }).name),
  );
}
