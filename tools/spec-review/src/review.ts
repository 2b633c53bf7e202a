import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { bundleApi, listApis, serializeBundle, type OpenApiDocument } from '@carrier-api/spec-kit';
import { UsageError } from './cli/usage.ts';
import { bumpFor, maxBump, type Bump, type SpecChange } from './changes.ts';
import { documentChanges } from './document-changes.ts';
import { normalizeDocument } from './normalize.ts';
import { oasdiffChangelog } from './oasdiff.ts';
import { requestNarrowings } from './request-narrowing.ts';
import { applyRequestNarrowings, type AcceptedPatternChange } from './request-policy.ts';

export interface ApiReview {
  api: string;
  status: 'added' | 'removed' | 'changed' | 'unchanged';
  changes: SpecChange[];
  bump: Bump;
}

export interface PackageBump {
  name: string;
  bump: Bump;
  apis: string[];
}

export interface SpecReview {
  base: string;
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
 * oasdiff, a change that narrows what a request may carry is breaking ({@link requestNarrowings}).
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
    const oasdiff = oasdiffChangelog(join(dir, 'base.yaml'), join(dir, 'revision.yaml'));
    const operationChanges = applyRequestNarrowings(oasdiff, requestNarrowings(normalBase, normalRevision), options.acceptedPatternChanges);
    return [...operationChanges, ...documentChanges(base as never, revision as never, operationChanges, isDeepStrictEqual(normalBase, normalRevision))];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The top of the git work tree that holds `cwd`: the CLIs review whatever repository they run in.
 *
 * @throws {UsageError} field `cwd`, rule `git repository`, when `cwd` is in none (or git is missing).
 */
export function repositoryRoot(cwd: string): string {
  try {
    return execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch {
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
  try {
    execFileSync('git', ['rev-parse', '--verify', '--quiet', `${base}^{commit}`], { cwd: repoRoot, stdio: 'ignore' });
  } catch {
    throw new UsageError('--base', 'commit', `--base ${base} names no commit in ${repoRoot}`);
  }
  return base;
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

/** Reviews the specs of the working tree against those at `baseRef`. */
export async function reviewSpecs(repoRoot: string, baseRef: string): Promise<SpecReview> {
  const acceptedPatternChanges = loadAcceptedChanges(repoRoot);
  const baseSpecs = checkoutSpecs(repoRoot, baseRef);
  try {
    const headSpecs = join(repoRoot, 'specs');
    const baseApis = baseSpecs ? listApis(baseSpecs) : [];
    const headApis = listApis(headSpecs);
    const apis: ApiReview[] = [];
    for (const api of [...new Set([...baseApis, ...headApis])].sort()) {
      if (!headApis.includes(api)) {
        apis.push({ api, status: 'removed', changes: [{ rule: 'api-removed', level: 'breaking', text: `the ${api} API was removed` }], bump: 'major' });
        continue;
      }
      const revision = await bundleApi(api, headSpecs);
      if (!baseApis.includes(api)) {
        apis.push({ api, status: 'added', changes: [{ rule: 'api-added', level: 'safe', text: `the ${api} API was added` }], bump: 'minor' });
        continue;
      }
      const changes = diffDocuments(await bundleApi(api, baseSpecs!), revision, { acceptedPatternChanges });
      apis.push({ api, status: changes.length > 0 ? 'changed' : 'unchanged', changes, bump: bumpFor(changes) });
    }
    return { base: baseRef, apis, packages: packageBumps(repoRoot, apis) };
  } finally {
    if (baseSpecs) rmSync(join(baseSpecs, '..'), { recursive: true, force: true });
  }
}

/** specs/ as it was at `ref`, in a temporary folder; undefined when the ref had none. */
function checkoutSpecs(repoRoot: string, ref: string): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'spec-review-base-'));
  try {
    const archive = execFileSync('git', ['archive', '--format=tar', ref, 'specs'], { cwd: repoRoot, maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
    mkdirSync(dir, { recursive: true });
    execFileSync('tar', ['-x', '-C', dir], { input: archive });
    return join(dir, 'specs');
  } catch (error) {
    const message = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
    rmSync(dir, { recursive: true, force: true });
    if (/did not match any files|pathspec/.test(message)) return undefined;
    throw new Error(`Cannot read specs/ at ${ref}: ${message.trim()}`);
  }
}

/** The published packages built from an API's spec; each needs the API's bump. */
export function packagesOf(api: string, workspacePackages: Set<string>): string[] {
  return [`@carrier-api/${api}`, `@carrier-api/${api}-sdk`, '@carrier-api/specs', '@carrier-api/mock', '@carrier-api/contract-tests'].filter((name) => workspacePackages.has(name));
}

function packageBumps(repoRoot: string, apis: ApiReview[]): PackageBump[] {
  const workspace = workspacePackageNames(repoRoot);
  const bumps = new Map<string, PackageBump>();
  for (const review of apis.filter((candidate) => candidate.bump !== 'none')) {
    for (const name of packagesOf(review.api, workspace)) {
      const current = bumps.get(name) ?? { name, bump: 'none' as Bump, apis: [] };
      bumps.set(name, { name, bump: maxBump(current.bump, review.bump), apis: [...current.apis, review.api] });
    }
  }
  return [...bumps.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function workspacePackageNames(repoRoot: string): Set<string> {
  const dir = join(repoRoot, 'packages');
  if (!existsSync(dir)) return new Set();
  return new Set(
    readdirSync(dir)
      .filter((name) => existsSync(join(dir, name, 'package.json')))
      .map((name) => (JSON.parse(readFileSync(join(dir, name, 'package.json'), 'utf8')) as { name: string }).name),
  );
}
