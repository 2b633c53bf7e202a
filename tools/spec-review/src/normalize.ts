import type { OpenApiDocument } from '@carrier-api/spec-kit';

export const httpMethods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

type Json = Record<string, unknown>;
interface Parameter {
  name?: string;
  in?: string;
  $ref?: string;
}

/**
 * A copy of `document` with the pure refactorings that change nothing on the wire undone, so that
 * they are not judged as changes: path-item `parameters` are moved into each operation of the
 * path (an operation's own parameter of the same `name` and `in` wins, as OpenAPI says), and
 * each operation's parameters are put in one order (by `in`, then `name`). `$ref`
 * against inline needs nothing here: oasdiff compares resolved operations.
 *
 * @param document - A bundled document; it is not modified.
 * @returns The normalised copy; structurally equal copies mean the same requests and responses.
 */
export function normalizeDocument(document: OpenApiDocument): OpenApiDocument {
  const copy = structuredClone(document) as unknown as Json;
  const paths = (copy.paths ?? {}) as Record<string, Json>;
  for (const item of Object.values(paths)) {
    if (!item || typeof item !== 'object') continue;
    const shared = (Array.isArray(item.parameters) ? item.parameters : []) as Parameter[];
    delete item.parameters;
    for (const method of httpMethods) {
      const operation = item[method] as Json | undefined;
      if (!operation) continue;
      const own = (operation.parameters as Parameter[] | undefined) ?? [];
      const ownKeys = new Set(own.map((parameter) => parameterKey(copy, parameter)));
      const merged = [...shared.filter((parameter) => !ownKeys.has(parameterKey(copy, parameter))), ...own];
      // Parameters are named, not positional, on the wire and in generated code: a canonical order.
      merged.sort((a, b) => parameterKey(copy, a).localeCompare(parameterKey(copy, b)));
      if (merged.length > 0) operation.parameters = merged;
    }
  }
  return copy as unknown as OpenApiDocument;
}

/** `in:name` of a parameter, through its `$ref` (local refs only: bundles are self-contained). */
export function parameterKey(document: unknown, parameter: Parameter): string {
  const resolved = resolveLocalRef(document, parameter) as Parameter;
  return `${resolved?.in}:${resolved?.name}`;
}

/**
 * Follows local `$ref`s (`#/...`) until a value without one; at most 32 hops.
 *
 * @throws {Error} a `$ref` that is not local, points nowhere, or loops.
 */
export function resolveLocalRef(document: unknown, value: unknown): unknown {
  let current = value;
  for (let hop = 0; hop < 32; hop++) {
    if (!current || typeof current !== 'object' || typeof (current as { $ref?: unknown }).$ref !== 'string') return current;
    const ref = (current as { $ref: string }).$ref;
    if (!ref.startsWith('#/')) throw new Error(`$ref ${ref}: only local references are resolved (bundle the spec first)`);
    current = ref
      .slice(2)
      .split('/')
      .map((segment) => decodeURIComponent(segment).replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((node, segment) => (node && typeof node === 'object' ? (node as Json)[segment] : undefined), document);
    if (current === undefined) throw new Error(`$ref ${ref} points nowhere`);
  }
  throw new Error('$ref chain longer than 32 hops (a loop?)');
}
