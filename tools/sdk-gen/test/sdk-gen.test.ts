import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleApi } from '@carrier-api/spec-kit';
import { batchConfig, dedupeImports, generateSdks, renderSdkFactory, sdkFactoryName } from '../src/index.ts';

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
  it('generates the same bytes twice', async () => {
    const first = mkdtempSync(join(tmpdir(), 'sdk-a-'));
    const second = mkdtempSync(join(tmpdir(), 'sdk-b-'));
    await generateSdks(first);
    await generateSdks(second);
    const files = (dir: string, prefix = ''): string[] =>
      readdirSync(join(dir, prefix)).flatMap((name) => (statSync(join(dir, prefix, name)).isDirectory() ? files(dir, join(prefix, name)) : [join(prefix, name)]));
    const generated = files(first).sort();
    expect(generated.length).toBeGreaterThan(50);
    expect(files(second).sort()).toEqual(generated);
    for (const file of generated) expect(readFileSync(join(second, file)), file).toEqual(readFileSync(join(first, file)));
  });
});
