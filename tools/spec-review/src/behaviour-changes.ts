import { deref, httpMethods, type OpenApiDocument } from '@carrier-api/spec-kit';
import type { SpecChange } from './changes.ts';

/** The two texts of an operation's `x-behaviour`: the vendor sentence it implements, and what the sandbox decides where the document is silent. */
export interface Behaviour {
  implements?: string;
  'x-inferred'?: string;
}

export const behaviourFields = ['implements', 'x-inferred'] as const;
export type BehaviourField = (typeof behaviourFields)[number];

/** An operation's `x-behaviour` added, removed or changed: what the sandbox (`@carrier-api/mock`) promises its users, invisible on the wire. */
export interface BehaviourChange extends SpecChange {
  rule: 'behaviour-added' | 'behaviour-removed' | 'behaviour-changed';
  /** `POST /path`, as the wire's changes name it. */
  operation: string;
  /** The fields whose text differs (all that either side has, when added or removed). */
  fields: BehaviourField[];
  /** The whole texts, absent when added. */
  before?: Behaviour;
  /** The whole texts, absent when removed. */
  after?: Behaviour;
}

type Operation = { operationId?: string; 'x-behaviour'?: Behaviour } & Record<string, unknown>;
type PathItem = Record<string, unknown> & { $ref?: string };

/** Each operation of a bundle, by `METHOD /path`; a path item given as a local `$ref` is followed. */
function operationsOf(document: OpenApiDocument | undefined): Map<string, Operation> {
  const operations = new Map<string, Operation>();
  if (!document) return operations;
  for (const [path, item] of Object.entries((document.paths ?? {}) as Record<string, PathItem>)) {
    const resolved = deref<PathItem | undefined>(document, item);
    for (const method of httpMethods) {
      const operation = resolved?.[method];
      if (operation && typeof operation === 'object') operations.set(`${method.toUpperCase()} ${path}`, operation as Operation);
    }
  }
  return operations;
}

/** A text as the sandbox's users read it: YAML folding or re-indenting a paragraph is no change of promise. */
const normalText = (text: string | undefined) => text?.replace(/\s+/g, ' ').trim() || undefined;

/** The `x-behaviour` of an operation, its texts normalised; undefined when it has none. */
function behaviourOf(operation: Operation | undefined): Behaviour | undefined {
  const behaviour = operation?.['x-behaviour'];
  if (!behaviour || typeof behaviour !== 'object') return undefined;
  const texts = Object.fromEntries(behaviourFields.flatMap((field) => (normalText(behaviour[field]) ? [[field, normalText(behaviour[field])]] : [])));
  return texts as Behaviour;
}

/**
 * Release rule of a behaviour change (see README, "Behaviour"). Why these levels:
 * - added (safe → minor): the sandbox promises something new, as an operation added on the wire;
 * - changed (warning → minor): the sandbox keeps a promise, in other words or with another
 *   decision; a team's CI may have asserted the old one, yet the review cannot tell a reworded
 *   sentence from a new rule, so a person judges it, as for the wire's warnings (the changeset may
 *   well be major);
 * - removed (breaking → major): the sandbox no longer keeps the promise (the mock holds every
 *   rule to its sentence, so the rule goes with it), and a team whose CI relied on it has nothing
 *   left to rely on: the same as an operation removed from the wire, and more than a changed one.
 *   That is the mock's bump; `@carrier-api/reference`, which only shows the promise on a page,
 *   takes at most a minor (behaviourBumpOf in review.ts).
 */
const levels = { 'behaviour-added': 'safe', 'behaviour-changed': 'warning', 'behaviour-removed': 'breaking' } as const;

/**
 * What changed in the `x-behaviour` of each operation between two bundles of one API. oasdiff's
 * changelog has no rule for a changed extension, and the wire's review drops `x-behaviour`
 * ({@link withoutBehaviour}): these are the only report of it.
 */
export function behaviourChanges(base: OpenApiDocument | undefined, revision: OpenApiDocument | undefined): BehaviourChange[] {
  const [before, after] = [operationsOf(base), operationsOf(revision)];
  const changes: BehaviourChange[] = [];
  for (const operation of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const [old, now] = [behaviourOf(before.get(operation)), behaviourOf(after.get(operation))];
    if (!old && !now) continue;
    const fields = behaviourFields.filter((field) => old?.[field] !== now?.[field]);
    if (fields.length === 0) continue;
    const rule = !old ? 'behaviour-added' : !now ? 'behaviour-removed' : 'behaviour-changed';
    const operationId = after.get(operation)?.operationId ?? before.get(operation)?.operationId;
    const what = rule === 'behaviour-changed' ? `${fields.map((field) => `\`${field}\``).join(' and ')} changed` : rule === 'behaviour-added' ? 'added' : 'removed: the sandbox no longer promises it';
    changes.push({
      rule,
      level: levels[rule],
      text: `the sandbox's behaviour (x-behaviour) of ${operation} ${what}`,
      operation,
      ...(operationId ? { operationId } : {}),
      fields,
      ...(old ? { before: old } : {}),
      ...(now ? { after: now } : {}),
    });
  }
  return changes;
}

/** A copy of a bundle without any operation's `x-behaviour`: what the wire and the generated code are judged on. */
export function withoutBehaviour(document: OpenApiDocument): OpenApiDocument {
  const copy = structuredClone(document) as { paths?: Record<string, PathItem>; components?: { pathItems?: Record<string, PathItem> } };
  // Path items reached by a local $ref (components/pathItems) carry operations too.
  for (const item of [...Object.values(copy.paths ?? {}), ...Object.values(copy.components?.pathItems ?? {})]) {
    for (const method of httpMethods) delete (item?.[method] as Operation | undefined)?.['x-behaviour'];
  }
  return copy as OpenApiDocument;
}
