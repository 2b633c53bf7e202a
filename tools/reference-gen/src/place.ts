import { methods, token, type InferredElement } from './inferred.ts';

/** Where a reader finds an inferred element on its API's page: what the summary of inferences links to. */
export interface Place {
  /**
   * The `data-section-id` the link goes to (Redoc scrolls to it on a hash change): the element's
   * own note, `inferred<pointer>` ({@link noteAnchor}), or, when Redoc shows no description of the
   * element, the section of an operation that shows the element, `operation/<operationId>`.
   */
  anchor: string;
  /** Set when the link goes to an operation the element's name does not already say: where the element is, in a reader's words. */
  where?: string;
}

/** The `data-section-id` of the note of the inferred element at `pointer` (the document's own is `inferred`). */
export const noteAnchor = (pointer: string): string => `inferred${pointer}`;

/** `#<anchor>` as an `href`: each pointer segment percent-encoded (`{id}` → `%7Bid%7D`); Redoc decodes it back. */
export const anchorHref = (anchor: string): string => `#${anchor.split('/').map(encodeURIComponent).join('/')}`;

/** One operation of a document, with every component it uses (through `$ref`s and security requirements). */
interface OperationUses {
  pointer: string;
  label: string;
  operationId?: string;
  /** Component roots, `/components/<type>/<name>`, and `/servers` when the document's servers are the operation's. */
  uses: Set<string>;
}

/**
 * Where each inferred element of `document` is shown, for the summary's links; `undefined` for an
 * element that is on no operation (an unused component, or no operation with an operationId to link to).
 */
export function placeInferred(document: Record<string, unknown>, inferred: InferredElement[]): (Place | undefined)[] {
  const operations = operationUses(document);
  return inferred.map((element) => placeOf(element, operations));
}

/** The element's note, if Redoc shows it, else the first operation the element belongs to or that uses it. */
function placeOf(element: InferredElement, operations: OperationUses[]): Place | undefined {
  const segments = element.pointer.split('/').slice(1);
  if (segments.length === 0 || (segments[0] === 'info' && segments.length === 1)) return { anchor: noteAnchor(element.pointer) };
  const owner =
    segments[0] === 'paths'
      ? (operations.find((operation) => element.pointer === operation.pointer || element.pointer.startsWith(`${operation.pointer}/`)) ??
        operations.find((operation) => operation.pointer.startsWith(`/paths/${segments[1]}/`)))
      : operations.find((operation) => operation.uses.has(`/${segments.slice(0, segments[0] === 'components' ? 3 : 1).join('/')}`));
  if (!owner?.operationId) return undefined;
  if (hasNoteInPlace(segments)) return { anchor: noteAnchor(element.pointer) };
  const anchor = `operation/${owner.operationId}`;
  // An element under /paths is named after its operation already (`POST /x 200 → getX`).
  if (segments[0] === 'paths') return { anchor };
  return { anchor, where: element.kind === 'server' ? `the URL list of ${owner.label}` : element.kind === 'security scheme' ? `Authorizations of ${owner.label}` : owner.label };
}

/**
 * Whether Redoc shows the description, hence the note, of the element at these pointer segments
 * wherever the element is on the page: operations, parameters, responses, request bodies,
 * behaviours and fields. It does not for servers (a closed drop-down), links, security schemes
 * (shown only once a reader opens an operation's Authorizations), nor for a schema's own
 * description where the schema is a whole body or a parameter's type (only where it is a field's
 * type): those link to their operation.
 */
function hasNoteInPlace(segments: string[]): boolean {
  const [top, , third, fourth] = segments;
  if (segments.at(-2) === 'properties') return true;
  if (top === 'paths') {
    if (segments.length === 3) return methods.has(third!);
    if (segments.length === 4) return fourth === 'requestBody' || fourth === 'x-behaviour';
    return segments.length === 5 && (fourth === 'parameters' || fourth === 'responses');
  }
  return top === 'components' && segments.length === 3 && ['parameters', 'responses', 'requestBodies'].includes(segments[1]!);
}

/** Every operation in document order, with the components it reaches. */
function operationUses(document: Record<string, unknown>): OperationUses[] {
  const components = (document.components ?? {}) as Record<string, Record<string, unknown>>;
  const found: OperationUses[] = [];
  for (const [path, item] of Object.entries((document.paths ?? {}) as Record<string, Record<string, unknown>>)) {
    for (const [method, operation] of Object.entries(item ?? {}) as [string, Record<string, unknown>][]) {
      if (!methods.has(method) || operation === null || typeof operation !== 'object') continue;
      const uses = new Set<string>();
      const visit = (node: unknown): void => {
        if (node === null || typeof node !== 'object') return;
        if (Array.isArray(node)) return node.forEach(visit);
        const ref = (node as { $ref?: unknown }).$ref;
        if (typeof ref === 'string' && ref.startsWith('#/components/')) {
          const [type, name] = ref.slice('#/components/'.length).split('/').map((segment) => decodeURIComponent(segment).replace(/~1/g, '/').replace(/~0/g, '~'));
          const root = `/components/${token(type!)}/${token(name!)}`;
          if (!uses.has(root)) {
            uses.add(root);
            visit(components[type!]?.[name!]);
          }
        }
        for (const value of Object.values(node)) visit(value);
      };
      visit(operation);
      visit(item.parameters);
      const security = (operation.security ?? document.security ?? []) as Record<string, unknown>[];
      for (const requirement of security) for (const scheme of Object.keys(requirement ?? {})) uses.add(`/components/securitySchemes/${token(scheme)}`);
      if (operation.servers === undefined && item.servers === undefined) uses.add('/servers');
      found.push({
        pointer: `/paths/${token(path)}/${method}`,
        label: `${method.toUpperCase()} ${path}`,
        ...(typeof operation.operationId === 'string' ? { operationId: operation.operationId } : {}),
        uses,
      });
    }
  }
  return found;
}
