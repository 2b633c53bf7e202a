import { execFileSync } from 'node:child_process';
import { appendFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listApis, repoRoot } from '@carrier-api/spec-kit/apis';
import { copyToTemp } from '@carrier-api/temp-workspace';
import { packageOf } from '../src/templates.ts';

/**
 * The build graph, from turbo itself: `turbo run build --dry=json` in a temp copy of the workspace
 * (no install needed, nothing runs), before and after an edit of one API's spec. A task's hash
 * changes exactly when turbo would miss its cache: the edited API's client and SDK must miss, every
 * other API's must hit, and what reads every spec (the bundles, the mock, the contract cases,
 * the reference) must miss. The packages are named from specs/ (the registry), not listed here.
 */
let copy: string;
/** The workspace's turbo: the copy has no node_modules (it is never installed). */
const turboBin = join(repoRoot, 'node_modules/.bin/turbo');
const hashes = (): Map<string, string> => {
  const dry = JSON.parse(execFileSync(turboBin, ['run', 'build', '--dry=json'], { cwd: copy, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] })) as { tasks: { taskId: string; hash: string }[] };
  return new Map(dry.tasks.map((task) => [task.taskId, task.hash]));
};
const changed = (before: Map<string, string>, after: Map<string, string>) => [...after].filter(([task, hash]) => before.get(task) !== hash).map(([task]) => task);
const builds = (apis: string[]) => apis.flatMap((api) => [`${packageOf(api, 'client').name}#build`, `${packageOf(api, 'sdk').name}#build`]);
const allSpecs = ['@carrier-api/specs#build', '@carrier-api/mock#build', '@carrier-api/contract-tests#build', '@carrier-api/reference#build'];

beforeAll(() => {
  copy = copyToTemp(repoRoot, 'build-graph-');
});
afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe('per-API build inputs', () => {
  const apis = listApis();

  it('every API has its two packages in the graph', () => {
    const tasks = [...hashes().keys()];
    expect(apis.length).toBeGreaterThan(1);
    expect(tasks).toEqual(expect.arrayContaining(builds(apis)));
  });

  it.each(apis)('an edit of specs/%s rebuilds its client and SDK and what reads every spec, and no other client or SDK', (api) => {
    const before = hashes();
    appendFileSync(join(copy, 'specs', api, 'openapi.yaml'), `\n# an edit of ${api}\n`);
    const misses = changed(before, hashes());
    expect(misses).toEqual(expect.arrayContaining([...builds([api]), ...allSpecs]));
    expect(misses.filter((task) => builds(apis.filter((other) => other !== api)).includes(task))).toEqual([]);
  });

  // Files no client or SDK reads: a workspace package listed in the root package.json made every
  // one of them an input of every task (an edit of a README rebuilt all 100 packages at 50 APIs).
  it.each(['tools/spec-review/README.md', 'tools/bench/src/run.ts', 'packages/mock/README.md', 'tools/contract-gen/src/index.ts'])(
    'an edit of %s leaves every client and SDK build cached',
    (file) => {
      const before = hashes();
      appendFileSync(join(copy, file), '\n// an edit\n');
      expect(changed(before, hashes()).filter((task) => builds(apis).includes(task))).toEqual([]);
    },
  );

  it('an edit of specs/shared rebuilds every client and SDK', () => {
    const before = hashes();
    const shared = readdirSync(join(copy, 'specs/shared'), { recursive: true, encoding: 'utf8' }).find((file) => file.endsWith('.yaml'));
    expect(shared).toBeDefined();
    appendFileSync(join(copy, 'specs/shared', shared!), '\n# an edit of shared\n');
    expect(changed(before, hashes())).toEqual(expect.arrayContaining([...builds(apis), ...allSpecs]));
  });
});
