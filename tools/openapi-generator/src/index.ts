import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join } from 'node:path';
import { readGeneratorConfig } from './config.mjs';

export { readGeneratorConfig };

export interface GeneratorRun {
  code: number;
  output: string;
}

export interface RunGeneratorOptions {
  /**
   * The folder of the class-data-sharing archive (default: the jar's folder, `.openapi-generator/jars`).
   * For tests, so that they neither read nor replace the real archive.
   */
  cdsArchiveDir?: string;
  /**
   * This run may write the class-data-sharing archive when it is missing (default: false, the run
   * only maps an archive that is there). The archive holds the classes of the run that wrote it, so
   * only the SDK build's typescript-fetch `generate` passes this: an archive written by `validate`
   * or `version` holds the parser's classes but not the generator's, and would never be replaced.
   */
  writeArchive?: boolean;
  /** The jar to run (default: the pinned one, `readGeneratorConfig().jarPath`). For tests. */
  jarPath?: string;
}

/** openapi-generator cannot run: the pinned jar is not installed, or java does not start. */
export class GeneratorUnavailableError extends Error {
  override name = 'GeneratorUnavailableError';
}

/**
 * Runs the pinned openapi-generator jar in ONE JVM, started directly with `java -jar`: the
 * openapi-generator-cli wrapper starts two more JVMs (to list the jar's commands and read its
 * version) before the one that works, which cost more than the generation of a small spec.
 * The JVM only lives for seconds: C1 compilation only (`-XX:TieredStopAtLevel=1`) and the serial
 * collector make it start generating sooner (about 1.9 s instead of 3 s for one spec on two busy
 * cores). `JAVA_OPTS` is added before those two, as the wrapper does (after the archive's options below).
 *
 * Most of what is left is loading and verifying the jar's classes, the same ones every run, so the
 * JVM maps them from an AppCDS (dynamic class-data-sharing) archive beside the jar:
 * `<jar>.jdk-<java runtime version>.<stamp>.jsa`, where the stamp covers the java installation and
 * the jar's real path, size and mtime, all of which the JVM checks before it maps an archive (a new
 * JDK, a reinstalled jar or a checkout at another path, e.g. the temporary copy of `pnpm bench:scale`,
 * gets an archive of its own instead of one the JVM refuses forever); about 33 MB. Measured on 2
 * shared cores with Java 17: the JVM's typescript-fetch `generate` of the centili-payments bundle
 * takes 1.1-1.5 s without the archive and 0.7-0.9 s with it, `carrier-generate-sdk centili-payments`
 * 2.6-3.1 s → 2.0-2.2 s wall.
 * - Only a run with `writeArchive` (the SDK build's `generate`) writes the archive: the JVM archives
 *   the classes that run loaded, and a `generate` loads about 1,000 classes that `validate` or
 *   `version` never touch. Every other run maps the archive when it is there, and otherwise runs
 *   without one.
 * - Archive missing and `writeArchive`: this run writes it (`-XX:ArchiveClassesAtExit` to a unique
 *   temporary name in the same folder, about 1.5 s more, once), then renames it into place, so
 *   builds running at once never map a half-written archive (each writes its own; the last rename
 *   wins, both are whole).
 * - Archive present: `-XX:SharedArchiveFile` with the default `-Xshare:auto`: an archive the JVM
 *   refuses (other JDK, other jar) only costs the speed-up; the JVM's cds log lines are turned off
 *   (`-Xlog:cds*=off`, before `JAVA_OPTS`, which can turn them on again) so nothing about the
 *   archive lands in the output callers read.
 * - The archive is only a speed-up, never a cause of failure: a truncated archive passes the JVM's
 *   checks and crashes it (SIGBUS) before the generator starts, and a failed write of the archive
 *   makes the JVM exit with 1 after generating. So when a run with the archive ends in a JVM crash
 *   or an initialisation error, or the run writing it fails, the generator runs once more without
 *   CDS and that result is returned; an archive that a plain run proved guilty is deleted (the next
 *   run with `writeArchive` writes a new one). The JVM's crash report goes to the temp folder, not the repo root.
 * - `CARRIER_JAVA_CDS=0` turns all this off; so does a `JAVA_OPTS` that sets `-Xshare:off` or an
 *   archive of its own. An unwritable jar folder, or a `java` whose version cannot be read, means
 *   runs without an archive.
 *
 * @param args - the generator's own arguments, e.g. `['generate', '-c', 'config.json']`.
 * @param options - whether this run may write the class-data-sharing archive (`writeArchive`), and
 *   where it lives and which jar runs (tests).
 * @returns the exit code and stdout + stderr of the (last) generator run.
 * @throws {GeneratorUnavailableError} the jar is missing (run `pnpm install`) or java cannot be started.
 */
