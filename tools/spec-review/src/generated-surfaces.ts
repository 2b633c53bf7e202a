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

/** The light client's and the SDK's surfaces of one spec. */
export interface PackageSurfaces {
  client: Surface;
  sdk: Surface;
}

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
 * @param requests - The documents, in any number (the base and the head of every changed API).
 * @returns Their surfaces, in the same order.
 * @throws {Error} openapi-generator is missing or refuses a document (its output is in the message).
 */
export async function generateSurfaces(requests: SurfaceRequest[]): Promise<PackageSurfaces[]> {
  if (requests.length === 0) return [];
  const dir = mkdtempSync(join(tmpdir(), 'spec-review-code-'));
  try {
    const sdks = generateSdkSources(requests, dir);
    const clients: Surface[] = [];
    try {
      for (const request of requests) clients.push(clientSurface(await renderClient(request.api, structuredClone(request.document))));
    } catch (error) {
      // Let the JVM finish before its folder is removed, and never leave its promise unhandled.
      await sdks.catch(() => undefined);
      throw error;
    }
    const sources = await sdks;
    return requests.map((_, index) => ({ client: clients[index]!, sdk: sdkSurface(sources[index]!) }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The SDK sources of every request (path relative to the generated folder → text), from one batch run. */
async function generateSdkSources(requests: SurfaceRequest[], dir: string): Promise<Record<string, string>[]> {
  const configs = requests.map((request, index) => {
    const input = join(dir, `${index}.yaml`);
    writeFileSync(input, serializeBundle(request.document, 'yaml'));
    const config = join(dir, `${index}.json`);
    writeFileSync(config, JSON.stringify(batchConfig(request.api, input, join(dir, `out-${index}`))));
    return config;
  });
  const run = await runBatch(configs);
  if (run.code !== 0 || !run.output.includes(`finished ${requests.length} generators successfully`)) {
    const errors = run.output.split('\n').filter((line) => /error|exception|invalid/i.test(line)).slice(0, 20);
    throw new Error(`openapi-generator could not generate the SDKs to compare:\n${(errors.length > 0 ? errors : run.output.split('\n').slice(-20)).join('\n')}`);
  }
  return requests.map((request, index) => {
    const out = join(dir, `out-${index}`);
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
    Object.assign(files, renderSdkFactory(request.api, request.document));
    return files;
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
    const child = spawn('java', [...options, '-jar', jarPath, 'batch', '--fail-fast', '--threads', '2', ...configs], { cwd: repoRoot });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => reject(new Error(`cannot start java for openapi-generator: ${error.message}`)));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}
