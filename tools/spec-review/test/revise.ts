import type { OpenApiDocument } from '@carrier-api/spec-kit';

/** A fixture's edit, at a JSON pointer: `set` creates or replaces, `remove` deletes, `rename` moves a key. */
export type Edit = { set: string; value: unknown } | { remove: string } | { rename: string; to: string };

/** The revision: a copy of `document` with the fixture's edits. */
export function revise(document: unknown, edits: Edit[]): OpenApiDocument {
  const copy = structuredClone(document) as Record<string, unknown>;
  for (const edit of edits) {
    const pointer = 'set' in edit ? edit.set : 'remove' in edit ? edit.remove : edit.rename;
    const segments = pointer.slice(1).split('/').map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = segments.pop()!;
    const parent = segments.reduce<Record<string, unknown>>((node, segment) => (node[segment] ??= {}) as Record<string, unknown>, copy);
    if ('set' in edit) parent[last] = edit.value;
    else if ('remove' in edit) Array.isArray(parent) ? parent.splice(Number(last), 1) : delete parent[last];
    else {
      parent[edit.to] = parent[last];
      delete parent[last];
    }
  }
  return copy as unknown as OpenApiDocument;
}
