// The pieces of `pnpm bench:scale` that can go wrong without a benchmark noticing: the cloned specs
// and scaffolded packages, the reading of turbo's summary (the copy of the workspace is
// tools/temp-workspace's, tested there). The bench itself (minutes of CPU) never runs in a test.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bundleApi, lintSpecs, repoRoot } from '@carrier-api/spec-kit';
import { cloneSpec, copyName, copyPackages, growTo, listSpecApis, newApiCommand, pickScaffold, renameApi, retitle, type Scaffold } from '../src/scale/grow.ts';
import { childCpuSeconds, editSpecDescription, medianOf, readSummary } from '../src/scale/measure.ts';
import { judge, type Column } from '../src/scale/table.ts';

const temporary: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temporary.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A folder holding this repository's committed specs/ (and packages/, when asked). */
function committed(...paths: string[]): string {
  const dir = tempDir('bench-scale-');
  const archive = execFileSync('git', ['archive', '--format=tar', 'HEAD', ...paths], { cwd: repoRoot, maxBuffer: 256 * 1024 * 1024 });
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
  return dir;
}

describe('cloneSpec', () => {
  it('makes a spec that bundles and lints like its source, under its own name and title', async () => {
    const root = committed('specs');
    cloneSpec(root, 'centili-payments', 'centili-payments-s07');
    const [source, clone] = [await bundleApi('centili-payments', join(root, 'specs')), await bundleApi('centili-payments-s07', join(root, 'specs'))];
    expect(clone.info.title).toBe(`${source.info.title} (copy centili-payments-s07)`);
    expect(Object.keys(clone.paths)).toEqual(Object.keys(source.paths));
    const problems = await lintSpecs([join(root, 'specs', 'centili-payments-s07', 'openapi.yaml')]);
    expect(problems.filter((problem) => problem.severity === 'error')).toEqual([]);
  });

  it('refuses to overwrite an API or to copy one that does not exist', () => {
    const root = committed('specs');
    expect(() => cloneSpec(root, 'centili-payments', 'centili-packages')).toThrow(/already exists/);
    expect(() => cloneSpec(root, 'no-such-api', 'x-s01')).toThrow(/does not exist/);
  });
});

describe('retitle', () => {
  it('appends to a plain or quoted info.title and leaves every other byte', () => {
    expect(retitle('openapi: 3.0.3\ninfo:\n  title: Pay API\n  version: 1.0.0\n', '(copy a)')).toBe('openapi: 3.0.3\ninfo:\n  title: Pay API (copy a)\n  version: 1.0.0\n');
    expect(retitle("info:\n  version: 1.0.0\n  title: 'Pay: API'\npaths: {}\n", '(copy a)')).toBe("info:\n  version: 1.0.0\n  title: 'Pay: API (copy a)'\npaths: {}\n");
  });

  it('does not take a title outside info', () => {
    expect(() => retitle('info:\n  version: 1.0.0\ntags:\n  - title: x\n', '(copy a)')).toThrow(/no info.title/);
    expect(retitle('info:\n  version: 1.0.0\n  title: A\ncomponents:\n  schemas:\n    X:\n      title: B\n', 's')).toContain('title: A s\n');
  });
});

describe('renameApi', () => {
  it('renames the API and its -sdk package, not a longer name that starts the same', () => {
    const text = '"@carrier-api/centili-payments", "@carrier-api/centili-payments-sdk", specs/centili-payments/**, centili-payments-extra, xcentili-payments';
    expect(renameApi(text, 'centili-payments', 'centili-payments-s02')).toBe(
      '"@carrier-api/centili-payments-s02", "@carrier-api/centili-payments-s02-sdk", specs/centili-payments-s02/**, centili-payments-extra, xcentili-payments',
    );
  });
});

describe('copyPackages', () => {
  it('scaffolds both packages with the new name in package.json and turbo.json, without tests or changelog', () => {
    const root = committed('packages/centili-packages', 'packages/centili-packages-sdk');
    copyPackages(root, 'centili-packages-s03', 'centili-packages');
    for (const suffix of ['', '-sdk']) {
      const dir = join(root, 'packages', `centili-packages-s03${suffix}`);
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; scripts: { build: string } };
      expect(pkg.name).toBe(`@carrier-api/centili-packages-s03${suffix}`);
      expect(pkg.scripts.build).toMatch(/^carrier-[a-z-]+ centili-packages-s03 && tsdown$/);
      expect(readFileSync(join(dir, 'turbo.json'), 'utf8')).not.toMatch(/specs\/centili-packages\//);
      expect(existsSync(join(dir, 'test'))).toBe(false);
      expect(existsSync(join(dir, 'CHANGELOG.md'))).toBe(false);
      expect(existsSync(join(dir, 'src', 'index.ts'))).toBe(true);
    }
    expect(() => copyPackages(root, 'centili-packages-s03', 'centili-packages')).toThrow(/already exists/);
  });
});

