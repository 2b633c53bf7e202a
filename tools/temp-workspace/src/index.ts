// A temp copy of this workspace: the files of the working tree (or of a commit) without
// node_modules, build output or .git, with the root postinstall's downloads (the
// openapi-generator jar, oasdiff, the schemathesis venv) shared from the source, so that
// `pnpm install` of the copy runs offline from the local pnpm store and takes seconds. A test or a
// benchmark edits, installs and builds there and never touches the working tree others use.
// Used by `pnpm bench:scale` (tools/bench) and the tests of tools/new-api.
import { execFileSync, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Largest output read from git or tar: a whole working tree goes through one pipe. */
const maxBuffer = 1024 * 1024 * 1024;

/**
 * The environment of every command run in a copy: the current one, without telemetry or update
 * checks, and without `CI` (which would turn on CI-only defaults such as pnpm's frozen lockfile).
 *
 * @param extra - Variables to add or override.
 */
export function copyEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', TURBO_NO_UPDATE_NOTIFIER: '1', ...extra };
  delete env.CI;
  return env;
}

/**
 * Runs `command` with `args` in `cwd`, with {@link copyEnv}, and waits for it.
 *
 * @param cwd - The folder it runs in (usually the copy's root).
 * @param timeoutMs - Upper bound in milliseconds: a hung step is killed (and throws) instead of
 *   holding the machine's cores.
 * @param options - Passed to `spawnSync`, over the defaults (utf8, 256 MiB of output, the env above).
 * @returns Its stdout followed by its stderr.
 * @throws {Error} it exits with a status other than 0, is killed (the timeout) or cannot start;
 *   the message holds the command, the folder, why, and the last 40 lines of its output.
 */
export function run(cwd: string, command: string, args: string[], timeoutMs: number, options: SpawnSyncOptions = {}): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: copyEnv(), maxBuffer: 256 * 1024 * 1024, timeout: timeoutMs, ...options });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0) {
    const why = result.error ? result.error.message : result.signal ? `killed by ${result.signal}` : `exit ${result.status}`;
    throw new Error(`${command} ${args.join(' ')} in ${cwd} failed (${why}):\n${output.split('\n').slice(-40).join('\n')}`);
  }
  return output;
}

/**
 * Copies the files of commit `ref` of `sourceRoot` into `dest` (`git archive`): what the
 * repository holds, whatever edits are under way in its working tree.
 *
 * @param sourceRoot - A git work tree (the repository's root, or any folder in it).
 * @param dest - Created if missing; files already there are overwritten, others kept.
 * @param ref - Any commit-ish git knows.
 * @returns How many files were copied.
 * @throws {Error} `sourceRoot` is not in a git repository, or `ref` names no commit.
 */
export function copyCommit(sourceRoot: string, dest: string, ref = 'HEAD'): number {
  mkdirSync(dest, { recursive: true });
  const archive = execFileSync('git', ['archive', '--format=tar', ref], { cwd: sourceRoot, maxBuffer });
  execFileSync('tar', ['-x', '-C', dest], { input: archive, maxBuffer });
  return execFileSync('git', ['ls-tree', '-r', '--name-only', ref], { cwd: sourceRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).trim().split('\n').length;
}

/**
 * Copies the working tree of `sourceRoot` into `dest`: every file git tracks or would track
 * (`git ls-files --cached --others --exclude-standard`) as it is now, so an uncommitted edit or a
 * new file is in the copy and a file deleted in the working tree is not, while ignored files
 * (node_modules, dist/, generated sources, caches) and .git stay behind.
 *
 * @param sourceRoot - The root of a git work tree.
 * @param dest - Created if missing; files already there are overwritten, others kept.
 * @returns How many files were copied.
 * @throws {Error} `sourceRoot` is not in a git repository.
 */
export function copyWorkingTree(sourceRoot: string, dest: string): number {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: sourceRoot, maxBuffer: 64 * 1024 * 1024 })
    .toString('utf8')
    .split('\0')
    .filter(Boolean);
  // A file deleted in the working tree is still listed as cached: leave it out, as the tree does.
  const files = listed.filter((file) => existsSync(join(sourceRoot, file)));
  mkdirSync(dest, { recursive: true });
  const archive = execFileSync('tar', ['-c', '-C', sourceRoot, '--null', '-T', '-'], { input: files.join('\0'), maxBuffer });
  execFileSync('tar', ['-x', '-C', dest], { input: archive, maxBuffer });
  return files.length;
}

/**
 * {@link copyWorkingTree} into a new folder of the system's temp folder (`mkdtemp`).
 *
 * @param sourceRoot - The root of a git work tree.
 * @param prefix - Start of the new folder's name, e.g. `new-api-e2e-`.
 * @returns The new folder; removing it is the caller's job.
 * @throws {Error} `sourceRoot` is not in a git repository.
 */
