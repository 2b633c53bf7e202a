import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderClient } from '@carrier-api/client-gen';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readGeneratorConfig } from '@carrier-api/openapi-generator';
import { batchConfig, primitiveUnions, renderPrimitiveUnion, renderSdkFactory } from '@carrier-api/sdk-gen';
import { serializeBundle, type OpenApiDocument } from '@carrier-api/spec-kit';
import { clientSurface, sdkSurface, type Surface } from './surface.ts';

/** Why a package could not be generated from a spec: the generator's own message. */
export interface GenerationFailure {
  failed: string;
}

/** The light client's and the SDK's surfaces of one spec, or why each could not be generated. */
export interface PackageSurfaces {
  client: Surface | GenerationFailure;
  sdk: Surface | GenerationFailure;
}

/** A package that could not be generated. */
export const isGenerationFailure = (generated: Surface | GenerationFailure): generated is GenerationFailure => !(generated instanceof Map);

/** One spec to generate: an API's bundle on one side of a review. */
export interface SurfaceRequest {
  api: string;
  document: OpenApiDocument;
}

/**
 * The public TypeScript surfaces of the packages the project's own generators make of each
 * document: the light client (client-gen's `renderClient`, in this process) and the SDK
 * (typescript-fetch with sdk-gen's `batchConfig`, its primitive unions and factory). Every SDK
 * is generated in ONE openapi-generator `batch` run (one JVM; 3-12 s for ten specs on 2 busy
 * cores), while the light clients are rendered in this process.
 *
 * A document a generator refuses (client-gen or sdk-gen: a security scheme it does not support;
 * openapi-generator: a spec it does not validate) gives a {@link GenerationFailure} with the
 * generator's message for that package, and the others are generated as usual: the review shows
 * why and goes on. Only a refused document of several is generated a second time, alone, so that
 * its message is its own (the batch run names no spec in its failures).
 *
 * @param requests - The documents, in any number (the base and the head of every changed API).
 * @returns Their surfaces (or failures), in the same order.
 * @throws {Error} openapi-generator is not installed, or java cannot be started.
 */
