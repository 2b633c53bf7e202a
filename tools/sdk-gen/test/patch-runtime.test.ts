import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { patchModelMapping, patchRuntime, RuntimePatchError } from '../src/patch-runtime.ts';

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
    const { JSONApiResponse } = await load(patchRuntime(generated));
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
});
