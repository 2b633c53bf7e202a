// The measures of one row of `pnpm bench:scale`, taken in the copied workspace.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { copyEnv, run } from '@carrier-api/temp-workspace';

/** One `turbo run build`: wall-clock time and what turbo's run summary says of each task. */
export interface BuildRun {
  seconds: number;
  tasks: number;
  /** Tasks that missed the cache (and ran). */
  missed: string[];
  /** The slowest tasks that ran, with their seconds. */
  slowest: { task: string; seconds: number }[];
  /** 1-minute load average when the run started. */
  load: number;
}

/** The turbo run summary fields read here (`--summarize`, .turbo/runs/<id>.json). */
export interface TurboSummary {
  tasks: { taskId: string; cache: { status: string }; execution?: { startTime: number; endTime: number } }[];
}

/**
 * The tasks of a turbo run summary that missed the cache, and the slowest of them.
 *
 * @throws {Error} the summary has no `tasks` array (a turbo whose summary format changed).
 */
export function readSummary(summary: TurboSummary): Pick<BuildRun, 'tasks' | 'missed' | 'slowest'> {
  if (!Array.isArray(summary.tasks)) throw new Error('turbo run summary without a tasks array');
  const missed = summary.tasks.filter((task) => task.cache.status !== 'HIT');
  const slowest = missed
    .map((task) => ({ task: task.taskId, seconds: task.execution ? (task.execution.endTime - task.execution.startTime) / 1000 : 0 }))
    .sort((a, b) => b.seconds - a.seconds)
    .slice(0, 5);
  return { tasks: summary.tasks.length, missed: missed.map((task) => task.taskId).sort(), slowest };
}

/**
 * `turbo run build --concurrency=2` in `root` with its own cache folder (the repository's cache is
 * neither read nor written), `--summarize` for the hit/miss count.
 *
 * @param cacheDir - Outside the copy's tracked files; emptied first when `clearCache`.
 * @throws {Error} the build fails (its last output lines in the message).
 */
export function turboBuild(root: string, cacheDir: string, options: { clearCache?: boolean } = {}): BuildRun {
  if (options.clearCache) rmSync(cacheDir, { recursive: true, force: true });
  const runs = join(root, '.turbo', 'runs');
  const before = new Set(existsSync(runs) ? readdirSync(runs) : []);
  const load = loadavg()[0]!;
  const started = performance.now();
  run(root, 'pnpm', ['exec', 'turbo', 'run', 'build', '--concurrency=2', `--cache-dir=${cacheDir}`, '--summarize', '--output-logs=errors-only'], 60 * 60_000);
  const seconds = (performance.now() - started) / 1000;
  const written = readdirSync(runs).filter((name) => name.endsWith('.json') && !before.has(name));
  if (written.length !== 1) throw new Error(`expected one new turbo run summary in ${runs}, found ${written.length}`);
  return { seconds, load, ...readSummary(JSON.parse(readFileSync(join(runs, written[0]!), 'utf8')) as TurboSummary) };
}

/**
 * Edits the description of one API's spec (a change every generator sees, on no level of the
 * contract's wire), for the one-spec-edit rebuild and the spec review.
 *
 * @returns A function that puts the spec back byte for byte.
 * @throws {Error} the spec has no `info:` line.
 */
export function editSpecDescription(root: string, api: string): () => void {
  const file = join(root, 'specs', api, 'openapi.yaml');
  const text = readFileSync(file, 'utf8');
  // The first line of info.description, written as a folded block (`description: >-`), as every spec here does.
  const match = /^info:\n(?:(?: {2,}.*|)\n)*? {2}description: >-?\n/m.exec(text);
  if (!match) throw new Error(`specs/${api}/openapi.yaml has no folded info.description`);
  const at = match.index + match[0].length;
  // The description reaches the generated client and SDK (their doc comments cite it), so every generator of the API must run again.
  writeFileSync(file, `${text.slice(0, at)}    Edited by bench:scale.\n${text.slice(at)}`);
  return () => writeFileSync(file, text);
}

/** What the mock probe (./mock-probe.ts) printed. */
export interface MockRun {
  apis: number;
  importMs: number;
  startMockMs: number;
  untilAllAnswerMs: number;
  load: number;
}

