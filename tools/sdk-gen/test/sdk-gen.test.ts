import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
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
