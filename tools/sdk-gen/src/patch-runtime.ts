/**
 * Patches of typescript-fetch's generated `runtime.ts`, applied by generate-sdks after the
 * generator ran. A last resort: everything else the SDKs share with the light clients lives in
 * @carrier-api/runtime (the carrier fetch reads and checks every answer before typescript-fetch
 * sees it).
 */

/** A patch found nothing to change: typescript-fetch's output changed shape, and the patch must follow. */
export class RuntimePatchError extends Error {
  /**
   * @param patch - The patch that failed, e.g. `JSONApiResponse.value`.
   * @param expected - What it looked for in runtime.ts.
   */
  constructor(
    readonly patch: string,
    readonly expected: string,
  ) {
    super(`runtime.ts: patch ${patch} found no ${JSON.stringify(expected)}; typescript-fetch's output changed, update tools/sdk-gen/src/patch-runtime.ts`);
    this.name = 'RuntimePatchError';
  }
}

const modelValue = `    async value(): Promise<T> {
        return this.transformer(await this.raw.json());
    }`;

const patchedModelValue = `    async value(): Promise<T> {
        const json = await this.raw.json();
        try {
            return this.transformer(json);
        } catch {
            // @carrier-api/sdk-gen: a 2xx body off its schema is returned as the server sent it,
            // as the light client returns it, never a bare TypeError of the model mapping
            // (validateResponses rejects such a body before it gets here).
            return json as T;
        }
    }`;

/**
 * typescript-fetch's `JSONApiResponse.value()` maps the parsed body with the model's
 * `FromJSON`, which throws a bare TypeError on a body off its schema (`json.items.map` of a
 * missing list). The 2xx-mismatch rule of carrier-api is "returned as is" (unless the client
 * validates responses): the mapping's failure returns the body as sent.
 *
 * @param source - runtime.ts as generated (idempotent: a patched source is returned unchanged).
 * @throws RuntimePatchError when `JSONApiResponse.value()` is not the generator's known code.
 */
export function patchModelMapping(source: string): string {
  if (source.includes(patchedModelValue)) return source;
  const start = source.indexOf('export class JSONApiResponse<T>');
  const at = start < 0 ? -1 : source.indexOf(modelValue, start);
  if (at < 0) throw new RuntimePatchError('JSONApiResponse.value', modelValue.trim());
  return source.slice(0, at) + patchedModelValue + source.slice(at + modelValue.length);
}

/**
 * The declarations of typescript-fetch's runtime.ts whose type is inferred, each with the type it
 * infers written out (`[what the generator writes, what it becomes]`). The SDKs' declaration files
 * are emitted with isolated declarations, one file at a time with no type checker (see
 * tools/package-build), which needs every exported declaration's type written.
 */
const inferredDeclarations: [RegExp, string][] = [
  [/^export const BASE_PATH = (.+);$/m, 'export const BASE_PATH: string = $1;'],
  [/^export const DefaultConfig = new Configuration\(\);$/m, 'export const DefaultConfig: Configuration = new Configuration();'],
  [/constructor\(protected configuration = DefaultConfig\) \{/, 'constructor(protected configuration: Configuration = DefaultConfig) {'],
  [/(withMiddleware<T extends BaseAPI>\(this: T, \.\.\.middlewares: Middleware\[\]\)) \{/, '$1: T {'],
  [/(withPreMiddleware<T extends BaseAPI>\(this: T, \.\.\.preMiddlewares: Array<Middleware\['pre'\]>\)) \{/, '$1: T {'],
  [/(withPostMiddleware<T extends BaseAPI>\(this: T, \.\.\.postMiddlewares: Array<Middleware\['post'\]>\)) \{/, '$1: T {'],
  [/^(export function exists\(json: any, key: string\)) \{/m, '$1: boolean {'],
  [/^(export function mapValues\(data: any, fn: \(item: any\) => any\)) \{/m, '$1: { [key: string]: any } {'],
];

/**
 * Writes out the types runtime.ts leaves to inference (`inferredDeclarations`), as TypeScript
 * infers them, so that its declarations can be emitted without a type checker.
 *
 * @param source - runtime.ts as generated.
 * @throws RuntimePatchError naming the declaration when one is not the generator's known code.
 */
export function annotateInferredTypes(source: string): string {
  return inferredDeclarations.reduce((out, [pattern, replacement]) => {
    if (!pattern.test(out)) throw new RuntimePatchError('isolated declarations', pattern.source);
    return out.replace(pattern, replacement);
  }, source);
}

/**
 * Every patch of runtime.ts, in order; the one call generate-sdks makes.
 * @param source - runtime.ts as generated.
 * @throws RuntimePatchError as each patch does.
 */
export function patchRuntime(source: string): string {
  return annotateInferredTypes(patchModelMapping(source));
}
