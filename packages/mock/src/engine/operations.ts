import { transformOas3Operations } from '@stoplight/http-spec/oas3/operation';
import { bundleTarget, decycle } from '@stoplight/json';
import type { IHttpOperation } from '@stoplight/types';

/**
 * The operations of an OpenAPI 3 document in Prism's model (`IHttpOperation`, from
 * @stoplight/http-spec), as Prism's `getHttpOperationsFromSpec` makes them from a file: the
 * document's `$ref`s resolved, then each operation bundled with what it refers to. Runs in any
 * JavaScript runtime (no file or network access): the document must be self-contained, as the
 * bundles of @carrier-api/specs are; internal `$ref`s (`#/...`) only.
 *
 * @param document - A parsed OpenAPI 3.0 document.
 * @returns One operation per method and path, in the order of the document.
 * @throws Error naming the `$ref` when one points outside the document or at nothing.
 */
export function operationsFromDocument(document: object): IHttpOperation[] {
  const resolved = decycle(dereference(document)) as Record<string, unknown>;
  return transformOas3Operations(resolved as never).map((operation) =>
    bundleTarget({ document: { ...resolved, __target__: operation }, path: '#/__target__', cloneDocument: false }) as IHttpOperation,
  );
}

/**
 * The document with every internal `$ref` replaced by what it points at; a value referred to
 * twice is the same object twice (as json-schema-ref-parser's `dereference` does), and a cycle
 * stays a cycle (decycle turns it back into a `$ref`).
 */
function dereference(document: object): unknown {
  const done = new Map<unknown, unknown>();
  const byPointer = new Map<string, unknown>();
  const at = (pointer: string): unknown => {
    if (!pointer.startsWith('#')) throw new Error(`The $ref "${pointer}" points outside the document; bundle the spec first.`);
    let node: unknown = document;
    for (const token of pointer.slice(1).split('/').slice(1)) {
      const key = decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~');
      if (typeof node !== 'object' || node === null || !(key in node)) throw new Error(`The $ref "${pointer}" points at nothing.`);
      node = (node as Record<string, unknown>)[key];
    }
    return node;
  };
  const walk = (node: unknown): unknown => {
    if (typeof node !== 'object' || node === null) return node;
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === 'string') {
      if (!byPointer.has(ref)) {
        byPointer.set(ref, undefined);
        byPointer.set(ref, walk(at(ref)));
      }
      return byPointer.get(ref) ?? at(ref);
    }
    if (done.has(node)) return done.get(node);
    const copy: Record<string, unknown> | unknown[] = Array.isArray(node) ? [] : {};
    done.set(node, copy);
    for (const [key, value] of Object.entries(node)) (copy as Record<string, unknown>)[key] = walk(value);
    return copy;
  };
  return walk(document);
}