describe('pickScaffold', () => {
  it("takes the workspace's pnpm new-api when its package.json has the script, else the copy", () => {
    const root = tempDir('bench-pick-');
    writeFileSync(join(root, 'package.json'), JSON.stringify({ scripts: { build: 'turbo run build' } }));
    expect(pickScaffold(root).scaffold).toBe(copyPackages);
    writeFileSync(join(root, 'package.json'), JSON.stringify({ scripts: { 'new-api': 'node tools/new-api/bin/carrier-new-api.mjs' } }));
    expect(pickScaffold(root)).toEqual({ name: 'pnpm new-api', scaffold: newApiCommand });
  });
});

describe('growTo', () => {
  it('adds round-robin copies up to the count, scaffolding each once', () => {
    const root = committed('specs');
    const calls: string[] = [];
    const scaffold: Scaffold = (_, api, source) => calls.push(`${source}->${api}`);
    // Round-robin over the APIs of specs/, whatever their number.
    const sources = listSpecApis(root);
    const count = 2 * sources.length + 2;
    const made = growTo(root, count, scaffold);
    expect(made).toEqual([...sources.map((api) => copyName(api, 1)), copyName(sources[0]!, 2), copyName(sources[1]!, 2)]);
    expect(calls).toHaveLength(sources.length + 2);
    expect(calls.at(-1)).toBe(`${sources[1]}->${copyName(sources[1]!, 2)}`);
    expect(listSpecApis(root)).toHaveLength(count);
    expect(() => growTo(root, 3, scaffold)).toThrow(/already has 12 APIs/);
  });
});

describe('editSpecDescription', () => {
  it('edits info.description only, and puts the spec back byte for byte', () => {
    const root = committed('specs');
    const file = join(root, 'specs', 'centili-payments', 'openapi.yaml');
    const before = readFileSync(file, 'utf8');
    const restore = editSpecDescription(root, 'centili-payments');
    const edited = readFileSync(file, 'utf8');
    expect(edited).toContain('  description: >-\n    Edited by bench:scale.\n    Start a carrier-billing');
    expect(edited.length - before.length).toBe('    Edited by bench:scale.\n'.length);
    restore();
    expect(readFileSync(file, 'utf8')).toBe(before);
  });
});

describe('childCpuSeconds', () => {
  it("adds the children's user and system time of bash's times output", () => {
    expect(childCpuSeconds('0m0.010s 0m0.002s\n1m2.500s 0m0.250s\n')).toBeCloseTo(62.75, 5);
    expect(() => childCpuSeconds('')).toThrow(/cannot read/);
  });
});

describe('medianOf', () => {
  it('returns the middle run by its measure and every measure in the order taken', () => {
    const values = [5, 1, 9];
    let index = 0;
    expect(medianOf(3, () => ({ run: index, value: values[index++]! }), (run) => run.value)).toEqual({ median: { run: 0, value: 5 }, all: [5, 1, 9] });
    index = 0;
    expect(medianOf(2, () => values[index++]!, (value) => value).median).toBe(1);
    expect(() => medianOf(0, () => 1, (value) => value)).toThrow(/positive integer/);
  });
});

describe('readSummary and judge', () => {
  const summary = {
    tasks: [
      { taskId: 'a#build', cache: { status: 'HIT' }, execution: { startTime: 0, endTime: 100 } },
      { taskId: 'b#build', cache: { status: 'MISS' }, execution: { startTime: 0, endTime: 4000 } },
      { taskId: 'c#build', cache: { status: 'MISS' }, execution: { startTime: 1000, endTime: 2000 } },
    ],
  };

  it('counts the tasks that missed the cache, slowest first', () => {
    expect(readSummary(summary)).toEqual({ tasks: 3, missed: ['b#build', 'c#build'], slowest: [{ task: 'b#build', seconds: 4 }, { task: 'c#build', seconds: 1 }] });
    expect(() => readSummary({} as never)).toThrow(/tasks array/);
  });

  it('judges the last column against the goals', () => {
    const build = (seconds: number, missed: string[] = []) => ({ seconds, tasks: 3, missed, slowest: [], load: 1 });
    const column = (apis: number, review: number, cold: number): Column => ({
      apis,
      packages: 3,
      cold: build(cold, ['a']),
      noop: build(1),
      edit: build(10, ['a']),
      mock: { apis, importMs: 1, startMockMs: 1, untilAllAnswerMs: 2000, load: 1 },
      review: { seconds: review, cpuSeconds: review, changed: ['x'], apis, load: 1 },
    });
    const rows = judge([column(5, 6, 100), column(50, 7, 301)]);
    expect(rows.map((row) => [row.measure, row.pass])).toEqual([
      ['cold build', false],
      ['no-op build', true],
      ['one-spec edit rebuild', true],
      ['startMock() until all answer (median of 3)', true],
      ['spec review, one spec changed (median of 3)', true],
    ]);
    expect(judge([column(5, 6, 100), column(50, 10, 100)])[4]!.pass).toBe(false);
  });
});