/**
 * Runs ./mock-probe.ts in the copy: `startMock()` of every bundled API, until each answered.
 *
 * @throws {Error} the probe fails or not every API answered.
 */
export function probeMocks(root: string): MockRun {
  const load = loadavg()[0]!;
  const output = run(join(root, 'tools', 'bench'), join(root, 'tools', 'bench', 'node_modules', '.bin', 'tsx'), ['src/scale/mock-probe.ts'], 5 * 60_000);
  const line = output.trim().split('\n').pop()!;
  const result = JSON.parse(line) as MockRun & { answeredApis: number };
  if (result.answeredApis !== result.apis) throw new Error(`only ${result.answeredApis} of ${result.apis} mocks answered`);
  return { ...result, load };
}

/** One spec review (`spec-diff --base HEAD`, the working tree as head). */
export interface ReviewRun {
  seconds: number;
  /** User + system CPU seconds of spec-diff and every process it started (oasdiff, the JVM): steadier than wall-clock time on a shared machine. */
  cpuSeconds: number;
  /** APIs the review found changed (compared and generated). */
  changed: string[];
  apis: number;
  load: number;
}

/** bash's `times` output (two lines: the shell's own, then its children's) as CPU seconds of the children. */
export function childCpuSeconds(times: string): number {
  const children = times.trim().split('\n').pop() ?? '';
  const parts = [...children.matchAll(/(\d+)m([\d.]+)s/g)];
  if (parts.length !== 2) throw new Error(`cannot read bash times output: ${JSON.stringify(times)}`);
  return parts.reduce((sum, part) => sum + Number(part[1]) * 60 + Number(part[2]), 0);
}

/**
 * The copy's own spec review of its working tree against HEAD, as a pull request meets it.
 *
 * @throws {Error} spec-diff fails.
 */
export function timeSpecReview(root: string): ReviewRun {
  const tsx = join(root, 'tools', 'spec-review', 'node_modules', '.bin', 'tsx');
  const load = loadavg()[0]!;
  const started = performance.now();
  // bash's `times` adds up the CPU time of spec-diff and of every process it waited for; it goes to fd 3, apart from spec-diff's stderr.
  const script = '"$0" "$1" --base HEAD --format json && times >&3';
  const result = spawnSync('bash', ['-c', script, tsx, join(root, 'tools', 'spec-review', 'src', 'cli', 'spec-diff.ts')], {
    cwd: root,
    encoding: 'utf8',
    env: copyEnv(),
    maxBuffer: 256 * 1024 * 1024,
    timeout: 10 * 60_000,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`spec-diff failed: ${result.stderr.trim().split('\n').slice(-20).join('\n')}`);
  const review = JSON.parse(result.stdout) as { apis: { api: string; status: string }[] };
  const cpuSeconds = childCpuSeconds(String(result.output[3] ?? ''));
  return { seconds, cpuSeconds, load, apis: review.apis.length, changed: review.apis.filter((api) => api.status !== 'unchanged').map((api) => api.api) };
}

/**
 * The run with the median of `measure` out of `runs` runs of `take` (the lower middle for an even
 * count). On a machine shared with other builds one run can land in a burst of load; the median
 * of three is what the table shows, the spread beside it.
 *
 * @returns The median run and every run's measure, in the order taken.
 */
export function medianOf<T>(runs: number, take: () => T, measure: (run: T) => number): { median: T; all: number[] } {
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`runs must be a positive integer, got ${runs}`);
  const taken: T[] = [];
  for (let index = 0; index < runs; index++) taken.push(take());
  const sorted = [...taken].sort((a, b) => measure(a) - measure(b));
  return { median: sorted[Math.floor((sorted.length - 1) / 2)]!, all: taken.map(measure) };
}

/** Size in bytes of a folder (the turbo cache), for the closing note. */
export function folderBytes(dir: string): number {
  if (!existsSync(dir)) return 0;
  let total = 0;
  const pending = [dir];
  while (pending.length > 0) {
    const current = pending.pop()!;
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) pending.push(path);
      else if (entry.isFile()) total += statSync(path).size;
    }
  }
  return total;
}
