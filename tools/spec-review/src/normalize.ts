import { deref, httpMethods, type OpenApiDocument } from '@carrier-api/spec-kit';

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
  const resolved = deref(document as OpenApiDocument, parameter) as Parameter;
  return `${resolved?.in}:${resolved?.name}`;
}
