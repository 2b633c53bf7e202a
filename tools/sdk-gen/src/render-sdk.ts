import type { OpenApiDocument } from '@carrier-api/spec-kit';
import { apiTypeName, buildApiDefinition, generatedHeader, renderDefinition, renderRuntimeReexports } from '@carrier-api/client-gen';

export const sdkFactoryName = (api: string) => `create${apiTypeName(api)}Sdk`;

/** The files added next to the typescript-fetch sources: the runtime definition and the factory. */
export function renderSdkFactory(api: string, document: OpenApiDocument): Record<string, string> {
  const name = apiTypeName(api);
  const authType = buildApiDefinition(api, document).auth.type === 'apiKey' ? 'ApiKeyAuth' : 'OAuth2Auth';
  const sdk = `${generatedHeader(api)}import { carrierSdkErrorMiddleware, createCarrierFetch, type ${authType}, type ClientOptions } from '@carrier-api/runtime';
import { ${name}Api } from './apis/index.js';
import { Configuration } from './runtime.js';
import { apiDefinition } from './definition.js';

export { apiDefinition };
${renderRuntimeReexports()}export type ${name}SdkOptions = ClientOptions<${authType}>;

/**
 * The method-style SDK of ${document.info.title} (openapi-generator typescript-fetch), with the
 * same credentials, idempotency keys, timeouts, retries, \`onEvent\` hook and CarrierApiError as
 * the light client.
 */
export function ${sdkFactoryName(api)}(options: ${name}SdkOptions): ${name}Api {
  const { baseUrl, ...fetchOptions } = options;
  return new ${name}Api(
    new Configuration({
      basePath: baseUrl ?? apiDefinition.defaultBaseUrl,
      // Error statuses are thrown by the carrier fetch itself: no post middleware, no clone per call.
      fetchApi: createCarrierFetch({ ...fetchOptions, definition: apiDefinition, throwOnHttpError: true }),
      middleware: [carrierSdkErrorMiddleware],
    }),
  );
}
`;
  return { 'definition.ts': renderDefinition(api, document), 'sdk.ts': sdk };
}
