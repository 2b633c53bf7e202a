import { execFileSync } from 'node:child_process';
import { repoRoot } from '@carrier-api/spec-kit';

/**
 * Writes this repository's specs/ as committed at HEAD into `dir`/specs: the tests' repositories
 * start from them, whatever edit of the working tree is under way.
 */
export function copyCommittedSpecs(dir: string): void {
  const archive = execFileSync('git', ['archive', '--format=tar', 'HEAD', 'specs'], { cwd: repoRoot, maxBuffer: 256 * 1024 * 1024 });
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
}
