import { deref, listOperations, type OpenApiDocument, type SchemaObject } from '@carrier-api/spec-kit';

/** The runtime's ApiDefinition of a bundled spec (see @carrier-api/runtime api-definition.ts). */
export function buildApiDefinition(api: string, document: OpenApiDocument) {
  const schemes = document.components?.securitySchemes ?? {};
  const scheme = Object.values(schemes).map((value) => deref(document, value))[0];
  if (!scheme) throw new Error(`${api}: the spec declares no security scheme`);
  const auth =
    scheme.type === 'oauth2'
      ? { type: 'oauth2' as const, tokenUrl: scheme.flows.password?.tokenUrl ?? '' }
      : scheme.type === 'apiKey' && scheme.in === 'header'
        ? { type: 'apiKey' as const, header: scheme.name }
        : undefined;
  if (!auth || (auth.type === 'oauth2' && !auth.tokenUrl)) throw new Error(`${api}: unsupported security scheme ${JSON.stringify(scheme)}`);

  return {
    name: api,
    defaultBaseUrl: document.servers?.[0]?.url ?? '',
    auth,
    operations: listOperations(document).map((operation) => {
      // `x-request-reference: true` marks a header the client fills with a fresh reference (MTN transactionId).
      const reference = operation.parameters.find(
        (parameter) => parameter.in === 'header' && (parameter as { 'x-request-reference'?: boolean })['x-request-reference'] === true,
      );
      const referenceSchema = reference ? deref<SchemaObject>(document, reference.schema!) : undefined;
      return {
        operationId: operation.operationId,
        method: operation.method.toUpperCase(),
        path: operation.path,
        authenticated: operation.security.length > 0,
        idempotencyKey: operation.idempotencyKeyHeader,
        ...(reference && referenceSchema
          ? {
              requestReference: {
                header: reference.name,
                pattern: referenceSchema.pattern ?? '.*',
                minLength: referenceSchema.minLength ?? 1,
                maxLength: referenceSchema.maxLength ?? 64,
              },
            }
          : {}),
      };
    }),
  };
}
