import { inferredNote, inlineHtml } from './html.ts';
import { methods, token } from './inferred.ts';
import { noteAnchor } from './place.ts';

/** What the sandbox (@carrier-api/mock) promises for one operation: its `x-behaviour`. */
export interface Behaviour {
  /** JSON pointer of the operation, e.g. `/paths/~1auth~1transactions/post`. */
  pointer: string;
  /** The operation's path and method: `/auth/transactions`, `post`. */
  path: string;
  method: string;
  /** `POST /auth/transactions`. */
  label: string;
  operationId?: string;
  /** The vendor sentence(s) implemented, starting with the document's number: `001 "Submit PIN" …`. */
  implements: string;
  /** What the sandbox decides where the document is silent, if anything. */
  inferred?: string;
}

/** Every operation of a bundled OpenAPI document that carries `x-behaviour`, in document order. */
export function listBehaviour(document: Record<string, unknown>): Behaviour[] {
  const found: Behaviour[] = [];
  for (const [path, item] of Object.entries((document.paths ?? {}) as Record<string, Record<string, unknown>>)) {
    for (const [method, operation] of Object.entries(item ?? {}) as [string, Record<string, unknown> | undefined][]) {
      if (!methods.has(method)) continue;
      const behaviour = operation?.['x-behaviour'] as Record<string, unknown> | undefined;
      if (!behaviour || typeof behaviour !== 'object') continue;
      found.push({
        pointer: `/paths/${token(path)}/${method}`,
        path,
        method,
        label: `${method.toUpperCase()} ${path}`,
        ...(typeof operation!.operationId === 'string' ? { operationId: operation!.operationId } : {}),
        implements: String(behaviour.implements ?? ''),
        ...(typeof behaviour['x-inferred'] === 'string' ? { inferred: behaviour['x-inferred'] } : {}),
      });
    }
  }
  return found;
}

/**
 * The visible section of an operation's description that says what the sandbox promises: the
 * vendor sentence(s) it implements, quoted as the spec quotes them (document number apart), and
 * what it decides itself, as an "Inferred" note like every other inferred element of the page.
 * One raw HTML block: the sentences' quotes, `|`, `…` and backticks are shown as written. With the
 * operation's `pointer`, the note carries the anchor the summary of inferences links to.
 */
export function behaviourSection(behaviour: Pick<Behaviour, 'implements' | 'inferred'> & { pointer?: string }): string {
  const [, document, sentences] = /^(\d{3}(?:\/\d{3})*):?\s+([\s\S]*)$/.exec(behaviour.implements.trim()) ?? [undefined, undefined, behaviour.implements];
  const source = document ? ` (vendor document ${document})` : '';
  return [
    '<div class="carrier-behaviour">',
    '<p><strong>Behaviour (sandbox)</strong>: what <code>carrier-mock --sandbox</code> does for this operation.</p>',
    `<p class="carrier-implements"><strong>Implements</strong>${source}: ${inlineHtml(sentences ?? '')}</p>`,
    ...(behaviour.inferred ? [inferredNote(behaviour.inferred, behaviour.pointer === undefined ? undefined : noteAnchor(`${behaviour.pointer}/x-behaviour`))] : []),
    '</div>',
  ].join('\n');
}

/**
 * Redoc hides `x-` extensions: each operation with `x-behaviour` gets {@link behaviourSection}
 * after its own description.
 *
 * @returns a copy of `document`; the input is not changed.
 */
export function annotateBehaviour(document: Record<string, unknown>, behaviours: Behaviour[] = listBehaviour(document)): Record<string, unknown> {
  const copy = structuredClone(document);
  const paths = copy.paths as Record<string, Record<string, Record<string, unknown>>>;
  for (const behaviour of behaviours) {
    const operation = paths[behaviour.path]![behaviour.method]!;
    const section = behaviourSection(behaviour);
    operation.description = typeof operation.description === 'string' && operation.description !== '' ? `${operation.description}\n\n${section}` : section;
  }
  return copy;
}
