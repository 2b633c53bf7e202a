// The temporary workspace of `pnpm bench:scale`: a copy of this repository's working tree (the
// files git would track, not node_modules or build output), installed offline from the local
// pnpm store, with its own git history so that the spec review has a base to compare with.
import { execFileSync, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, copyFileSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Environment of every command in the copy: no telemetry, no update check, no CI-only defaults (frozen lockfile). */
export function copyEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', TURBO_NO_UPDATE_NOTIFIER: '1', ...extra };
  delete env.CI;
  return env;
}

/**
 * Runs a command in `cwd`; throws with its last output lines when it fails.
 *
 * @param timeoutMs - Upper bound: a hung step ends the bench instead of holding two cores.
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
 * repository holds, whatever edits others have under way in its working tree.
 *
 * @returns How many files were copied.
 */
export function copyCommit(sourceRoot: string, dest: string, ref = 'HEAD'): number {
  mkdirSync(dest, { recursive: true });
  const archive = execFileSync('git', ['archive', '--format=tar', ref], { cwd: sourceRoot, maxBuffer: 1024 * 1024 * 1024 });
  execFileSync('tar', ['-x', '-C', dest], { input: archive, maxBuffer: 1024 * 1024 * 1024 });
  return execFileSync('git', ['ls-tree', '-r', '--name-only', ref], { cwd: sourceRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).trim().split('\n').length;
}

/**
 * Copies the working tree of `sourceRoot` into `dest`: every file git tracks or would track
 * (`git ls-files --cached --others --exclude-standard`), so an uncommitted edit is benchmarked as
 * it is, while node_modules, dist/, generated sources and caches stay behind.
 *
 * @returns How many files were copied.
 */
export function copyWorkingTree(sourceRoot: string, dest: string): number {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: sourceRoot, maxBuffer: 64 * 1024 * 1024 })
    .toString('utf8')
    .split('\0')
    .filter(Boolean);
  // A file deleted in the working tree is still listed as cached: leave it out, as the tree does.
  const files = listed.filter((file) => existsSync(join(sourceRoot, file)));
  mkdirSync(dest, { recursive: true });
  const archive = execFileSync('tar', ['-c', '-C', sourceRoot, '--null', '-T', '-'], { input: files.join('\0'), maxBuffer: 1024 * 1024 * 1024 });
  execFileSync('tar', ['-x', '-C', dest], { input: archive, maxBuffer: 1024 * 1024 * 1024 });
  return files.length;
}

/** What the root postinstall fetches, and where it keeps it (relative to the repository root). */
export interface ToolCache {
  what: string;
  path: string;
  how: 'hardlink' | 'symlink';
}

/**
 * The postinstall's downloads the copy can share with `sourceRoot`: the openapi-generator jar
 * (read from openapitools.json), oasdiff with its version marker, and the schemathesis venv. Each
 * install script finds them and says "already installed", so `pnpm install` of the copy stays
 * offline and takes seconds. The jar and oasdiff are hard-linked (read-only use); a venv holds
 * absolute paths, so it is linked to, not copied.
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
 * Links each of {@link toolCaches} that exists in `sourceRoot` into `dest`.
 *
 * @returns The ones linked (a missing one is installed by the copy's postinstall, online).
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
 * is run again with --prefer-offline, which asks the registry for that metadata only.
 *
 * @returns How it was installed.
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

/** Commits everything in the copy (its own repository, never the source's). */
export function commitAll(root: string, message: string): void {
  if (!existsSync(join(root, '.git'))) run(root, 'git', ['init', '--quiet', '--initial-branch=main'], 60_000);
  run(root, 'git', ['add', '-A'], 120_000);
  run(root, 'git', ['-c', 'user.email=bench@example.invalid', '-c', 'user.name=bench', 'commit', '--quiet', '--allow-empty', '-m', message], 120_000);
}