export async function generateSurfaces(requests: SurfaceRequest[]): Promise<PackageSurfaces[]> {
  if (requests.length === 0) return [];
  const dir = mkdtempSync(join(tmpdir(), 'spec-review-code-'));
  try {
    const sdks = generateSdkSources(requests, dir);
    // While the JVM generates the SDKs; a document client-gen refuses is a failure, not an error.
    const clients: (Surface | GenerationFailure)[] = [];
    for (const request of requests) clients.push(await generated('client-gen', async () => clientSurface(await renderClient(request.api, structuredClone(request.document)))));
    const sources = await sdks;
    return requests.map((_, index) => {
      const source = sources[index]!;
      return { client: clients[index]!, sdk: 'failed' in source ? source : sdkSurface(source.files) };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The result of `generate`, or the failure its error describes (named after the generator that threw). */
async function generated<T>(generator: string, generate: () => Promise<T>): Promise<T | GenerationFailure> {
  try {
    return await generate();
  } catch (error) {
    return { failed: `${generator}: ${(error as Error).message}` };
  }
}

/** The config and output folder of each request's SDK, in `dir`. */
function writeConfigs(requests: SurfaceRequest[], dir: string, prefix = ''): { config: string; out: string }[] {
  return requests.map((request, index) => {
    const input = join(dir, `${prefix}${index}.yaml`);
    writeFileSync(input, serializeBundle(request.document, 'yaml'));
    const config = join(dir, `${prefix}${index}.json`);
    const out = join(dir, `${prefix}out-${index}`);
    writeFileSync(config, JSON.stringify(batchConfig(request.api, input, out)));
    return { config, out };
  });
}

/**
 * Why an openapi-generator run failed, in its own words: the items of its validation's `Errors:`
 * list (`-paths.'/x/{id}'. Declared path parameter id needs to be defined ...`), else its
 * `Generation failed for ...: (Exception) message` lines, else any line naming an error, else its
 * last lines. Each once (it prints the list twice, with the stack trace).
 */
export function errorLines(output: string): string {
  const lines = output.split('\n');
  const unique = (found: string[]) => [...new Set(found)].slice(0, 20);
  const items = unique(lines.filter((line) => /^\s+-\S/.test(line)).map((line) => line.trim().slice(1)));
  const failures = unique(lines.flatMap((line) => /Generation failed for [^:]*: \((\w+)\) (.*)$/.exec(line)?.slice(1, 3).join(': ') ?? []));
  const errors = unique(lines.filter((line) => /error|exception|invalid/i.test(line)));
  return [items, failures, errors, lines.slice(-20)].find((found) => found.length > 0)!.join('\n');
}

/** openapi-generator writes the list of what it generated last: an output folder without it was not generated. */
const finished = (out: string) => existsSync(join(out, '.openapi-generator', 'FILES'));

/**
 * The SDK sources of every request (path relative to the generated folder → text), from one
 * batch run, or the failure of a request openapi-generator or sdk-gen refused.
 */
async function generateSdkSources(requests: SurfaceRequest[], dir: string): Promise<({ files: Record<string, string> } | GenerationFailure)[]> {
  const targets = writeConfigs(requests, dir);
  const run = await runBatch(targets.map((target) => target.config));
  const failed = targets.filter((target) => !finished(target.out));
  const reasons = new Map<string, string>();
  if (failed.length === 1) reasons.set(failed[0]!.out, errorLines(run.output));
  // Several failed: each again, alone (rare; one JVM each), for its own message.
  for (const target of failed.length > 1 ? failed : []) {
    const index = targets.indexOf(target);
    const [alone] = writeConfigs([requests[index]!], dir, `alone-${index}-`);
    reasons.set(target.out, errorLines((await runBatch([alone!.config])).output));
  }
  return requests.map((request, index) => {
    const out = targets[index]!.out;
    if (!finished(out)) return { failed: `openapi-generator could not generate the SDK:\n${reasons.get(out) ?? errorLines(run.output)}` };
    const unions = primitiveUnions(request.document);
    const files: Record<string, string> = {};
    for (const folder of ['apis', 'models']) {
      let names: string[] = [];
      try {
        names = readdirSync(join(out, folder));
      } catch {
        // an API without models
      }
      for (const name of names.filter((file) => file.endsWith('.ts'))) {
        const text = readFileSync(join(out, folder, name), 'utf8');
        const model = name.replace(/\.ts$/, '');
        const union = folder === 'models' ? unions.get(model) : undefined;
        // As sdk-gen writes it: an inline union of primitives is a type alias, not an empty interface.
        files[`${folder}/${name}`] = union ? renderPrimitiveUnion(model, union, text) : text;
      }
    }
    try {
      Object.assign(files, renderSdkFactory(request.api, request.document));
    } catch (error) {
      return { failed: `sdk-gen: ${(error as Error).message}` };
    }
    return { files };
  });
}

/**
 * `openapi-generator batch` on the pinned jar, in one JVM: the jar is started directly, not
 * through the openapi-generator-cli wrapper (which starts two more JVMs to list its commands
 * first). The JVM only runs for seconds: C1 compilation only (`-XX:TieredStopAtLevel=1`) makes
 * it start generating sooner; `JAVA_OPTS` is added, as the wrapper does.
 */
function runBatch(configs: string[]): Promise<{ code: number; output: string }> {
  const { jarPath, repoRoot } = readGeneratorConfig();
  if (!existsSync(jarPath)) throw new Error(`openapi-generator is not installed at ${jarPath}: run pnpm install.`);
  const options = [...(process.env.JAVA_OPTS?.split(/\s+/).filter(Boolean) ?? []), '-XX:TieredStopAtLevel=1'];
  return new Promise((resolve, reject) => {
    // Without --fail-fast: a spec it refuses leaves the others generated (see generateSdkSources).
    const child = spawn('java', [...options, '-jar', jarPath, 'batch', '--threads', '2', ...configs], { cwd: repoRoot });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => reject(new Error(`cannot start java for openapi-generator: ${error.message}`)));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}
