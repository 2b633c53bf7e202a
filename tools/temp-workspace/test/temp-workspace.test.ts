// What a user of a temp copy notices: which files are in it, which downloads it shares, how a
// failed command reads. Every source here is a small git repository in a temp folder, never this
// repository or its caches.
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { commitAll, copyCommit, copyEnv, copyToTemp, copyWorkingTree, run, shareToolCaches, toolCaches } from '../src/index.ts';

/** `dir`, removed when the test ends. */
const removedAfterTest = (dir: string) => {
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};
const tempDir = (prefix: string) => removedAfterTest(mkdtempSync(join(tmpdir(), prefix)));

const write = (root: string, file: string, text: string) => {
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), text);
};
const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.invalid', '-c', 'user.name=t', ...args], { cwd, encoding: 'utf8' });

/**
 * A workspace with one commit, then edits not committed: src/edited.ts changed, src/new.ts added,
 * src/deleted.ts removed, and ignored node_modules/ and dist/ full of files.
 */
function workspaceWithEdits(): string {
  const root = tempDir('temp-ws-source-');
  git(root, 'init', '--quiet');
  write(root, '.gitignore', 'node_modules/\ndist/\n');
  write(root, 'package.json', '{"name":"w"}\n');
  write(root, 'src/edited.ts', 'export const a = 1;\n');
  write(root, 'src/deleted.ts', 'export const d = 1;\n');
  write(root, 'packages/p/src/index.ts', 'export {};\n');
  git(root, 'add', '-A');
  git(root, 'commit', '--quiet', '-m', 'first');
  write(root, 'src/edited.ts', 'export const a = 2;\n');
  write(root, 'src/new.ts', 'export const n = 1;\n');
  rmSync(join(root, 'src/deleted.ts'));
  write(root, 'node_modules/dep/index.js', 'ignored');
  write(root, 'packages/p/node_modules/x/index.js', 'ignored');
  write(root, 'packages/p/dist/index.js', 'built');
  return root;
}

describe('copyWorkingTree', () => {
  it('copies the working tree as it is: edits and new files in, deleted, ignored and .git out', () => {
    const source = workspaceWithEdits();
    const dest = join(tempDir('temp-ws-dest-'), 'nested', 'copy');
    expect(copyWorkingTree(source, dest)).toBe(5);
    expect(readFileSync(join(dest, 'src/edited.ts'), 'utf8')).toBe('export const a = 2;\n');
    expect(readFileSync(join(dest, 'src/new.ts'), 'utf8')).toBe('export const n = 1;\n');
    expect(existsSync(join(dest, 'packages/p/src/index.ts'))).toBe(true);
    for (const absent of ['src/deleted.ts', 'node_modules', 'packages/p/node_modules', 'packages/p/dist', '.git']) {
      expect(existsSync(join(dest, absent)), absent).toBe(false);
    }
  });

  it('leaves the source untouched and the copy independent of it', () => {
    const source = workspaceWithEdits();
    const before = git(source, 'status', '--porcelain');
    const dest = tempDir('temp-ws-dest-');
    copyWorkingTree(source, dest);
    writeFileSync(join(dest, 'src/edited.ts'), 'changed in the copy');
    expect(readFileSync(join(source, 'src/edited.ts'), 'utf8')).toBe('export const a = 2;\n');
    expect(git(source, 'status', '--porcelain')).toBe(before);
  });

  it('throws outside a git repository', () => {
    const plain = tempDir('temp-ws-plain-');
    expect(() => copyWorkingTree(plain, tempDir('temp-ws-dest-'))).toThrow();
  });
});

describe('copyToTemp', () => {
  it('makes a new folder in the temp folder, named from the prefix, holding the working tree', () => {
    const source = workspaceWithEdits();
    const dir = removedAfterTest(copyToTemp(source, 'temp-ws-copy-'));
    expect(dirname(dir)).toBe(tmpdir());
    expect(basename(dir)).toMatch(/^temp-ws-copy-/);
    expect(readFileSync(join(dir, 'src/edited.ts'), 'utf8')).toBe('export const a = 2;\n');
    expect(existsSync(join(dir, 'node_modules'))).toBe(false);
    const again = removedAfterTest(copyToTemp(source, 'temp-ws-copy-'));
    expect(again).not.toBe(dir);
  });
});

describe('copyCommit', () => {
  it('copies the commit, not the edits under way', () => {
    const source = workspaceWithEdits();
    const dest = tempDir('temp-ws-head-');
    expect(copyCommit(source, dest)).toBe(5);
    expect(readFileSync(join(dest, 'src/edited.ts'), 'utf8')).toBe('export const a = 1;\n');
    expect(existsSync(join(dest, 'src/deleted.ts'))).toBe(true);
    expect(existsSync(join(dest, 'src/new.ts'))).toBe(false);
    expect(existsSync(join(dest, 'node_modules'))).toBe(false);
  });

  it('throws for a ref that names no commit', () => {
    const source = workspaceWithEdits();
    expect(() => copyCommit(source, tempDir('temp-ws-head-'), 'no-such-ref')).toThrow();
  });
});

