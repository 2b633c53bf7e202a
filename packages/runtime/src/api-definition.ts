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
