export { batchConfig, sdkPackageDir } from './batch-config.ts';
export { dedupeImports, generateSdks } from './generate-sdks.ts';
export { renderSdkFactory, sdkFactoryName } from './render-sdk.ts';
