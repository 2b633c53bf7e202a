import { deref, listOperations, type OpenApiDocument } from '@carrier-api/spec-kit';

/** A JSON pointer token (RFC 6901): `~` and `/` escaped. */
const pointerToken = (token: string) => token.replace(/~/g, '~0').replace(/\//g, '~1');

type Node = Record<string, unknown> & { $ref?: string };

/**
 * What the runtime must know of an operation's responses: the 2xx statuses documented without a
 * body (`emptySuccess`) and the JSON pointer of each documented 2xx JSON body's schema
 * (`responseSchemas`), through a `$ref`'d response object to where the schema really is (ajv
 * resolves a pointer, not the `$ref`s along it).
 */
function describeResponses(document: OpenApiDocument, path: string, method: string, responses: Record<string, unknown>) {
  const emptySuccess: number[] = [];
  const responseSchemas: Record<string, string> = {};
  for (const [status, raw] of Object.entries(responses)) {
    if (!/^2(\d\d|XX)$/.test(status) && status !== 'default') continue;
    let pointer = `#/paths/${pointerToken(path)}/${method}/responses/${pointerToken(status)}`;
    let node = raw as Node;
    // Bounded: a chain of response $refs ends (the bundle has no cycles among response objects).
    for (let hops = 0; typeof node.$ref === 'string' && hops < 10; hops += 1) {
      pointer = node.$ref;
      node = deref(document, node as never) as Node;
    }
    const content = (node.content ?? {}) as Record<string, unknown>;
    const json = Object.keys(content).find((type) => /^application\/([\w.-]+\+)?json\b/i.test(type));
    if (Object.keys(content).length === 0) {
      if (/^\d+$/.test(status)) emptySuccess.push(Number(status));
    } else if (json !== undefined) {
      responseSchemas[status] = `${pointer}/content/${pointerToken(json)}/schema`;
    }
  }
  return { emptySuccess, responseSchemas };
}

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
      const { emptySuccess, responseSchemas } = describeResponses(document, operation.path, operation.method, (operation.operation.responses ?? {}) as Record<string, unknown>);
      // The media type the body must be sent in (the token endpoint: a form).
      const requestMediaType = Object.keys(operation.requestBody?.content ?? {})[0];
      // An operation's own server, else its path item's (servers at either level replace the document's).
      const pathItem = deref(document, document.paths![operation.path]!) as { servers?: { url: string }[] };
      const serverUrl = (operation.operation as { servers?: { url: string }[] }).servers?.[0]?.url ?? pathItem.servers?.[0]?.url;
      return {
        operationId: operation.operationId,
        method: operation.method.toUpperCase(),
        path: operation.path,
        authenticated: operation.security.length > 0,
        idempotencyKey: operation.idempotencyKeyHeader,
        ...(reference && rule ? { requestReference: { header: reference.name, pattern: rule.pattern, minLength: rule.minLength, maxLength: rule.maxLength } } : {}),
        ...(requestMediaType ? { requestMediaType } : {}),
        ...(emptySuccess.length > 0 ? { emptySuccess } : {}),
        ...(serverUrl !== undefined ? { serverUrl } : {}),
        responseSchemas,
      };
    }),
  };
}
