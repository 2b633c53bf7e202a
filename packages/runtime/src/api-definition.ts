/** What the runtime needs to know of an API; generated from its spec into each client and SDK. */
export interface ApiDefinition {
  name: string;
  defaultBaseUrl: string;
  auth: { type: 'oauth2'; tokenUrl: string } | { type: 'apiKey'; header: string };
  operations: readonly OperationDefinition[];
}

export interface OperationDefinition {
  operationId: string;
  method: string;
  /** The path template of the spec, e.g. /auth/transactions/{transactionId}/pin */
  path: string;
  /** The operation takes credentials (false for the token endpoint). */
  authenticated: boolean;
  /** The spec declares an Idempotency-Key header. */
  idempotencyKey: boolean;
  /** A client-generated request reference header (MTN `transactionId`), with its rule. */
  requestReference?: { header: string; pattern: string; minLength: number; maxLength: number };
  /**
   * The media type the spec declares for the request body (`requestBody.content`), e.g.
   * `application/x-www-form-urlencoded` for the OAuth2 token endpoint. A JSON body a client hands
   * the carrier fetch for a form operation is sent as a form. Absent: JSON, or no body.
   */
  requestMediaType?: string;
  /**
   * The 2xx statuses the spec documents without a body (a `204`, or a `200` without `content`).
   * An empty answer with one of them is data `undefined`; an empty 2xx anywhere else cannot be
   * the documented data and ends in a CarrierParseError (`reason: 'empty'`).
   */
  emptySuccess?: readonly number[];
  /**
   * The operation's own server (`servers[0].url` of the operation or of its path item), used
   * when the caller gives no base URL; e.g. the Centili token endpoint on api.centili.com.
   */
  serverUrl?: string;
  /**
   * JSON pointers into the API's bundled spec of the JSON schema of each documented 2xx body, by
   * status as the spec writes it (`200`, `2XX`, `default`); what `validateResponses` checks.
   */
  responseSchemas?: Readonly<Record<string, string>>;
}

/**
 * Finds the operation a request is for: method, and the longest path template its path ends with.
 * The templates are compiled once and grouped by method; the answer for a path is cached (bounded).
 *
 * @param definition - The API.
 * @returns `(method, pathname) => operation | undefined`; `method` in any case.
 */
export function createOperationMatcher(definition: ApiDefinition) {
  const byMethod = new Map<string, { operation: OperationDefinition; pattern: RegExp }[]>();
  const sorted = [...definition.operations].sort((a, b) => b.path.length - a.path.length);
  for (const operation of sorted) {
    const method = operation.method.toUpperCase();
    const pattern = new RegExp(`${operation.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}/?$`);
    const list = byMethod.get(method) ?? [];
    list.push({ operation, pattern });
    byMethod.set(method, list);
  }
  const cache = new Map<string, OperationDefinition | undefined>();
  return (method: string, pathname: string): OperationDefinition | undefined => {
    const key = `${method} ${pathname}`;
    if (cache.has(key)) return cache.get(key);
    const candidates = byMethod.get(method.toUpperCase());
    const found = candidates?.find((candidate) => candidate.pattern.test(pathname))?.operation;
    // Paths carry ids (one per transaction): the cache is cleared rather than left to grow.
    if (cache.size >= 500) cache.clear();
    cache.set(key, found);
    return found;
  };
}
