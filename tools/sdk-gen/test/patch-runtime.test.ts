import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { annotateInferredTypes, patchModelMapping, patchRuntime, RuntimePatchError } from '../src/patch-runtime.ts';

/** JSONApiResponse as typescript-fetch 7.x writes it in runtime.ts. */
const generated = `export type ResponseTransformer<T> = (json: any) => T;

export class JSONApiResponse<T> {
    constructor(public raw: Response, private transformer: ResponseTransformer<T> = (jsonValue: any) => jsonValue) {}

    async value(): Promise<T> {
        return this.transformer(await this.raw.json());
    }
}

export class TextApiResponse {
    constructor(public raw: Response) {}

    async value(): Promise<string> {
        return await this.raw.text();
    };
}
`;

/** The patched module, compiled and loaded, to run its JSONApiResponse. */
async function load(source: string): Promise<{ JSONApiResponse: new (raw: Response, transformer: (json: unknown) => unknown) => { value(): Promise<unknown> } }> {
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  return import(`data:text/javascript,${encodeURIComponent(js)}`);
}

describe('patch-runtime', () => {
  it('returns the body as sent when the model mapping throws, and the mapped model otherwise', async () => {
    const { JSONApiResponse } = await load(patchModelMapping(generated));
    const body = { country: 'es' };
    const crashing = (json: unknown) => (json as { packages: unknown[] }).packages.map((item) => item);
    await expect(new JSONApiResponse(new Response(JSON.stringify(body)), crashing).value()).resolves.toEqual(body);
    await expect(new JSONApiResponse(new Response('{"packages":[1]}'), crashing).value()).resolves.toEqual([1]);
  });

  it('the unpatched code throws the bare TypeError the patch removes', async () => {
    const { JSONApiResponse } = await load(generated);
    const crashing = (json: unknown) => (json as { packages: unknown[] }).packages.map((item) => item);
    await expect(new JSONApiResponse(new Response('{}'), crashing).value()).rejects.toBeInstanceOf(TypeError);
  });

  it('changes only JSONApiResponse.value and is idempotent', () => {
    const patched = patchModelMapping(generated);
    expect(patched).not.toBe(generated);
    expect(patchModelMapping(patched)).toBe(patched);
    expect(patched.slice(patched.indexOf('export class TextApiResponse'))).toBe(generated.slice(generated.indexOf('export class TextApiResponse')));
  });

  it('fails, naming the patch, when typescript-fetch changed the code it patches', () => {
    const changed = generated.replace('return this.transformer(await this.raw.json());', 'return this.transformer(await this.raw.json(), true);');
    expect(() => patchRuntime(changed)).toThrow(RuntimePatchError);
    expect(() => patchRuntime(changed)).toThrow(/JSONApiResponse\.value/);
  });

  describe('annotateInferredTypes', () => {
    /** The declarations of typescript-fetch 7.x's runtime.ts whose types it leaves to inference. */
    const inferred = `export const BASE_PATH = "https://api.centili.com".replace(/\\/+$/, "");
export interface Middleware { pre?(context: unknown): Promise<void>; post?(context: unknown): Promise<void> }
export class Configuration { middleware: Middleware[] = []; }
export const DefaultConfig = new Configuration();
export class BaseAPI {
    private middleware: Middleware[];
    constructor(protected configuration = DefaultConfig) {
        this.middleware = configuration.middleware;
    }
    withMiddleware<T extends BaseAPI>(this: T, ...middlewares: Middleware[]) {
        return this;
    }
    withPreMiddleware<T extends BaseAPI>(this: T, ...preMiddlewares: Array<Middleware['pre']>) {
        return this;
    }
    withPostMiddleware<T extends BaseAPI>(this: T, ...postMiddlewares: Array<Middleware['post']>) {
        return this;
    }
}
export function exists(json: any, key: string) {
    const value = json[key];
    return value !== null && value !== undefined;
}
export function mapValues(data: any, fn: (item: any) => any) {
    const result: { [key: string]: any } = {};
    for (const key of Object.keys(data)) result[key] = fn(data[key]);
    return result;
}
`;
    /** The isolated-declarations errors (TS9xxx) of a module, by line. */
    const isolatedDeclarationErrors = (source: string) =>
      (ts.transpileDeclaration(source, { compilerOptions: { isolatedDeclarations: true, strict: true }, reportDiagnostics: true }).diagnostics ?? [])
        .filter((diagnostic) => String(diagnostic.code).startsWith('90'))
        .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));

    it('writes out every inferred type, so declarations need no type checker', () => {
      expect(isolatedDeclarationErrors(inferred)).toHaveLength(8);
      const annotated = annotateInferredTypes(inferred);
      expect(isolatedDeclarationErrors(annotated)).toEqual([]);
      expect(annotated).toContain('export const BASE_PATH: string = "https://api.centili.com".replace(');
      expect(annotated).toContain('withPostMiddleware<T extends BaseAPI>(this: T, ...postMiddlewares: Array<Middleware[\'post\']>): T {');
    });

    it('fails, naming the rule, when a declaration is not the generator\'s known code', () => {
      expect(() => annotateInferredTypes(inferred.replace('export function exists(json: any, key: string)', 'export function exists(json: unknown, key: string)'))).toThrow(
        /isolated declarations.*exists/,
      );
    });
  });
});
