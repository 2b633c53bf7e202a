export { batchConfig, sdkPackageDir } from './batch-config.ts';
export {
  dedupeImports,
  differencesFromFreshSdk,
  fixListDeserializers,
  generateSdk,
  generateSdks,
  listFiles,
  primitiveUnions,
  renderPrimitiveUnion,
  SdkGenerationError,
  withoutDomTypes,
} from './generate-sdks.ts';
export { renderSdkFactory, sdkFactoryName } from './render-sdk.ts';