describe('shareToolCaches', () => {
  /** A source root with openapitools.json and the downloads asked for. */
  function sourceWith(caches: { jar?: boolean; oasdiff?: boolean; venv?: boolean }): string {
    const root = tempDir('temp-ws-tools-');
    write(root, 'openapitools.json', JSON.stringify({ 'generator-cli': { version: '9.9.9', storageDir: './.openapi-generator/jars' } }));
    if (caches.jar) write(root, '.openapi-generator/jars/9.9.9.jar', 'jar');
    if (caches.oasdiff) {
      write(root, '.tools/bin/oasdiff', 'oasdiff');
      write(root, '.tools/bin/oasdiff.version', '1.0.0');
    }
    if (caches.venv) write(root, '.venv/schemathesis/bin/st', 'st');
    return root;
  }

  it('names the jar from openapitools.json', () => {
    const source = sourceWith({});
    expect(toolCaches(source).map((cache) => cache.path)).toEqual([join('.openapi-generator/jars', '9.9.9.jar'), '.tools/bin/oasdiff', '.tools/bin/oasdiff.version', '.venv/schemathesis']);
  });

  it('hard-links the jar and oasdiff and symlinks the venv when all are present', () => {
    const source = sourceWith({ jar: true, oasdiff: true, venv: true });
    const dest = tempDir('temp-ws-tools-dest-');
    expect(shareToolCaches(source, dest).map((cache) => cache.what)).toEqual(['openapi-generator jar', 'oasdiff', 'oasdiff version marker', 'schemathesis venv']);
    for (const file of ['.openapi-generator/jars/9.9.9.jar', '.tools/bin/oasdiff', '.tools/bin/oasdiff.version']) {
      expect(statSync(join(dest, file)).ino, file).toBe(statSync(join(source, file)).ino);
    }
    expect(lstatSync(join(dest, '.venv/schemathesis')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dest, '.venv/schemathesis'))).toBe(join(source, '.venv/schemathesis'));
    expect(readFileSync(join(dest, '.venv/schemathesis/bin/st'), 'utf8')).toBe('st');
  });

  it('skips what the source does not have, and what the copy has already', () => {
    const source = sourceWith({ jar: true, venv: true });
    const dest = tempDir('temp-ws-tools-dest-');
    write(dest, '.venv/schemathesis/own', 'own');
    expect(shareToolCaches(source, dest).map((cache) => cache.what)).toEqual(['openapi-generator jar']);
    expect(existsSync(join(dest, '.tools'))).toBe(false);
    expect(lstatSync(join(dest, '.venv/schemathesis')).isSymbolicLink()).toBe(false);
    expect(shareToolCaches(source, dest)).toEqual([]);
  });

  it('shares nothing from a source without downloads, and throws without openapitools.json', () => {
    const dest = tempDir('temp-ws-tools-dest-');
    expect(shareToolCaches(sourceWith({}), dest)).toEqual([]);
    expect(() => shareToolCaches(tempDir('temp-ws-empty-'), dest)).toThrow(/openapitools\.json/);
  });
});

describe('run and copyEnv', () => {
  it('returns the output, and throws with the exit status and the last lines when a command fails', () => {
    const dir = tempDir('temp-ws-run-');
    expect(run(dir, 'node', ['-e', 'console.log("out"); console.error("err")'], 30_000)).toBe('out\nerr\n');
    const failing = () => run(dir, 'node', ['-e', 'for (let i = 0; i < 100; i++) console.log("line " + i); process.exit(3)'], 30_000);
    expect(failing).toThrow(/failed \(exit 3\)/);
    expect(failing).toThrow(/line 99/);
    expect(failing).not.toThrow(/line 10\n/);
  });

  it('kills a command that outlives its timeout', () => {
    expect(() => run(tempDir('temp-ws-run-'), 'node', ['-e', 'setTimeout(() => {}, 60_000)'], 500)).toThrow(/failed/);
  });

  it('runs without CI and without telemetry', () => {
    const previous = process.env.CI;
    process.env.CI = 'true';
    try {
      const env = copyEnv({ EXTRA: 'x' });
      expect(env.CI).toBeUndefined();
      expect(env).toMatchObject({ TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', EXTRA: 'x' });
      expect(run(tempDir('temp-ws-run-'), 'node', ['-e', 'console.log(process.env.CI ?? "unset")'], 30_000)).toBe('unset\n');
    } finally {
      if (previous === undefined) delete process.env.CI;
      else process.env.CI = previous;
    }
  });
});

describe('commitAll', () => {
  it("gives the copy a repository of its own and commits all of it, again on each call", () => {
    const copy = tempDir('temp-ws-commit-');
    write(copy, 'a.txt', 'a');
    commitAll(copy, 'first');
    write(copy, 'b.txt', 'b');
    commitAll(copy, 'second');
    commitAll(copy, 'nothing changed');
    expect(git(copy, 'log', '--format=%s').trim().split('\n')).toEqual(['nothing changed', 'second', 'first']);
    expect(git(copy, 'status', '--porcelain')).toBe('');
    expect(git(copy, 'rev-parse', '--show-toplevel').trim()).toBe(copy);
  });
});
