#!/usr/bin/env node
// pnpm test: runs every check through turbo, then names each failed task with the lines of its log
// that say why. Turbo's own summary only lists task ids, and their reasons scroll by among the
// interleaved logs of ten other tasks.
//
// usage: node tools/run-tests/run-tests.mjs [turbo flags, e.g. --filter=@carrier-api/mock]
// Environment: CARRIER_TEST_CONCURRENCY (default 3) caps the tasks turbo runs at once;
// CARRIER_TEST_ROOT is the workspace to run in (default: this repository; the tests use fixtures).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(process.env.CARRIER_TEST_ROOT ?? resolve(import.meta.dirname, '../..'));
const tasks = ['lint:specs', 'lint:package', 'typecheck', 'test'];
// Measured on 2 cores (see README): the JVM batches, Prism servers, Verdaccio and schemathesis
// starve each other at turbo's default of 10; 3 keeps both cores busy while one task waits on I/O.
const concurrency = process.env.CARRIER_TEST_CONCURRENCY ?? '3';
const runsDir = join(root, '.turbo', 'runs');
const before = new Set(existsSync(runsDir) ? readdirSync(runsDir) : []);

// The workspace's own turbo (pinned in the root package.json), whether or not pnpm put it on PATH.
const turbo = spawnSync(
  resolve(import.meta.dirname, '../../node_modules/.bin/turbo'),
  ['run', ...tasks, `--concurrency=${concurrency}`, '--continue=dependencies-successful', '--summarize', ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit', env: { TURBO_TELEMETRY_DISABLED: '1', ...process.env } },
);
if (turbo.error) console.error(`run-tests: could not start turbo: ${turbo.error.message} (run pnpm install first)`);
const code = turbo.status ?? 1;
const summary = readSummary();
if (code !== 0) report(summary);
// The plain closing line CI reads: how many turbo tasks passed and failed (a skipped task did not run).
if (summary) {
  const failed = failedTasks(summary).length;
  console.log(`tasks: ${summary.tasks.length - failed} passed, ${failed} failed${code !== 0 && failed === 0 ? ' (turbo itself failed: see above)' : ''}`);
}
process.exit(code);

/** The summary turbo wrote for this run (--summarize), or undefined when it wrote none. */
function readSummary() {
  const file = (existsSync(runsDir) ? readdirSync(runsDir) : [])
    .filter((name) => name.endsWith('.json') && !before.has(name))
    .map((name) => join(runsDir, name))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  return file ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

function failedTasks(summary) {
  // A task killed by a signal has no exit code: it failed too.
  return summary.tasks.filter((task) => task.execution && task.execution.exitCode !== 0);
}

/** Prints each failed task of this run with the lines of its log that explain the failure. */
function report(summary) {
  if (!summary) {
    console.error(`\nturbo exited ${code} before it ran any task (see above).`);
    return;
  }
  const failed = failedTasks(summary);
  // Turbo leaves the tasks it skipped out of the summary: they are the failed tasks' dependents.
  const ran = new Set(summary.tasks.map((task) => task.taskId));
  const skipped = [...new Set(failed.flatMap((task) => task.dependents ?? []))].filter((id) => !ran.has(id));
  console.error(`\n${'─'.repeat(72)}\n${failed.length} task(s) failed:`);
  for (const task of failed) {
    console.error(`\n✗ ${task.taskId} (${task.execution.exitCode == null ? 'killed' : `exit ${task.execution.exitCode}`})`);
    for (const line of reasons(task)) console.error(`    ${line}`);
  }
  if (skipped.length > 0) console.error(`\nnot run, because a task they depend on failed: ${skipped.join(', ')}`);
}

/** The lines of a task's log that say why it failed: vitest's failures and errors, else its last lines. */
function reasons(task) {
  const file = join(root, task.logFile ?? join(task.directory ?? '', '.turbo', `turbo-${task.task.replace(':', '$colon$')}.log`));
  if (!existsSync(file)) return ['(no log kept)'];
  // eslint-disable-next-line no-control-regex
  const lines = readFileSync(file, 'utf8').replace(/\u001b\[[0-9;]*m/g, '').split('\n').map((line) => line.trimEnd()).filter((line) => line.trim() !== '')
    // pnpm's echo of the script and its own warnings say nothing about the failure.
    .filter((line) => !/^\s*>|^\s*WARN\s|ELIFECYCLE/.test(line));
  const telling = lines.filter((line) => /FAIL |AssertionError|Error:|error TS\d+|✗|×|Expected|Received|timed out/.test(line));
  const chosen = telling.length > 0 ? telling : lines.slice(-10);
  if (chosen.length === 0) return ['(no output)'];
  return chosen.slice(0, 25).map((line) => (line.length > 200 ? `${line.slice(0, 200)}…` : line));
}
