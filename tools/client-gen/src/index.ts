export { buildApiDefinition } from './definition.ts';
export { apiTypeName, clientFactoryName } from './names.ts';
export { generatedHeader, renderClient, renderDefinition } from './render-client.ts';
