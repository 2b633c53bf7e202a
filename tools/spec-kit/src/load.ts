import { readFileSync } from 'node:fs';
import {
  httpMethods,
  type HttpMethod,
  type OpenApiDocument,
  type OperationObject,
  type ParameterObject,
  type RequestBodyObject,
  type ResponseObject,
} from './openapi.ts';

/** One operation of a bundled spec, with its local $refs resolved. */
export interface OperationInfo {
  operationId: string;
  method: HttpMethod;
  path: string;
  operation: OperationObject;
  parameters: ParameterObject[];
  requestBody?: RequestBodyObject;
  responses: Record<string, ResponseObject>;
  /** The security requirement alternatives in force ([] means none). */
  security: Record<string, string[]>[];
  /** The spec declares an `Idempotency-Key` header: calls may be retried under the same key. */
  idempotencyKeyHeader: boolean;
}

export function readBundle(file: string): OpenApiDocument {
  return JSON.parse(readFileSync(file, 'utf8')) as OpenApiDocument;
}

/** Follows a local `#/...` $ref (repeatedly) and returns the object it names. */
export function deref<T>(document: OpenApiDocument, value: T | { $ref: string }): T {
  let current: unknown = value;
  for (let hops = 0; isRef(current); hops++) {
    if (hops > 32) throw new Error(`$ref cycle at ${current.$ref}`);
    current = resolvePointer(document, current.$ref);
  }
  return current as T;
}

/**
 * The local JSON pointer (`#/...`, RFC 6901) of a place in a document, from its keys:
 * `pointerOf('paths', '/x/{id}', 'get')` is `#/paths/~1x~1{id}/get`. The inverse of the
 * segments {@link resolvePointer} reads.
 */
export function pointerOf(...segments: string[]): string {
  return `#/${segments.map((segment) => segment.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}

/**
 * The keys a local JSON pointer (`#/...`) names, decoded: `#/paths/~1x~1{id}/get` is
 * `['paths', '/x/{id}', 'get']`. The inverse of {@link pointerOf}.
 *
 * @throws {Error} the pointer is not local (`#/...`).
 */
export function pointerSegments(pointer: string): string[] {
  if (!pointer.startsWith('#/')) throw new Error(`Only local $refs are resolved in a bundle; got ${pointer}`);
  return pointer
    .slice(2)
    .split('/')
    .map((raw) => decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * The value a local JSON pointer names in `document`.
 *
 * @throws {Error} the pointer is not local (`#/...`), or names nothing.
 */
export function resolvePointer(document: OpenApiDocument, ref: string): unknown {
  let node: unknown = document;
  for (const key of pointerSegments(ref)) {
    if (node === null || typeof node !== 'object' || !(key in node)) throw new Error(`Unresolvable $ref ${ref}`);
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function isRef(value: unknown): value is { $ref: string } {
  return value !== null && typeof value === 'object' && typeof (value as { $ref?: unknown }).$ref === 'string';
}

/** Every operation of the document, in path order then method order. */
export function listOperations(document: OpenApiDocument): OperationInfo[] {
  const operations: OperationInfo[] = [];
  for (const [path, rawItem] of Object.entries(document.paths ?? {})) {
    const pathItem = deref(document, rawItem!);
    for (const method of httpMethods) {
      const operation = pathItem[method];
      if (!operation) continue;
      if (!operation.operationId) throw new Error(`${method.toUpperCase()} ${path} has no operationId`);
      const parameters = mergeParameters(
        (pathItem.parameters ?? []).map((p) => deref(document, p)),
        (operation.parameters ?? []).map((p) => deref(document, p)),
      );
      const responses = Object.fromEntries(
        Object.entries(operation.responses ?? {}).map(([status, response]) => [status, deref(document, response)]),
      );
      operations.push({
        operationId: operation.operationId,
        method,
        path,
        operation,
        parameters,
        requestBody: operation.requestBody ? deref(document, operation.requestBody) : undefined,
        responses,
        security: operation.security ?? document.security ?? [],
        idempotencyKeyHeader: parameters.some((p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key'),
      });
    }
  }
  return operations;
}

/** Operation parameters override path-item parameters of the same name and location. */
function mergeParameters(fromPath: ParameterObject[], fromOperation: ParameterObject[]): ParameterObject[] {
  const key = (p: ParameterObject) => `${p.in}:${p.name}`;
  const overridden = new Set(fromOperation.map(key));
  return [...fromPath.filter((p) => !overridden.has(key(p))), ...fromOperation];
}
