import type { OpenApiDocument } from '@carrier-api/spec-kit';
import { apiTypeName, buildApiDefinition, generatedHeader, renderDefinition, renderRuntimeReexports, sdkFactoryName } from '@carrier-api/client-gen';

export { sdkFactoryName };

/** The files added next to the typescript-fetch sources: the runtime definition and the factory. */
export function renderSdkFactory(api: string, document: OpenApiDocument): Record<string, string> {
  const name = apiTypeName(api);
  const authType = buildApiDefinition(api, document).auth.type === 'apiKey' ? 'ApiKeyAuth' : 'OAuth2Auth';
  const sdk = `${generatedHeader(api)}import { carrierSdkErrorMiddleware, createCarrierFetch, normalizeBaseUrl, type ${authType}, type ClientOptions } from '@carrier-api/runtime';
import { ${name}Api } from './apis/index.js';
import { Configuration } from './runtime.js';
import { apiDefinition } from './definition.js';

export { apiDefinition };
${renderRuntimeReexports()}export type ${name}SdkOptions = ClientOptions<${authType}>;

/**
 * The method-style SDK of ${document.info.title} (openapi-generator typescript-fetch), with the
 * same credentials, idempotency keys, timeouts, retries, \`onEvent\` hook, typed errors
 * (CarrierApiError, CarrierParseError for an unreadable 2xx...), request media types and base
 * URL rules as the light client.
 *
 * @throws CarrierValidationError when \`baseUrl\` is not an absolute http(s) URL or \`auth\` does not fit the API.
 */
export function ${sdkFactoryName(api)}(options: ${name}SdkOptions): ${name}Api {
  const { baseUrl, ...fetchOptions } = options;
  return new ${name}Api(
    new Configuration({
      // typescript-fetch joins basePath and the path as they are: a trailing slash made \`//path\`.
      basePath: normalizeBaseUrl(baseUrl ?? apiDefinition.defaultBaseUrl),
      // Error statuses are thrown by the carrier fetch itself: no post middleware, no clone per call.
      fetchApi: createCarrierFetch({ ...fetchOptions, baseUrl, definition: apiDefinition, throwOnHttpError: true }),
      middleware: [carrierSdkErrorMiddleware],
    }),
  );
}
`;
  return { 'definition.ts': renderDefinition(api, document), 'sdk.ts': sdk };
}
