import { apiTypeName } from '@carrier-api/client-gen';

/** Where an API's SDK package lives and what it is called. */
export const sdkPackageDir = (api: string) => `packages/${api}-sdk`;

/**
 * The openapi-generator config of one API (the file of `generate --config`, and one entry of a
 * `batch` run, which spec-review makes of many specs at once): typescript-fetch for modern consumers (ES modules
 * with .js imports, union types for enums, interfaces, one request object per call), every
 * operation on one class named after the API (`PaymentsApi`), property names as in the spec.
 */
export function batchConfig(api: string, bundleYaml: string, outputDir: string) {
  return {
    generatorName: 'typescript-fetch',
    inputSpec: bundleYaml,
    outputDir,
    additionalProperties: {
      supportsES6: true,
      importFileExtension: '.js',
      withInterfaces: true,
      useSingleRequestParameter: true,
      stringEnums: false,
      modelPropertyNaming: 'original',
      paramNaming: 'camelCase',
      enumPropertyNaming: 'original',
      hideGenerationTimestamp: true,
    },
    openapiNormalizer: {
      SET_TAGS_FOR_ALL_OPERATIONS: apiTypeName(api),
    },
    globalProperties: {
      apiDocs: 'false',
      modelDocs: 'false',
      apiTests: 'false',
      modelTests: 'false',
    },
  };
}
