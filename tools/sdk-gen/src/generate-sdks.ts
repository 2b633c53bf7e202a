import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { bundleApi, listApis, replaceOutputDir, serializeBundle, type OpenApiDocument } from '@carrier-api/spec-kit';
import { runGeneratorJar } from '@carrier-api/openapi-generator';
import { batchConfig } from './batch-config.ts';
import { renderSdkFactory } from './render-sdk.ts';
import { patchRuntime } from './patch-runtime.ts';

/** openapi-generator refused a spec, or its output is not what sdk-gen expects. */
export class SdkGenerationError extends Error {
  override name = 'SdkGenerationError';
}

/**
 * Writes every generated source of one API's SDK package into `outDir` (emptied first): the
 * typescript-fetch sources of ONE openapi-generator run on the API's own bundle (made here, in
 * memory, from specs/<api>/ and specs/shared/: nothing of the other APIs is read), post-processed,
 * plus the runtime definition and the factory. One JVM per API, so that an SDK package's build
 * depends on its own spec only and a spec edit regenerates one SDK, not all of them.
 *
 * @param api - a folder of specs/ with an openapi.yaml.
 * @param outDir - the package's `src/generated` (or any folder of its own).
 * @param document - the API's bundle, when the caller has it already (default: bundled now).
 * @returns the files written, relative to `outDir`, sorted.
 * @throws {SdkGenerationError} openapi-generator failed on the spec (its output is in the message).
 */
