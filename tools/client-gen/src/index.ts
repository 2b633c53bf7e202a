export { buildApiDefinition } from './definition.ts';
export { apiTypeName, clientFactoryName, sdkFactoryName } from './names.ts';
export { generatedHeader, renderClient, renderDefinition, renderRuntimeReexports } from './render-client.ts';
