// pnpm bench:scale [--apis 50] [--from head|worktree] [--scaffold auto|new-api|copy] [--edit centili-payments] [--check] [--keep]
//
// How the monorepo's everyday commands grow with the number of APIs. In a temporary copy of HEAD
// (--from worktree: of the working tree, uncommitted edits included; installed offline from the pnpm store, its own turbo cache folder), it measures
// the five APIs there are, grows the copy to --apis (copies of the five under new names, each
// scaffolded like a new API), and measures again: cold build, no-op build, the rebuild after one
// spec edit, startMock() of every API, and the spec review of a one-spec change. Prints one
// table; exits 0 unless --check is given and a goal is missed. Not part of `pnpm test`: it
// measures speed on a shared machine (the load average is printed beside each number).
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { commitAll, copyCommit, copyWorkingTree, installOffline, run, shareToolCaches } from '@carrier-api/temp-workspace';
import { copyPackages, growTo, listSpecApis, newApiCommand, pickScaffold, type Scaffold } from './grow.ts';
import { editSpecDescription, folderBytes, medianOf, probeMocks, timeSpecReview, turboBuild } from './measure.ts';
import { formatTable, judge, type Column, type Row } from './table.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

const { values } = parseArgs({
  options: {
    apis: { type: 'string', default: '50' },
    from: { type: 'string', default: 'head' },
    scaffold: { type: 'string', default: 'auto' },
    edit: { type: 'string', default: 'centili-payments' },
    check: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const target = Number(values.apis);
if (!Number.isInteger(target) || target < 1 || target > 500) {
  console.error(`--apis must be a whole number from 1 to 500, got "${values.apis}"`);
  process.exit(2);
}
if (!['auto', 'new-api', 'copy'].includes(values.scaffold!)) {
  console.error(`--scaffold must be auto, new-api or copy, got "${values.scaffold}"`);
  process.exit(2);
}
if (values.from !== 'head' && values.from !== 'worktree') {
  console.error(`--from must be head or worktree, got "${values.from}"`);
  process.exit(2);
}

const begun = performance.now();
const log = (text: string) => console.error(`[bench:scale ${((performance.now() - begun) / 1000).toFixed(0).padStart(4)} s, load ${loadavg()[0]!.toFixed(1)}] ${text}`);

/** The five measures on the workspace as it is; the spec of `editApi` is edited and put back. */
function measure(root: string, cacheDir: string, editApi: string): Column {
  const apis = listSpecApis(root).length;
  log(`${apis} APIs: cold build (cache cleared)`);
  const cold = turboBuild(root, cacheDir, { clearCache: true });
  log(`${apis} APIs: cold build ${cold.seconds.toFixed(1)} s (${cold.missed.length} tasks ran); no-op build`);
  const noop = turboBuild(root, cacheDir);
  log(`${apis} APIs: startMock() of every API (3 runs)`);
  const mocks = medianOf(3, () => probeMocks(root), (run) => run.untilAllAnswerMs);
  const mock = { ...mocks.median, spreadMs: mocks.all };
  log(`${apis} APIs: one-spec edit (${editApi}) and rebuild`);
  const restore = editSpecDescription(root, editApi);
  try {
    const edit = turboBuild(root, cacheDir);
    log(`${apis} APIs: spec review of the edit (3 runs)`);
    const reviews = medianOf(3, () => timeSpecReview(root), (run) => run.seconds);
    const review = { ...reviews.median, spreadSeconds: reviews.all };
    return { apis, packages: cold.tasks, cold, noop, edit, mock, review };
  } finally {
    restore();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'carrier-scale-'));
const root = join(dir, 'workspace');
const cacheDir = join(dir, 'turbo-cache');
let failed = false;
try {
  log(`copying ${values.from === 'head' ? 'HEAD' : 'the working tree'} of ${repoRoot} to ${root}`);
  const files = values.from === 'head' ? copyCommit(repoRoot, root) : copyWorkingTree(repoRoot, root);
  const shared = shareToolCaches(repoRoot, root);
  log(`${files} files copied; shared with the repository: ${shared.map((cache) => `${cache.what} (${cache.how})`).join(', ') || 'nothing'}; pnpm install --offline`);
  log(`pnpm install: ${installOffline(root)}`);
  commitAll(root, `${listSpecApis(root).length} APIs`);
  const columns: Column[] = [measure(root, cacheDir, values.edit!)];

  let scaffoldName = '';
  if (target > columns[0]!.apis) {
    const picked = values.scaffold === 'auto' ? pickScaffold(root) : values.scaffold === 'new-api' ? { name: 'pnpm new-api', scaffold: newApiCommand } : { name: "copy of the source API's packages", scaffold: copyPackages };
    scaffoldName = picked.name;
    log(`growing to ${target} APIs, scaffold: ${picked.name}`);
    const scaffold: Scaffold = picked.scaffold;
    const made = growTo(root, target, scaffold);
    log(`${made.length} APIs added (${made[0]} ... ${made.at(-1)}); pnpm install --offline`);
    log(`pnpm install: ${installOffline(root)}`);
    commitAll(root, `${target} APIs`);
    columns.push(measure(root, cacheDir, values.edit!));
  }

  const rows: Row[] = judge(columns);
  console.log(`\n## Scale: ${columns.map((column) => `${column.apis} APIs (${column.packages} build tasks)`).join(' vs ')}, turbo --concurrency=2\n`);
  console.log(formatTable(columns, rows));
  console.log('\nSlowest tasks of each build that ran tasks (seconds):');
  for (const column of columns) {
    for (const [name, build] of [['cold', column.cold], ['one-spec edit', column.edit]] as const) {
      console.log(`- ${column.apis} APIs, ${name}: ${build.slowest.map((task) => `${task.task} ${task.seconds.toFixed(1)}`).join(', ')}`);
    }
    const editMisses = column.edit.missed;
    console.log(`- ${column.apis} APIs, one-spec edit re-ran ${editMisses.length} of ${column.edit.tasks} tasks: ${editMisses.length > 12 ? `${editMisses.slice(0, 12).join(', ')}, ...` : editMisses.join(', ')}`);
    console.log(`- ${column.apis} APIs, mock (median of 3): importing @carrier-api/mock took ${column.mock.importMs.toFixed(0)} ms, startMock() ${column.mock.startMockMs.toFixed(0)} ms; until all answered, each run: ${(column.mock.spreadMs ?? []).map((ms) => `${ms.toFixed(0)} ms`).join(', ')}`);
    console.log(`- ${column.apis} APIs, spec review (median of 3), each run: ${(column.review.spreadSeconds ?? []).map((value) => `${value.toFixed(1)} s`).join(', ')}`);
  }
  if (scaffoldName) console.log(`\nNew APIs scaffolded with: ${scaffoldName}. Turbo cache of the copy: ${(folderBytes(cacheDir) / 1024 / 1024).toFixed(0)} MB in ${cacheDir}.`);
  failed = rows.some((row) => row.pass === false);
} finally {
  try {
    // Whatever turbo left running for this copy (a daemon, if this turbo starts one) ends with it.
    run(root, 'pnpm', ['exec', 'turbo', 'daemon', 'stop'], 60_000);
  } catch {
    // none was running, or the copy never got its node_modules
  }
  if (values.keep) log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
process.exit(values.check && failed ? 1 : 0);
