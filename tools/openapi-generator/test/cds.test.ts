import { existsSync, linkSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readGeneratorConfig, runGeneratorJar } from '../src/index.ts';

// The class-data-sharing archive of runGeneratorJar, in a folder of each test's own (never the real
// one beside the jar). "Used" is proved by the JVM's class+load log (classes of the generator come
// from the "shared objects file (top)", i.e. the dynamic archive), never by timing.
const spec = `openapi: 3.0.3
info: { title: Tiny, version: 1.0.0 }
paths:
  /ping:
    get:
      operationId: ping
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Pong' }
components:
  schemas:
    Pong:
      type: object
      properties: { ok: { type: boolean } }
`;
const fromArchive = /org\.openapitools\.codegen\.OpenAPIGenerator source: shared objects file \(top\)/;

let work: string;
let input: string;
const savedEnv = { JAVA_OPTS: process.env.JAVA_OPTS, CARRIER_JAVA_CDS: process.env.CARRIER_JAVA_CDS };

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'openapi-generator-cds-'));
  input = join(work, 'tiny.yaml');
  writeFileSync(input, spec);
  delete process.env.JAVA_OPTS;
  delete process.env.CARRIER_JAVA_CDS;
});
afterEach(() => {
  delete process.env.JAVA_OPTS;
  delete process.env.CARRIER_JAVA_CDS;
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  for (const [name, value] of Object.entries(savedEnv)) if (value !== undefined) process.env[name] = value;
});

let folders = 0;
function folder(name: string): string {
  const dir = join(work, `${name}-${folders++}`);
  return dir;
}

function archiveDir(): string {
  return mkdtempSync(join(work, 'archive-'));
}

/**
 * `generate` of the tiny spec into a folder of its own, as the SDK build runs it (it may write the
 * archive, unless `writeArchive: false`); returns the run and that folder.
 */
async function generate(cdsArchiveDir: string, options: { writeArchive?: boolean; jarPath?: string } = {}) {
  const out = folder('out');
  const run = await runGeneratorJar(['generate', '-g', 'typescript-fetch', '-i', input, '-o', out], { cdsArchiveDir, writeArchive: true, ...options });
  return { ...run, out };
}

/** `validate` of the tiny spec, as lint:specs runs it (no writeArchive). */
async function validate(cdsArchiveDir: string) {
  const run = await runGeneratorJar(['validate', '--input-spec', input], { cdsArchiveDir });
  expect(run.code, run.output.slice(-3000)).toBe(0);
  expect(run.output).toMatch(/No validation issues detected/);
  return run;
}

function expectGenerated(run: { code: number; output: string; out: string }): void {
  expect(run.code, run.output.slice(-3000)).toBe(0);
  expect(existsSync(join(run.out, 'runtime.ts'))).toBe(true);
  expect(existsSync(join(run.out, 'models', 'Pong.ts'))).toBe(true);
  expect(run.output).not.toMatch(/fatal error|Error occurred during initialization of VM|shared archive/i);
}

/** The files of an archive folder: the archives, and any temporary left behind. */
function contents(dir: string) {
  const names = readdirSync(dir);
  return { archives: names.filter((name) => name.endsWith('.jsa')), temporaries: names.filter((name) => name.endsWith('.tmp')) };
}

/** A run of `version` that must map the archive (-Xshare:on fails otherwise) and logs where each class came from. */
async function loadsFromArchive(cdsArchiveDir: string, jarPath?: string): Promise<boolean> {
  process.env.JAVA_OPTS = '-Xshare:on -Xlog:class+load';
  try {
    const run = await runGeneratorJar(['version'], { cdsArchiveDir, jarPath });
    expect(run.code, run.output.slice(-3000)).toBe(0);
    return fromArchive.test(run.output);
  } finally {
    delete process.env.JAVA_OPTS;
  }
}

