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

/** Finds the operation a request is for: method, and the longest path template its path ends with. */
export function createOperationMatcher(definition: ApiDefinition) {
  const candidates = definition.operations
    .map((operation) => ({
      operation,
      pattern: new RegExp(`${operation.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}/?$`),
    }))
    .sort((a, b) => b.operation.path.length - a.operation.path.length);
  return (method: string, pathname: string): OperationDefinition | undefined =>
    candidates.find((candidate) => candidate.operation.method === method.toUpperCase() && candidate.pattern.test(pathname))
      ?.operation;
}
