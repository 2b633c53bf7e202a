import { apiTypeName, clientFactoryName, sdkFactoryName } from '@carrier-api/client-gen';

/** The two packages every API of specs/ has. */
export type PackageKind = 'client' | 'sdk';

/** The npm name and folder of an API's light client or SDK: `@carrier-api/<api>[-sdk]`, `packages/<api>[-sdk]`. */
export function packageOf(api: string, kind: PackageKind): { name: string; dir: string } {
  const folder = kind === 'client' ? api : `${api}-sdk`;
  return { name: `@carrier-api/${folder}`, dir: `packages/${folder}` };
}

export { apiTypeName, clientFactoryName, sdkFactoryName };

/** What a package.json says that is the API's own: kept as it is when the boilerplate is refreshed. */
export interface PackageIdentity {
  version: string;
  description: string;
  keywords: string[];
}

/** `Centili Services` → `Centili Services API`; a title that names its API already is kept. */
export function apiTitle(title: string): string {
  return /\bAPI\b/.test(title) ? title : `${title} API`;
}

/** The description and keywords of a new package; a package's own (hand-edited) ones are kept on refresh. */
export function newIdentity(api: string, kind: PackageKind, title: string): PackageIdentity {
  const vendor = api.split('-')[0]!;
  return kind === 'client'
    ? {
        version: '0.0.0',
        description: `Typed client of the ${apiTitle(title)}, generated from its OpenAPI contract with openapi-typescript and openapi-fetch.`,
        keywords: ['openapi-fetch', 'openapi', 'typed-client', vendor],
      }
    : {
        version: '0.0.0',
        description: `Method-style SDK of the ${apiTitle(title)}, generated from its OpenAPI contract with openapi-generator (typescript-fetch), with OAuth2/API key auth, idempotency keys and safe retries.`,
        keywords: ['openapi-generator', 'typescript-fetch', 'sdk', 'openapi', vendor],
      };
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** package.json: the same scripts, exports, files and tooling for every API; only the name, the API and the identity differ. */
export function renderPackageJson(api: string, kind: PackageKind, identity: PackageIdentity): string {
  const { name, dir } = packageOf(api, kind);
  return json({
    name,
    version: identity.version,
    description: identity.description,
    keywords: identity.keywords,
    license: 'MIT',
    type: 'module',
    sideEffects: false,
    engines: { node: '>=20.19.0' },
    exports: {
      '.': {
        import: { types: './dist/index.d.ts', default: './dist/index.js' },
        require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
      },
      './package.json': './package.json',
    },
    main: './dist/index.cjs',
    module: './dist/index.js',
    types: './dist/index.d.ts',
    files: ['dist'],
    scripts: {
      build: kind === 'client' ? `carrier-generate-client ${api} && tsdown` : `carrier-generate-sdk ${api} && tsdown`,
      test: 'vitest run',
      typecheck: 'tsc --noEmit',
      'lint:package': 'carrier-check-package',
    },
    dependencies: kind === 'client' ? { '@carrier-api/runtime': 'workspace:^', 'openapi-fetch': '^0.17.0' } : { '@carrier-api/runtime': 'workspace:^' },
    devDependencies:
      kind === 'client'
        ? { '@carrier-api/client-gen': 'workspace:*', '@carrier-api/mock': 'workspace:*', '@carrier-api/package-build': 'workspace:*', '@carrier-api/package-check': 'workspace:*', tsdown: '0.21.10' }
        : { '@carrier-api/mock': 'workspace:*', '@carrier-api/package-build': 'workspace:*', '@carrier-api/package-check': 'workspace:*', '@carrier-api/sdk-gen': 'workspace:*', tsdown: '0.21.10' },
    publishConfig: { access: 'public' },
    repository: { type: 'git', url: 'git+https://github.com/carrier-api/carrier-api.git', directory: dir },
  });
}

/**
 * turbo.json: the build reads the API's own spec folder, specs/shared/, redocly.yaml, its
 * generator's sources and the shared build configuration (tools/package-build), and waits for the runtime only (its types go into the .d.ts). Not `^build`:
 * that would wait for @carrier-api/mock (a devDependency, for the tests), whose hash follows every
 * spec through @carrier-api/specs, and one spec edit would rebuild every client and SDK.
 */
export function renderTurboJson(api: string, kind: PackageKind): string {
  const generator =
    kind === 'client'
      ? ['$TURBO_ROOT$/tools/client-gen/src/**', '$TURBO_ROOT$/tools/spec-kit/src/**']
      : [
          '$TURBO_ROOT$/tools/sdk-gen/src/**',
          '$TURBO_ROOT$/tools/client-gen/src/**',
          '$TURBO_ROOT$/tools/spec-kit/src/**',
          '$TURBO_ROOT$/tools/openapi-generator/src/**',
          '$TURBO_ROOT$/openapitools.json',
        ];
  return json({
    $schema: 'https://turbo.build/schema.json',
    extends: ['//'],
    tasks: {
      build: {
        dependsOn: ['@carrier-api/runtime#build'],
        inputs: [
          '$TURBO_DEFAULT$',
          '!src/generated/**',
          '!test/**',
          '!README.md',
          '!CHANGELOG.md',
          `$TURBO_ROOT$/specs/${api}/**`,
          '$TURBO_ROOT$/specs/shared/**',
          '$TURBO_ROOT$/redocly.yaml',
          ...generator,
          '$TURBO_ROOT$/tools/package-build/src/**',
        ],
        outputs: ['dist/**', 'src/generated/**'],
      },
    },
  });
}

/** The configuration files that are the same for every API (by file name). */
export function renderConfigFiles(kind: PackageKind): Record<string, string> {
  return {
    'tsconfig.json':
      kind === 'client'
        ? json({ extends: '../../tsconfig.base.json', include: ['src', 'test'] })
        : `{
  "extends": "../../tsconfig.base.json",
  // The generated typescript-fetch sources predate these two checks.
  "compilerOptions": { "noImplicitOverride": false, "noUncheckedIndexedAccess": false },
  "include": ["src", "test"]
}
`,
    'tsdown.config.ts': "import { packageBuild } from '@carrier-api/package-build';\n\nexport default packageBuild();\n",
    'vitest.config.ts': "export { default } from '../../vitest.shared.ts';\n",
    'src/index.ts': kind === 'client' ? "export * from './generated/index.js';\n" : "export * from './generated/index.js';\nexport * from './generated/sdk.js';\n",
  };
}

/** The CHANGELOG a package starts with: changesets writes the rest. */
export const renderChangelog = (api: string, kind: PackageKind) => `# ${packageOf(api, kind).name}\n`;

/**
 * The test every SDK package has: its src/generated (written by the build, or restored by turbo
 * from its cache) is what the generator writes now, byte for byte.
 */
export function renderSdkGeneratedTest(api: string): string {
  return `import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// What the build wrote, or turbo restored from its cache, must be what the generator makes now:
// one more openapi-generator run (one JVM), compared byte for byte by carrier-generate-sdk --check.
describe('src/generated', () => {
  it('is what carrier-generate-sdk ${api} writes now, byte for byte', () => {
    const root = join(import.meta.dirname, '..');
    const run = spawnSync(join(root, 'node_modules/.bin/carrier-generate-sdk'), ['${api}', '--check', '--out', 'src/generated'], { cwd: root, encoding: 'utf8' });
    expect({ status: run.status, output: \`\${run.stdout}\${run.stderr}\` }).toMatchObject({ status: 0 });
  }, 120_000);
});
`;
}
