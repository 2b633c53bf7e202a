// The table of `pnpm bench:scale`: one row per measure, one column per workspace size, then the
// goal and whether the largest workspace meets it.
import type { BuildRun, MockRun, ReviewRun } from './measure.ts';

/** Every measure of one column of the table. */
export interface Column {
  apis: number;
  /** Build tasks turbo ran or restored in the cold build. */
  packages: number;
  cold: BuildRun;
  noop: BuildRun;
  edit: BuildRun;
  /** The median of three runs; `spreadMs`: each run's time until all answered. */
  mock: MockRun & { spreadMs?: number[] };
  /** The median of three runs; `spreadSeconds`: each run's time. */
  review: ReviewRun & { spreadSeconds?: number[] };
}

/** One measure across the columns. */
export interface Row {
  measure: string;
  /** The measure of each column, as printed. */
  cells: string[];
  goal: string;
  /** Whether the last column meets the goal; undefined when there is no goal. */
  pass: boolean | undefined;
}

const seconds = (value: number) => `${value.toFixed(1)} s`;

/**
 * The rows, judged on the last (largest) column against the goals at 50 APIs: cold build
 * ≤ 5 min, no-op ≤ 3 s, one-spec edit ≤ 20 s, every mock answering ≤ 3 s. The spec review has no
 * number in the issue; its goal here is that its cost follows the change, not the number of APIs:
 * at most 1.5 times the first column's CPU time (wall-clock time on two shared cores swings by
 * more than that with the other builds; it needs two columns to be judged).
 */
export function judge(columns: Column[]): Row[] {
  const last = columns.at(-1)!;
  const first = columns[0]!;
  const load = (value: number) => ` (load ${value.toFixed(1)})`;
  return [
    { measure: 'cold build', cells: columns.map((c) => `${seconds(c.cold.seconds)}, ${c.cold.missed.length} tasks${load(c.cold.load)}`), goal: '≤ 300 s', pass: last.cold.seconds <= 300 },
    { measure: 'no-op build', cells: columns.map((c) => `${seconds(c.noop.seconds)}, ${c.noop.missed.length} missed${load(c.noop.load)}`), goal: '≤ 3 s, 0 missed', pass: last.noop.seconds <= 3 && last.noop.missed.length === 0 },
    {
      measure: 'one-spec edit rebuild',
      cells: columns.map((c) => `${seconds(c.edit.seconds)}, ${c.edit.missed.length}/${c.edit.tasks} missed${load(c.edit.load)}`),
      goal: '≤ 20 s',
      pass: last.edit.seconds <= 20,
    },
    {
      measure: 'startMock() until all answer (median of 3)',
      cells: columns.map((c) => `${seconds(c.mock.untilAllAnswerMs / 1000)}, ${c.mock.apis} APIs${load(c.mock.load)}`),
      goal: '≤ 3 s',
      pass: last.mock.untilAllAnswerMs <= 3000 && last.mock.apis === last.apis,
    },
    {
      measure: 'spec review, one spec changed (median of 3)',
      cells: columns.map((c) => `${seconds(c.review.seconds)} (${c.review.cpuSeconds.toFixed(1)} CPU s), ${c.review.changed.length} of ${c.review.apis} reviewed${load(c.review.load)}`),
      goal: 'CPU ≤ 1.5 × 5-API CPU',
      pass: columns.length < 2 ? undefined : last.review.cpuSeconds <= 1.5 * first.review.cpuSeconds && last.review.changed.length === 1,
    },
  ];
}

/** A Markdown table: measures down, the columns' API counts across, then goal and verdict. */
export function formatTable(columns: Column[], rows: Row[]): string {
  const header = ['measure', ...columns.map((column) => `${column.apis} APIs`), `goal (${columns.at(-1)!.apis} APIs)`, 'verdict'];
  const lines = [header, header.map(() => '---'), ...rows.map((row) => [row.measure, ...row.cells, row.goal, row.pass === undefined ? 'n/a' : row.pass ? 'pass' : 'FAIL'])];
  return lines.map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}