export async function runGeneratorJar(args: string[], options: RunGeneratorOptions = {}): Promise<GeneratorRun> {
  const config = readGeneratorConfig();
  const { repoRoot } = config;
  const jarPath = options.jarPath ?? config.jarPath;
  if (!existsSync(jarPath)) throw new GeneratorUnavailableError(`openapi-generator is not installed at ${jarPath}: run pnpm install`);
  const javaOpts = process.env.JAVA_OPTS?.split(/\s+/).filter(Boolean) ?? [];
  const run = (cds: string[]) => runJava([...cds, ...javaOpts, '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-jar', jarPath, ...args], repoRoot);
  const archive = cdsEnabled(javaOpts) ? cdsArchivePath(jarPath, options.cdsArchiveDir ?? dirname(jarPath)) : undefined;
  if (!archive) return run([]);
  // Crash reports of a JVM that mapped an archive go to the temp folder, not the repo root (cwd).
  const quiet = ['-Xlog:cds*=off', `-XX:ErrorFile=${join(tmpdir(), 'openapi-generator-hs_err_pid%p.log')}`];

  const used = statOrUndefined(archive);
  if (used) {
    const withArchive = await run([...quiet, `-XX:SharedArchiveFile=${archive}`]);
    if (withArchive.code === 0 || !jvmDidNotRun(withArchive.output)) return withArchive;
    const plain = await run([]);
    if (plain.code === 0) {
      // The archive is to blame: delete it unless another build has replaced it meanwhile.
      const now = statOrUndefined(archive);
      if (now && now.ino === used.ino && now.mtimeMs === used.mtimeMs) rmSync(archive, { force: true });
    }
    return plain;
  }

  if (!options.writeArchive || !writable(dirname(archive))) return run([]);
  removeAbandonedTemporaries(archive);
  const temporary = `${archive}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    const writing = await run([...quiet, `-XX:ArchiveClassesAtExit=${temporary}`]);
    // A failed write of the archive makes the JVM exit with 1 after a good generation, and a JVM
    // that cannot write archives at all (no base CDS archive) does not start: run without CDS then.
    if (writing.code !== 0) return await run([]);
    try {
      if ((statOrUndefined(temporary)?.size ?? 0) > 0) renameSync(temporary, archive);
    } catch {
      // Another build's archive is in place (or the rename is refused): this one is not needed.
    }
    return writing;
  } finally {
    rmSync(temporary, { force: true });
  }
}

/** Starts java once; resolves with its exit code and stdout + stderr together. */
function runJava(javaArgs: string[], cwd: string): Promise<GeneratorRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('java', javaArgs, { cwd });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => reject(new GeneratorUnavailableError(`cannot start java for openapi-generator: ${error.message}`)));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** The JVM crashed (hs_err) or refused to start: not something the generator said. */
function jvmDidNotRun(output: string): boolean {
  return /A fatal error has been detected by the Java Runtime Environment|Error occurred during initialization of VM/.test(output);
}

/** `CARRIER_JAVA_CDS=0` (or false/off), or JAVA_OPTS that choose their own sharing, turn the archive off. */
function cdsEnabled(javaOpts: string[]): boolean {
  if (/^(0|false|off|no)$/i.test(process.env.CARRIER_JAVA_CDS ?? '')) return false;
  return !javaOpts.some((option) => /^-Xshare:(off|dump)$|SharedArchiveFile|ArchiveClassesAtExit|DumpLoadedClassList/.test(option));
}

/**
 * `<dir>/<jar name>.jdk-<runtime version>.<stamp>.jsa`; undefined when the java on PATH cannot be
 * identified. The stamp hashes the java installation and the jar's real path, size and mtime, which
 * the JVM checks before it maps an archive (JDK 17 records the jar's path: a jar at another path,
 * even a hard link to the same file, makes the JVM refuse the archive with "shared class paths
 * mismatch", silently).
 */
function cdsArchivePath(jarPath: string, dir: string): string | undefined {
  const java = identifyJava();
  if (!java) return undefined;
  const jar = statSync(jarPath);
  const stamp = createHash('sha256').update(`${java.home}\n${java.version}\n${realpathSync(jarPath)}\n${jar.size}\n${jar.mtimeMs}`).digest('hex').slice(0, 8);
  return join(dir, `${basename(jarPath)}.jdk-${java.version.replace(/[^\w.+-]/g, '_')}.${stamp}.jsa`);
}

let javaIdentity: { path: string; home: string; version: string } | undefined;

/**
 * The `java` that spawn starts (first on PATH), its home and exact runtime version, read from
 * `<home>/release` (no JVM started); `java -version` only when that file is missing.
 */
function identifyJava(): { home: string; version: string } | undefined {
  const path = process.env.PATH ?? '';
  if (javaIdentity?.path === path) return javaIdentity;
  const executable = process.platform === 'win32' ? 'java.exe' : 'java';
  const found = path.split(delimiter).filter(Boolean).map((dir) => join(dir, executable)).find((file) => existsSync(file));
  if (!found) return undefined;
  const home = dirname(dirname(realpathSync(found)));
  let version: string | undefined;
  try {
    const release = readFileSync(join(home, 'release'), 'utf8');
    version = /^JAVA_RUNTIME_VERSION="([^"]+)"/m.exec(release)?.[1] ?? /^JAVA_VERSION="([^"]+)"/m.exec(release)?.[1];
  } catch {
    const result = spawnSync(found, ['-version'], { encoding: 'utf8', timeout: 30_000 });
    version = /\(build ([^)]+)\)/.exec(result.stderr ?? '')?.[1];
  }
  if (!version) return undefined;
  javaIdentity = { path, home, version };
  return javaIdentity;
}

function statOrUndefined(file: string) {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

function writable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Temporary archives of builds killed while writing (older than an hour): about 30 MB each. */
function removeAbandonedTemporaries(archive: string): void {
  const dir = dirname(archive);
  const prefix = `${basename(archive)}.`;
  try {
    for (const name of readdirSync(dir)) {
      if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
      const stat = statOrUndefined(join(dir, name));
      if (stat && Date.now() - stat.mtimeMs > 3_600_000) rmSync(join(dir, name), { force: true });
    }
  } catch {
    // Only housekeeping.
  }
}

/**
 * `openapi-generator validate` on each file (one JVM each, mapping the class-data-sharing archive
 * when there is one, never writing it); returns the ones that failed, with the output.
 */
export async function validateWithOpenApiGenerator(files: string[]): Promise<{ file: string; output: string }[]> {
  const failures: { file: string; output: string }[] = [];
  for (const file of files) {
    const run = await runGeneratorJar(['validate', '--input-spec', file]);
    if (run.code !== 0 || !/No validation issues detected/.test(run.output)) failures.push({ file, output: run.output });
  }
  return failures;
}
