/** The parts of a bundled OpenAPI 3.0 document the table reads. */
export interface SpecDocument {
  servers?: { url: string }[];
  paths: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown>>;
}

interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  example?: unknown;
  examples?: Record<string, { value?: unknown; $ref?: string }>;
  schema?: { example?: unknown };
}

/** One operation of a spec, with the request the table sends (built from the spec's examples). */
export interface OperationCase {
  operationId: string;
  method: string;
  /** The path template, e.g. `/auth/transactions/{transactionId}/release`. */
  template: string;
  /** The path as sent, the path parameters' examples filled in. */
  path: string;
  pathParams: Record<string, string>;
  query: Record<string, string>;
  /** Header parameters with an example, but not Idempotency-Key: the runtime makes one. */
  headers: Record<string, string>;
  /** The request body example, and the media type the spec declares for it. */
  body: unknown;
  requestMediaType: string | undefined;
  /** The example of the documented 2xx body (what a conforming server answers). */
  successBody: unknown;
  /** The operation's or its path's own server, when the spec declares one. */
  serverUrl: string | undefined;
  /** The operation declares an Idempotency-Key header. */
  idempotencyKey: boolean;
}

const methods = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** Follows local `$ref`s (bounded: a bundle's refs form no cycle at these places). */
function deref<T>(document: SpecDocument, value: T): T {
  let current: unknown = value;
  for (let hops = 0; hops < 20 && current && typeof current === 'object' && typeof (current as { $ref?: unknown }).$ref === 'string'; hops += 1) {
    const pointer = (current as { $ref: string }).$ref.replace(/^#\//, '').split('/');
    current = pointer.reduce<unknown>((node, token) => (node as Record<string, unknown>)[token.replace(/~1/g, '/').replace(/~0/g, '~')], document);
  }
  return current as T;
}

/** The first example of a media type or parameter object (`example`, then `examples`, then the schema's). */
function exampleOf(document: SpecDocument, holder: { example?: unknown; examples?: Record<string, unknown>; schema?: { example?: unknown } } | undefined): unknown {
  if (!holder) return undefined;
  if (holder.example !== undefined) return holder.example;
  const first = holder.examples ? Object.values(holder.examples)[0] : undefined;
  if (first !== undefined) return deref(document, first as { value?: unknown }).value;
  return deref(document, holder.schema)?.example;
}

/**
 * One case per operation of `document`: the request from the spec's examples (path, query and
 * header parameters, body) and the example 2xx body.
 *
 * @throws Error naming the operation when a required parameter has no example (the table could
 *   not call it; the spec should give one).
 */
export function buildOperationCases(document: SpecDocument): OperationCase[] {
  const cases: OperationCase[] = [];
  for (const [template, rawItem] of Object.entries(document.paths)) {
    const item = deref(document, rawItem) as Record<string, unknown> & { parameters?: ParameterObject[]; servers?: { url: string }[] };
    for (const method of methods) {
      const operation = item[method] as
        | { operationId: string; parameters?: ParameterObject[]; requestBody?: unknown; responses: Record<string, unknown>; servers?: { url: string }[] }
        | undefined;
      if (!operation) continue;
      const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])].map((parameter) => deref(document, parameter));
      const pathParams: Record<string, string> = {};
      const query: Record<string, string> = {};
      const headers: Record<string, string> = {};
      for (const parameter of parameters) {
        const example = exampleOf(document, parameter);
        if (example === undefined) {
          if (parameter.required) throw new Error(`${operation.operationId}: required ${parameter.in} parameter ${parameter.name} has no example`);
          continue;
        }
        if (parameter.in === 'path') pathParams[parameter.name] = String(example);
        else if (parameter.in === 'query') query[parameter.name] = String(example);
        else if (parameter.in === 'header' && parameter.name.toLowerCase() !== 'idempotency-key') headers[parameter.name] = String(example);
      }
      const requestBody = deref(document, operation.requestBody) as { content?: Record<string, { example?: unknown; examples?: Record<string, unknown> }> } | undefined;
      const [requestMediaType, media] = Object.entries(requestBody?.content ?? {})[0] ?? [];
      const success = Object.entries(operation.responses).find(([status]) => /^2/.test(status));
      const successResponse = success ? (deref(document, success[1]) as { content?: Record<string, { example?: unknown; examples?: Record<string, unknown> }> }) : undefined;
      const successMedia = Object.values(successResponse?.content ?? {})[0];
      cases.push({
        operationId: operation.operationId,
        method: method.toUpperCase(),
        template,
        path: template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(pathParams[name] ?? '')),
        pathParams: pathParams,
        query,
        headers,
        body: exampleOf(document, media),
        requestMediaType,
        successBody: exampleOf(document, successMedia),
        serverUrl: operation.servers?.[0]?.url ?? item.servers?.[0]?.url,
        idempotencyKey: parameters.some((parameter) => parameter.in === 'header' && parameter.name.toLowerCase() === 'idempotency-key'),
      });
    }
  }
  return cases;
}