describe('runGeneratorJar with a class-data-sharing archive', () => {
  it('writes the archive on the first run, named after the jar and the JVM, and maps it on the next', async () => {
    const dir = archiveDir();
    expectGenerated(await generate(dir));
    const { archives, temporaries } = contents(dir);
    const jarName = readGeneratorConfig().jarPath.split(/[\\/]/).pop()!;
    expect(archives).toHaveLength(1);
    expect(archives[0]).toMatch(new RegExp(`^${jarName.replace(/\./g, '\\.')}\\.jdk-\\d[^/]*\\.[0-9a-f]{8}\\.jsa$`));
    expect(temporaries).toEqual([]);

    process.env.JAVA_OPTS = '-Xshare:on -Xlog:class+load';
    const second = await generate(dir);
    delete process.env.JAVA_OPTS;
    expect(second.code).toBe(0);
    expect(existsSync(join(second.out, 'runtime.ts'))).toBe(true);
    expect(second.output).toMatch(fromArchive);
    expect(contents(dir).archives).toEqual(archives);
  });

  it('still generates with a truncated archive, and replaces it', async () => {
    const dir = archiveDir();
    expectGenerated(await generate(dir));
    const [name] = contents(dir).archives;
    const archive = join(dir, name!);
    const whole = readFileSync(archive);
    rmSync(archive);
    // Truncated past its header: the JVM's checks pass and mapping it crashes the JVM (SIGBUS).
    writeFileSync(archive, whole.subarray(0, whole.length >> 1));
    const rootBefore = readdirSync(readGeneratorConfig().repoRoot).filter((file) => file.startsWith('hs_err'));

    expectGenerated(await generate(dir));
    // The plain run succeeded, so the archive was to blame: deleted, written again by the next run.
    expect(existsSync(archive)).toBe(false);
    expect(readdirSync(readGeneratorConfig().repoRoot).filter((file) => file.startsWith('hs_err'))).toEqual(rootBefore);
    expectGenerated(await generate(dir));
    expect(contents(dir).archives).toEqual([name]);
    expect(await loadsFromArchive(dir)).toBe(true);
  });

  it('still generates with an archive of garbage', async () => {
    const dir = archiveDir();
    expectGenerated(await generate(dir));
    const [name] = contents(dir).archives;
    rmSync(join(dir, name!));
    writeFileSync(join(dir, name!), Buffer.alloc(4096, 0x5a));
    expectGenerated(await generate(dir));
  });

  it('two first runs at once both generate and leave one whole archive', async () => {
    const dir = archiveDir();
    const runs = await Promise.all([generate(dir), generate(dir)]);
    for (const run of runs) expectGenerated(run);
    expect(contents(dir).archives).toHaveLength(1);
    expect(contents(dir).temporaries).toEqual([]);
    expect(await loadsFromArchive(dir)).toBe(true);
  });

  it('CARRIER_JAVA_CDS=0 neither writes nor maps an archive', async () => {
    const dir = archiveDir();
    process.env.CARRIER_JAVA_CDS = '0';
    expectGenerated(await generate(dir));
    expect(readdirSync(dir)).toEqual([]);
    delete process.env.CARRIER_JAVA_CDS;

    expectGenerated(await generate(dir));
    expect(contents(dir).archives).toHaveLength(1);
    process.env.CARRIER_JAVA_CDS = '0';
    process.env.JAVA_OPTS = '-Xlog:class+load';
    const run = await generate(dir);
    expect(run.code).toBe(0);
    expect(run.output).not.toMatch(fromArchive);
  });

  it('only a run with writeArchive writes the archive; validate and version map the one generate wrote', async () => {
    const dir = archiveDir();
    await validate(dir);
    expect(await runGeneratorJar(['version'], { cdsArchiveDir: dir })).toMatchObject({ code: 0 });
    expectGenerated(await generate(dir, { writeArchive: false }));
    expect(readdirSync(dir)).toEqual([]);

    expectGenerated(await generate(dir));
    const { archives } = contents(dir);
    expect(archives).toHaveLength(1);
    // The archive holds generate's classes: a later validate maps it (and leaves it as it is).
    process.env.JAVA_OPTS = '-Xshare:on -Xlog:class+load';
    const mapped = await validate(dir);
    delete process.env.JAVA_OPTS;
    expect(mapped.output).toMatch(fromArchive);
    expect(contents(dir).archives).toEqual(archives);
  });

  it('a jar at another path (a hard link: same size and mtime) gets an archive of its own, which it maps', async () => {
    const { jarPath } = readGeneratorConfig();
    // A hard link in a folder of the test's own; beside the jars folder when /tmp is another file system.
    let linkDir = mkdtempSync(join(work, 'jar-'));
    let cleanup = () => {};
    try {
      linkSync(jarPath, join(linkDir, basename(jarPath)));
    } catch {
      linkDir = mkdtempSync(join(dirname(dirname(jarPath)), 'cds-test-jar-'));
      const made = linkDir;
      cleanup = () => rmSync(made, { recursive: true, force: true });
      linkSync(jarPath, join(linkDir, basename(jarPath)));
    }
    try {
      const linked = join(linkDir, basename(jarPath));
      expect(statSync(linked).ino).toBe(statSync(jarPath).ino);
      const dir = archiveDir();
      expectGenerated(await generate(dir));
      const [original] = contents(dir).archives;

      expectGenerated(await generate(dir, { jarPath: linked }));
      const archives = contents(dir).archives;
      expect(archives).toHaveLength(2);
      // Same jar name and JDK, another stamp.
      const withoutStamp = (name: string) => name.replace(/\.[0-9a-f]{8}\.jsa$/, '');
      expect(archives.map(withoutStamp)).toEqual([withoutStamp(original!), withoutStamp(original!)]);
      // -Xshare:on: the JVM refuses to start if it cannot map the archive ("shared class paths mismatch").
      expect(await loadsFromArchive(dir, linked)).toBe(true);
      expect(await loadsFromArchive(dir)).toBe(true);
    } finally {
      cleanup();
    }
  });

  it('a folder where the archive cannot be written only costs the speed-up', async () => {
    const dir = join(archiveDir(), 'missing');
    expectGenerated(await generate(dir));
    expect(existsSync(dir)).toBe(false);
  });
});
