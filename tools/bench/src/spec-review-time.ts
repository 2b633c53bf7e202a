// The whole spec review's wall-clock time, as a pull request meets it: `spec-diff` in a git
// repository like ours where every API's spec changed, so that all five are compared on the wire
// and generated twice (light client and SDK, base and head; the SDKs in one openapi-generator run).
// Reported, never asserted. Runs on its own too: `tsx tools/bench/src/spec-review-time.ts`.
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const tsx = join(repoRoot, 'tools/spec-review/node_modules/.bin/tsx');
const specDiff = join(repoRoot, 'tools/spec-review/src/cli/spec-diff.ts');

export interface SpecReviewTime {
  apis: number;
  /** Wall-clock seconds of each run of `spec-diff --base main --format json`. */
  seconds: number[];
  /** CPU seconds (user + system) of each run, every process it started included. */
  cpuSeconds: number[];
  /** APIs whose generated code the runs compared (all changed ones). */
  generated: number;
}

/**
 * Times `spec-diff` on a copy of this repository's specs where every API changed (an `x-bench`
 * extension added to each openapi.yaml: a change on neither level, so everything is compared and
 * generated and nothing else is measured).
 *
 * @param runs - How many times to run it (each starts tsx and one JVM).
 */
export function timeSpecReview(runs = 2): SpecReviewTime {
  const repo = mkdtempSync(join(tmpdir(), 'bench-spec-review-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'ignore' });
  try {
    git('init', '--quiet', '--initial-branch=main');
    // The committed specs (the working tree may be in the middle of an edit).
    execFileSync('tar', ['-x', '-C', repo], { input: execFileSync('git', ['archive', '--format=tar', 'HEAD', 'specs'], { cwd: repoRoot, maxBuffer: 256 * 1024 * 1024 }) });
    const apis = readdirSync(join(repo, 'specs')).filter((name) => name !== 'shared');
    for (const api of apis) {
      mkdirSync(join(repo, 'packages', api), { recursive: true });
      writeFileSync(join(repo, 'packages', api, 'package.json'), JSON.stringify({ name: `@carrier-api/${api}`, version: '1.0.0' }));
    }
    git('add', '-A');
    git('-c', 'user.email=bench@example.com', '-c', 'user.name=bench', 'commit', '--quiet', '-m', 'specs');
    for (const api of apis) appendFileSync(join(repo, 'specs', api, 'openapi.yaml'), '\nx-bench: true\n');
    const seconds: number[] = [];
    const cpuSeconds: number[] = [];
    let generated = 0;
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      // bash's `times` adds up the CPU time of spec-diff and every process it started (oasdiff, the JVM).
      const script = `"$0" "$1" --base main --format json > review.json && times >&2`;
      const result = spawnSync('bash', ['-c', script, tsx, specDiff], { cwd: repo, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      seconds.push((performance.now() - started) / 1000);
      if (result.status !== 0) throw new Error(`spec-diff failed: ${result.stderr.trim()}`);
      const children = result.stderr.trim().split('\n').pop()!.match(/(\d+)m([\d.]+)s/g) ?? [];
      cpuSeconds.push(children.reduce((sum, time) => sum + Number(/(\d+)m/.exec(time)![1]) * 60 + Number(/m([\d.]+)s/.exec(time)![1]), 0));
      generated = (JSON.parse(readFileSync(join(repo, 'review.json'), 'utf8')) as { apis: { code?: unknown }[] }).apis.filter((api) => api.code).length;
    }
    return { apis: apis.length, seconds, cpuSeconds, generated };
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
}

/** Prints the review time as a table (`pnpm bench`). */
export function printSpecReviewTime(): void {
  console.log('\n## Spec review: spec-diff with every API changed (wire + generated code of both sides)\n');
  const load = loadavg()[0]!.toFixed(1);
  const result = timeSpecReview();
  console.table(
    result.seconds.map((seconds, index) => ({
      run: index + 1,
      APIs: result.apis,
      'APIs generated (base + head)': result.generated,
      'wall s': seconds.toFixed(1),
      'CPU s (all processes)': result.cpuSeconds[index]!.toFixed(1),
      'load average before': load,
    })),
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) printSpecReviewTime();