export async function generateSdk(api: string, outDir: string, document?: OpenApiDocument): Promise<string[]> {
  const bundle = document ?? (await bundleApi(api));
  const work = mkdtempSync(join(tmpdir(), `carrier-sdk-${api}-`));
  try {
    const out = replaceOutputDir(outDir);
    const input = join(work, `${api}.yaml`);
    writeFileSync(input, serializeBundle(bundle, 'yaml'));
    const config = join(work, 'config.json');
    writeFileSync(config, JSON.stringify(batchConfig(api, input, out), null, 2));
    // The SDK build's generate is the run whose classes the class-data-sharing archive should hold.
    const run = await runGeneratorJar(['generate', '--config', config], { writeArchive: true });
    // Exit code 0 is not enough: the generator logs a spec it cannot read and carries on.
    if (run.code !== 0 || !existsSync(join(out, 'runtime.ts')) || !existsSync(join(out, 'apis'))) {
      throw new SdkGenerationError(`openapi-generator failed on ${api}:\n${run.output.split('\n').slice(-30).join('\n')}`);
    }
    postProcess(out, bundle);
    for (const [name, contents] of Object.entries(renderSdkFactory(api, bundle))) writeFileSync(join(out, name), contents);
    return listFiles(out);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * What sdk-gen changes in typescript-fetch's output, in place: its bookkeeping removed, the
 * repeated imports and list deserialisers of the models fixed, the inline unions of primitives
 * made type aliases, the DOM-only types of runtime.ts replaced.
 */
function postProcess(out: string, document: OpenApiDocument): void {
  // Bookkeeping of the generator, not sources: left out so that outputs are only code.
  rmSync(join(out, '.openapi-generator'), { recursive: true, force: true });
  rmSync(join(out, '.openapi-generator-ignore'), { force: true });
  const models = join(out, 'models');
  const unions = primitiveUnions(document);
  for (const file of readdirSync(models)) {
    const source = readFileSync(join(models, file), 'utf8');
    const name = file.replace(/\.ts$/, '');
    const union = unions.get(name);
    const fixed = union ? renderPrimitiveUnion(name, union, source) : fixListDeserializers(dedupeImports(source));
    if (fixed !== source) writeFileSync(join(models, file), fixed);
  }
  const runtime = join(out, 'runtime.ts');
  writeFileSync(runtime, patchRuntime(withoutDomTypes(readFileSync(runtime, 'utf8'))));
}

/** Every file under `dir`, relative to it, sorted. */
export function listFiles(dir: string): string[] {
  const walk = (folder: string): string[] =>
    readdirSync(folder).flatMap((name) => (statSync(join(folder, name)).isDirectory() ? walk(join(folder, name)) : [relative(dir, join(folder, name))]));
  return walk(dir).sort();
}

/**
 * Generates the SDK of `api` again in a scratch folder and compares it with `builtDir` byte for
 * byte: what a build wrote (or turbo restored from its cache) must be what the generator makes
 * now, or caching would hide a difference.
 *
 * @returns one line per file missing, extra or different; empty when they are the same.
 */
export async function differencesFromFreshSdk(api: string, builtDir: string): Promise<string[]> {
  const fresh = mkdtempSync(join(tmpdir(), `carrier-sdk-again-${api}-`));
  try {
    const freshFiles = await generateSdk(api, join(fresh, 'generated'));
    const builtFiles = listFiles(builtDir);
    const differences = [
      ...freshFiles.filter((file) => !builtFiles.includes(file)).map((file) => `${file}: missing from ${builtDir}`),
      ...builtFiles.filter((file) => !freshFiles.includes(file)).map((file) => `${file}: not generated any more`),
    ];
    for (const file of freshFiles.filter((name) => builtFiles.includes(name))) {
      if (readFileSync(join(fresh, 'generated', file), 'utf8') !== readFileSync(join(builtDir, file), 'utf8')) differences.push(`${file}: differs`);
    }
    return differences;
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
}

/**
 * The SDK sources of several APIs (default: every API of specs/), into `<outDir>/<api>/`, with
 * as many openapi-generator runs at once as the machine has cores: what a cold build does, for
 * measuring it.
 *
 * @returns the APIs, in the order given.
 */
export async function generateSdks(outDir: string, apis: string[] = listApis()): Promise<string[]> {
  replaceOutputDir(outDir);
  const queue = [...apis];
  const worker = async () => {
    for (let api = queue.shift(); api !== undefined; api = queue.shift()) await generateSdk(api, resolve(outDir, api));
  };
  await Promise.all(Array.from({ length: Math.min(availableParallelism(), apis.length) }, worker));
  return apis;
}

/**
 * typescript-fetch 7.x imports a model twice for `oneOf: [X, array of X]` (the Services API's
 * single-or-list answers), which TypeScript rejects; the repeated statements are dropped.
 */
export function dedupeImports(source: string): string {
  const seen = new Set<string>();
  return source.replace(/^import [^;]+;\n/gm, (statement) => {
    if (seen.has(statement)) return '';
    seen.add(statement);
    return statement;
  });
}

/**
 * typescript-fetch 7.x tests `instanceOfX(json)` before `Array.isArray(json)` in the
 * (de)serialisers of `oneOf: [X, array of X]`; when X has no required field `instanceOfX` is
 * always true, so a list came out as `{}` (every item lost). An array is never an X: the object
 * branch is made to say so.
 */
export function fixListDeserializers(source: string): string {
  if (!source.includes('Array.isArray(')) return source;
  return source.replace(/if \(instanceOf(\w+)\((json|value)\)\) \{/g, 'if (!Array.isArray($2) && instanceOf$1($2)) {');
}

/**
 * typescript-fetch's runtime.ts names two DOM-only types (`RequestCredentials`,
 * `WindowOrWorkerGlobalScope`), so the SDKs' .d.ts failed to compile for a Node project without
 * the DOM lib (and skipLibCheck off). They are replaced by what they mean, with Node's own types.
 */
export function withoutDomTypes(source: string): string {
  const credentials = "export type FetchCredentials = 'include' | 'omit' | 'same-origin';\n";
  // A method signature, as WindowOrWorkerGlobalScope['fetch'] is: the generated code assigns
  // `(url: string, init: RequestInit) => ...` to it, which only method bivariance accepts.
  const fetchApi = '{ fetch(input: string | URL | Request, init?: RequestInit): Promise<Response> }[\'fetch\']';
  let out = source.replace(/WindowOrWorkerGlobalScope\['fetch'\]/g, fetchApi).replace(/\bRequestCredentials\b/g, 'FetchCredentials');
  if (out !== source && !out.includes(credentials)) out = out.replace(/^(export const BASE_PATH)/m, `${credentials}\n$1`);
  return out;
}

type Primitive = { type?: string; enum?: unknown[]; description?: string };
interface PrimitiveUnion {
  description: string | undefined;
  members: Primitive[];
}

/**
 * The inline `anyOf`/`oneOf` of primitives of a spec (e.g. `active: boolean | "true" | "false"`),
 * by the model name typescript-fetch gives them (`CountryFilter` + `Active`): it renders them as
 * an empty interface, which accepts anything and documents nothing.
 */
export function primitiveUnions(document: OpenApiDocument): Map<string, PrimitiveUnion> {
  const unions = new Map<string, PrimitiveUnion>();
  const schemas = (document.components?.schemas ?? {}) as Record<string, { properties?: Record<string, Record<string, unknown>> }>;
  const isPrimitive = (member: unknown): member is Primitive =>
    typeof member === 'object' && member !== null && !('$ref' in member) && ['string', 'boolean', 'number', 'integer'].includes(String((member as Primitive).type));
  for (const [schemaName, schema] of Object.entries(schemas)) {
    for (const [property, value] of Object.entries(schema.properties ?? {})) {
      const members = (value.anyOf ?? value.oneOf) as unknown[] | undefined;
      if (!Array.isArray(members) || members.length === 0 || !members.every(isPrimitive)) continue;
      const name = schemaName + property.charAt(0).toUpperCase() + property.slice(1);
      unions.set(name, { description: typeof value.description === 'string' ? value.description : undefined, members });
    }
  }
  return unions;
}

const tsType = (member: Primitive): string =>
  member.enum ? member.enum.map((value) => JSON.stringify(value)).join(' | ') : member.type === 'integer' ? 'number' : member.type!;
const typeCheck = (member: Primitive): string =>
  member.enum
    ? `(${member.enum.map((value) => `value === ${JSON.stringify(value)}`).join(' || ')})`
    : `typeof value === '${member.type === 'integer' ? 'number' : member.type}'`;

/** A model file for a primitive union: a type alias and pass-through (de)serialisers. */
export function renderPrimitiveUnion(name: string, union: PrimitiveUnion, generated: string): string {
  const notice = generated.indexOf('Do not edit the class manually.');
  const header = notice < 0 ? '' : generated.slice(0, generated.indexOf('*/', notice) + 3);
  const type = [...new Set(union.members.map(tsType))].join(' | ');
  return `${header}
/**
 * ${union.description ?? name}
 * (A union of primitives: typescript-fetch's empty interface replaced by @carrier-api/sdk-gen.)
 */
export type ${name} = ${type};

/**
 * Check if a given value is a ${name}.
 */
export function instanceOf${name}(value: unknown): value is ${name} {
    return ${union.members.map(typeCheck).join(' || ')};
}

export function ${name}FromJSON(json: any): ${name} {
    return ${name}FromJSONTyped(json, false);
}

export function ${name}FromJSONTyped(json: any, ignoreDiscriminator: boolean): ${name} {
    return json;
}

export function ${name}ToJSON(json: any): any {
    return ${name}ToJSONTyped(json, false);
}

export function ${name}ToJSONTyped(value?: ${name} | null, ignoreDiscriminator: boolean = false): any {
    return value;
}
`;
}
