import { isDeepStrictEqual } from 'node:util';
import type { SpecChange } from './changes.ts';

type Document = {
  servers?: { url: string }[];
  components?: { schemas?: Record<string, unknown> };
} & Record<string, unknown>;

/**
 * What oasdiff does not report: servers, named schemas (generated clients export them as types,
 * so a rename is not a removal but still changes a name), and changes to descriptions and
 * examples only.
 *
 * @param sameWhenNormalised - The documents differ only by a refactoring `normalizeDocument` undoes.
 */
export function documentChanges(base: Document, revision: Document, operationChanges: SpecChange[], sameWhenNormalised = false): SpecChange[] {
  const changes: SpecChange[] = [...serverChanges(base, revision), ...schemaChanges(base, revision)];
  if (changes.length === 0 && operationChanges.length === 0 && !isDeepStrictEqual(base, revision)) {
    changes.push(
      sameWhenNormalised
        ? { rule: 'document-restructured', level: 'docs', text: 'the document was restructured (such as path-item parameters moved into operations); requests and responses are the same on the wire' }
        : { rule: 'documentation-changed', level: 'docs', text: 'descriptions, examples or other documentation changed; no request or response did on the wire' },
    );
  }
  return changes;
}

function serverChanges(base: Document, revision: Document): SpecChange[] {
  const before = (base.servers ?? []).map((server) => server.url);
  const after = (revision.servers ?? []).map((server) => server.url);
  const changes: SpecChange[] = [];
  if (before[0] !== undefined && after[0] !== before[0]) {
    changes.push({ rule: 'server-default-changed', level: 'warning', text: `the default server (clients' default baseUrl) changed from ${before[0]} to ${after[0] ?? 'none'}` });
  }
  for (const url of before.filter((url) => !after.includes(url))) changes.push({ rule: 'server-removed', level: 'warning', text: `server ${url} removed` });
  for (const url of after.filter((url) => !before.includes(url))) changes.push({ rule: 'server-added', level: 'safe', text: `server ${url} added` });
  return changes;
}

function schemaChanges(base: Document, revision: Document): SpecChange[] {
  const before = base.components?.schemas ?? {};
  const after = revision.components?.schemas ?? {};
  const removed = Object.keys(before).filter((name) => !(name in after));
  const added = Object.keys(after).filter((name) => !(name in before));
  const changes: SpecChange[] = [];
  for (const name of removed) {
    // Same content under a new name: moved, not removed. $refs to it were rewritten, so the
    // operations did not change, but the exported type name did.
    const movedTo = added.find((candidate) => isDeepStrictEqual(withoutRefs(before[name]), withoutRefs(after[candidate])));
    if (movedTo) {
      added.splice(added.indexOf(movedTo), 1);
      changes.push({ rule: 'schema-renamed', level: 'warning', text: `schema ${name} renamed to ${movedTo}: its exported type name changes` });
    } else {
      changes.push({ rule: 'schema-removed', level: 'warning', text: `schema ${name} removed: its exported type is gone` });
    }
  }
  for (const name of added) changes.push({ rule: 'schema-added', level: 'safe', text: `schema ${name} added` });
  return changes;
}

/** A schema's content, with $ref targets reduced to "a ref", so that renamed neighbours do not hide a move. */
function withoutRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutRefs);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, key === '$ref' ? '#ref' : withoutRefs(child)]));
}
