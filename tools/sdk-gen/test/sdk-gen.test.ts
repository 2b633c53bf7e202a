import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleApi } from '@carrier-api/spec-kit';
import {
  batchConfig,
  dedupeImports,
  fixListDeserializers,
  differencesFromFreshSdk,
  generateSdk,
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

});

// One openapi-generator run (one JVM) for the API whose output needs the most post-processing
// (unions of primitives, single-or-list answers); every SDK package's own test compares its build
// output with a fresh generation of its API (differencesFromFreshSdk).
describe('generateSdk', () => {
  let dir: string;
  let files: string[];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sdk-gen-test-'));
    files = await generateSdk('centili-services', join(dir, 'generated'));
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the typescript-fetch sources, post-processed, and the factory, without the bookkeeping', () => {
    expect(files).toEqual(expect.arrayContaining(['apis/ServicesApi.ts', 'runtime.ts', 'index.ts', 'models/CountryFilterActive.ts', 'definition.ts', 'sdk.ts']));
    expect(files.filter((file) => file.startsWith('.openapi-generator'))).toEqual([]);
    expect(readFileSync(join(dir, 'generated/models/CountryFilterActive.ts'), 'utf8')).toContain('export type CountryFilterActive = boolean | "" | "true" | "false";');
    expect(readFileSync(join(dir, 'generated/runtime.ts'), 'utf8')).not.toMatch(/WindowOrWorkerGlobalScope|RequestCredentials/);
  });

  it('names what differs from a fresh generation', async () => {
    const file = join(dir, 'generated/models/CountryFilterActive.ts');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, `${original}// edited\n`);
    try {
      expect(await differencesFromFreshSdk('centili-services', join(dir, 'generated'))).toEqual(['models/CountryFilterActive.ts: differs']);
    } finally {
      writeFileSync(file, original);
    }
  }, 120_000);

  // The generated sources as a Node project without the DOM lib compiles them (skipLibCheck off).
  it('generated sources compile with lib ES2022 and Node types only', () => {
    const program = ts.createProgram([join(dir, 'generated/index.ts')], {
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
