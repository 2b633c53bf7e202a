import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { readGeneratorConfig } from '@carrier-api/openapi-generator';
import { repoRoot } from '@carrier-api/spec-kit/apis';

/**
 * A copy of the workspace's sources in a temp folder: the files git knows or would add (tracked
 * and untracked, not ignored: the working tree as it is, without node_modules, build output or
 * .git), so that a test can edit and build there and never touch the working tree others use.
 */
export function copyWorkspace(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    // A file deleted in the working tree but still in the index is gone, as in the working tree.
    if (!existsSync(join(repoRoot, file))) continue;
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    copyFileSync(join(repoRoot, file), join(dir, file));
  }
  return dir;
}

/** The turbo of the workspace (the temp copy has no node_modules until it is installed). */
export const turboBin = join(repoRoot, 'node_modules/.bin/turbo');

/**
 * What the root postinstall downloads (the openapi-generator jar, oasdiff, the schemathesis venv),
 * linked from the workspace into the copy, so that its `pnpm install` finds them installed and
 * stays offline. The files are only read (hard links); a venv holds absolute paths (a symlink).
 */
export function linkToolCaches(copy: string): void {
  const jar = relative(repoRoot, readGeneratorConfig().jarPath);
  for (const [path, how] of [
    [jar, 'hardlink'],
    ['.tools/bin/oasdiff', 'hardlink'],
    ['.tools/bin/oasdiff.version', 'hardlink'],
    ['.venv/schemathesis', 'symlink'],
  ] as const) {
    const from = join(repoRoot, path);
    if (!existsSync(from) || existsSync(join(copy, path))) continue;
    mkdirSync(dirname(join(copy, path)), { recursive: true });
    if (how === 'symlink') symlinkSync(from, join(copy, path));
    else linkSync(from, join(copy, path));
  }
}
