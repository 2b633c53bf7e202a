import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { bundleApi } from '@carrier-api/spec-kit';
import {
  batchConfig,
  dedupeImports,
  fixListDeserializers,
  generateSdks,
  primitiveUnions,
  renderPrimitiveUnion,
  renderSdkFactory,
  sdkFactoryName,
  withoutDomTypes,
} from '../src/index.ts';

describe('sdk-gen', () => {
  it('configures typescript-fetch for modern consumers, one API class per spec', () => {
    const config = batchConfig('centili-payments', '/specs/centili-payments.yaml', '/out/centili-payments');
    expect(config).toMatchObject({
      generatorName: 'typescript-fetch',
      inputSpec: '/specs/centili-payments.yaml',
      outputDir: '/out/centili-payments',
      additionalProperties: { supportsES6: true, importFileExtension: '.js', withInterfaces: true, stringEnums: false },
      openapiNormalizer: { SET_TAGS_FOR_ALL_OPERATIONS: 'Payments' },
    });
  });

  it('drops only repeated identical imports', () => {
    const source = "import type { A } from './A.js';\nimport {\n    x,\n} from './A.js';\nimport type { A } from './A.js';\nimport {\n    x,\n} from './A.js';\nimport type { B } from './B.js';\nexport type C = A | B;\n";
    expect(dedupeImports(source)).toBe("import type { A } from './A.js';\nimport {\n    x,\n} from './A.js';\nimport type { B } from './B.js';\nexport type C = A | B;\n");
  });

  it('renders the payments SDK factory (snapshot)', async () => {
    const files = renderSdkFactory('centili-payments', await bundleApi('centili-payments'));
    expect(sdkFactoryName('centili-payments')).toBe('createPaymentsSdk');
    expect(files['sdk.ts']).toMatchSnapshot();
    expect(files['definition.ts']).toContain('"operationId": "submitPin"');
  });
});

describe('the batch run', () => {
  // One more JVM batch, compared with the one `build` made (turbo runs build before test): two
  // runs of the generator, not three, and a cache-restored build output is checked too.
  it('generates the same bytes as the build did', async () => {
    const built = join(import.meta.dirname, '..', 'generated');
    expect(existsSync(built), `${built} is missing: run the build first (pnpm turbo run build --filter=@carrier-api/sdk-gen)`).toBe(true);
    const fresh = mkdtempSync(join(tmpdir(), 'sdk-again-'));
    await generateSdks(fresh);
    const files = (dir: string, prefix = ''): string[] =>
      readdirSync(join(dir, prefix)).flatMap((name) => (statSync(join(dir, prefix, name)).isDirectory() ? files(dir, join(prefix, name)) : [join(prefix, name)]));
    const generated = files(built).sort();
    expect(generated.length).toBeGreaterThan(50);
    expect(files(fresh).sort()).toEqual(generated);
    for (const file of generated) expect(readFileSync(join(fresh, file), 'utf8'), file).toEqual(readFileSync(join(built, file), 'utf8'));
    rmSync(fresh, { recursive: true, force: true });
  });
});

describe('post-processing of the typescript-fetch output', () => {
  it('makes the object branch of oneOf [X, X[]] refuse arrays', () => {
    const source = 'if (instanceOfService(json)) {\n  return x;\n}\nif (Array.isArray(json)) {}\nif (instanceOfService(value)) {}';
    expect(fixListDeserializers(source)).toBe('if (!Array.isArray(json) && instanceOfService(json)) {\n  return x;\n}\nif (Array.isArray(json)) {}\nif (!Array.isArray(value) && instanceOfService(value)) {}');
    expect(fixListDeserializers('if (instanceOfService(json)) {}')).toBe('if (instanceOfService(json)) {}');
  });

  it('replaces the DOM-only types of runtime.ts', () => {
    const source = "export const BASE_PATH = 'x';\nexport type FetchAPI = WindowOrWorkerGlobalScope['fetch'];\ncredentials?: RequestCredentials;\n";
    const fixed = withoutDomTypes(source);
    expect(fixed).not.toMatch(/WindowOrWorkerGlobalScope|RequestCredentials/);
    expect(fixed).toContain("export type FetchCredentials = 'include' | 'omit' | 'same-origin';");
    expect(withoutDomTypes(fixed)).toBe(fixed);
  });

  it('finds the inline unions of primitives of the Services API, named as typescript-fetch names them', async () => {
    const unions = primitiveUnions(await bundleApi('centili-services'));
    expect([...unions.keys()].sort()).toEqual(['CountryActive', 'CountryFilterActive']);
    const rendered = renderPrimitiveUnion('CountryFilterActive', unions.get('CountryFilterActive')!, '/* x */\n/**\n * Do not edit the class manually.\n */\n');
    expect(rendered).toContain('export type CountryFilterActive = boolean | "" | "true" | "false";');
  });

  // The generated sources as a Node project without the DOM lib compiles them (skipLibCheck off).
  it('generated sources compile with lib ES2022 and Node types only', () => {
    const root = resolve(import.meta.dirname, '../generated');
    const files = readdirSync(root).flatMap((api) => [join(root, api, 'index.ts')]);
    const program = ts.createProgram(files, {
      lib: ['lib.es2022.d.ts'],
      types: ['node'],
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      skipLibCheck: false,
      noEmit: true,
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(problems).toEqual([]);
  });
});
