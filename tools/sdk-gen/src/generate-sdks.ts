import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { listBundledApis } from '@carrier-api/specs';
import { readBundle, replaceOutputDir, type OpenApiDocument } from '@carrier-api/spec-kit';
import { runOpenApiGenerator } from '@carrier-api/openapi-generator';
import { batchConfig } from './batch-config.ts';
import { patchRuntime } from './patch-runtime.ts';

/**
 * Generates the typescript-fetch sources of every API in one `batch` call: one JVM start for
 * all five (each wrapper call starts the JVM three times). Output: `<outDir>/<api>/`.
 */
export async function generateSdks(outDir: string): Promise<string[]> {
  const apis = listBundledApis();
  const configDir = mkdtempSync(join(tmpdir(), 'carrier-sdk-batch-'));
  replaceOutputDir(outDir);
  const configs = apis.map((api) => {
    const file = join(configDir, `${api.name}.json`);
    writeFileSync(file, JSON.stringify(batchConfig(api.name, api.yaml, resolve(outDir, api.name)), null, 2));
    return file;
  });
  const run = await runOpenApiGenerator(['batch', '--fail-fast', '--threads', '2', ...configs]);
  rmSync(configDir, { recursive: true, force: true });
  if (run.code !== 0 || !run.output.includes(`finished ${apis.length} generators successfully`)) {
    throw new Error(`openapi-generator batch failed:\n${run.output}`);
  }
  for (const api of apis) {
    // Bookkeeping of the generator, not sources: left out so that outputs are only code.
    rmSync(join(outDir, api.name, '.openapi-generator'), { recursive: true, force: true });
    rmSync(join(outDir, api.name, '.openapi-generator-ignore'), { force: true });
    const models = join(outDir, api.name, 'models');
    const unions = primitiveUnions(readBundle(api.json));
    for (const file of readdirSync(models)) {
      const source = readFileSync(join(models, file), 'utf8');
      const name = file.replace(/\.ts$/, '');
      const union = unions.get(name);
      const fixed = union ? renderPrimitiveUnion(name, union, source) : fixListDeserializers(dedupeImports(source));
      if (fixed !== source) writeFileSync(join(models, file), fixed);
    }
    const runtime = join(outDir, api.name, 'runtime.ts');
    writeFileSync(runtime, patchRuntime(withoutDomTypes(readFileSync(runtime, 'utf8'))));
  }
  return apis.map((api) => api.name);
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
