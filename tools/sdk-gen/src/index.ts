export { batchConfig, sdkPackageDir } from './batch-config.ts';
export { dedupeImports, fixListDeserializers, generateSdks, primitiveUnions, renderPrimitiveUnion, withoutDomTypes } from './generate-sdks.ts';
export { renderSdkFactory, sdkFactoryName } from './render-sdk.ts';