export function copyToTemp(sourceRoot: string, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  copyWorkingTree(sourceRoot, dir);
  return dir;
}

/** One of the root postinstall's downloads, and where it keeps it. */
export interface ToolCache {
  /** What it is, for a log line. */
  what: string;
  /** Where it is, relative to the workspace root. */
  path: string;
  /** How a copy shares it: a hard link to the file, or a symbolic link to the folder. */
  how: 'hardlink' | 'symlink';
}

/**
 * The postinstall's downloads a copy can share with `sourceRoot`: the openapi-generator jar (its
 * version and folder read from openapitools.json), oasdiff with its version marker, and the
 * schemathesis venv. Each install script finds them and says "already installed", so
 * `pnpm install` of the copy stays offline. Whether they exist is not checked here.
 *
 * @param sourceRoot - A workspace root holding openapitools.json.
 * @throws {Error} openapitools.json is missing or is not JSON.
 */
export function toolCaches(sourceRoot: string): ToolCache[] {
  const config = JSON.parse(readFileSync(join(sourceRoot, 'openapitools.json'), 'utf8'))['generator-cli'] as { version: string; storageDir: string };
  return [
    { what: 'openapi-generator jar', path: join(config.storageDir, `${config.version}.jar`), how: 'hardlink' },
    { what: 'oasdiff', path: '.tools/bin/oasdiff', how: 'hardlink' },
    { what: 'oasdiff version marker', path: '.tools/bin/oasdiff.version', how: 'hardlink' },
    { what: 'schemathesis venv', path: '.venv/schemathesis', how: 'symlink' },
  ];
}

/**
 * Links each of {@link toolCaches} that exists in `sourceRoot` into `dest`, where it is not yet.
 * The jar and oasdiff are only read, so they are hard-linked (copied when `dest` is on another
 * file system); a venv holds absolute paths, so `dest` gets a symbolic link to it, not a copy.
 *
 * @param sourceRoot - A workspace root holding openapitools.json.
 * @param dest - The copy's root.
 * @returns The ones linked; one missing in `sourceRoot` is skipped (the copy's postinstall
 *   downloads it, online).
 * @throws {Error} openapitools.json of `sourceRoot` is missing or is not JSON.
 */
export function shareToolCaches(sourceRoot: string, dest: string): ToolCache[] {
  const shared: ToolCache[] = [];
  for (const cache of toolCaches(sourceRoot)) {
    const from = join(sourceRoot, cache.path);
    const to = join(dest, cache.path);
    if (!existsSync(from) || existsSync(to)) continue;
    mkdirSync(dirname(to), { recursive: true });
    if (cache.how === 'symlink') symlinkSync(from, to);
    else {
      try {
        linkSync(from, to);
      } catch {
        // Another file system: a copy works as well, only slower.
        copyFileSync(from, to);
      }
    }
    shared.push(cache);
  }
  return shared;
}

/**
 * `pnpm install --offline` in the copy: packages come from the local store (hard links), never
 * from the registry; the lockfile may change (new workspace packages), so it is not frozen. When
 * pnpm has no cached metadata for a specifier a new package uses (ERR_PNPM_NO_OFFLINE_META), it
 * is run again with --prefer-offline, which asks the registry for that metadata only. Each try
 * may take up to 15 minutes.
 *
 * @param root - The copy's root.
 * @returns How it was installed.
 * @throws {Error} the install fails for any other reason, or the retry fails (see {@link run}).
 */
export function installOffline(root: string): 'offline' | 'prefer-offline' {
  const args = ['install', '--no-frozen-lockfile', '--reporter=append-only'];
  try {
    run(root, 'pnpm', [...args, '--offline'], 15 * 60_000);
    return 'offline';
  } catch (error) {
    if (!/ERR_PNPM_NO_OFFLINE_META/.test((error as Error).message)) throw error;
    run(root, 'pnpm', [...args, '--prefer-offline'], 15 * 60_000);
    return 'prefer-offline';
  }
}

/**
 * Commits everything in the copy to its own git repository (made on the first call; never the
 * source's), so that a tool comparing with a base commit has one.
 *
 * @param root - The copy's root.
 * @param message - The commit message.
 * @throws {Error} a git command fails or takes longer than 2 minutes.
 */
export function commitAll(root: string, message: string): void {
  if (!existsSync(join(root, '.git'))) run(root, 'git', ['init', '--quiet', '--initial-branch=main'], 60_000);
  run(root, 'git', ['add', '-A'], 120_000);
  run(root, 'git', ['-c', 'user.email=temp-workspace@example.invalid', '-c', 'user.name=temp-workspace', 'commit', '--quiet', '--allow-empty', '-m', message], 120_000);
}
