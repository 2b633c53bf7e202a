import { deref, listOperations, type OpenApiDocument } from '@carrier-api/spec-kit';

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
      // `x-request-reference: {pattern, minLength, maxLength}` marks a header the client fills with a
      // fresh reference (MTN transactionId), and the rule for values a caller passes.
      const reference = operation.parameters.find((parameter) => parameter.in === 'header' && 'x-request-reference' in parameter);
      const rule = reference ? (reference as unknown as { 'x-request-reference': { pattern: string; minLength: number; maxLength: number } })['x-request-reference'] : undefined;
      return {
        operationId: operation.operationId,
        method: operation.method.toUpperCase(),
        path: operation.path,
        authenticated: operation.security.length > 0,
        idempotencyKey: operation.idempotencyKeyHeader,
        ...(reference && rule ? { requestReference: { header: reference.name, pattern: rule.pattern, minLength: rule.minLength, maxLength: rule.maxLength } } : {}),
      };
    }),
  };
}
