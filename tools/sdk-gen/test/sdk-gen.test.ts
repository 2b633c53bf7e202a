import { describe, expect, it } from 'vitest';
import { bundleApi } from '@carrier-api/spec-kit';
import { batchConfig, dedupeImports, renderSdkFactory, sdkFactoryName } from '../src/index.ts';

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
