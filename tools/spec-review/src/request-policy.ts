import type { SpecChange } from './changes.ts';
import type { NarrowedKeyword, RequestNarrowing } from './request-narrowing.ts';

/** A pattern change of a request value that sampling could not compare, judged safe by a person. */
export interface AcceptedPatternChange {
  from: string;
  to: string;
  /** Why every value valid before is still valid (kept for the record). */
  reason: string;
}

/** The oasdiff rules that report each narrowing keyword (request side; the rule ids end like this). */
const families: Record<NarrowedKeyword, RegExp | undefined> = {
  pattern: /-pattern-(added|changed)$/,
  minLength: /-min-length-(increased|set)$/,
  maxLength: /-max-length-(decreased|set)$/,
  minimum: /-(exclusive-)?min-(increased|set)$/,
  maximum: /-(exclusive-)?max-(decreased|set)$/,
  multipleOf: /-multiple-of-(set|changed)$/,
  enum: /-(enum-value-removed|became-enum)$/,
  format: undefined,
  nullable: /-became-not-nullable$/,
  required: /(-became-required|^new-required-request-property)/,
  minItems: /-min-items-(increased|set)$/,
  maxItems: /-max-items-(decreased|set)$/,
  uniqueItems: /-unique-items-set$/,
  minProperties: /-min-properties-(increased|set)$/,
  maxProperties: /-max-properties-(decreased|set)$/,
  additionalProperties: undefined,
};

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Our rule on top of oasdiff: a change that narrows what a request may carry is breaking for that
 * request. Each narrowing either confirms an oasdiff change already rated breaking, raises the
 * oasdiff change that reports it (same operation, same keyword, same name) to breaking, or is added
 * as `request-constraint-narrowed`. A pattern change sampling could not compare is added as
 * `request-pattern-unverified` (breaking) unless a person accepted that exact change, then as
 * `request-pattern-accepted` (warning).
 *
 * @param changes - oasdiff's changes of one API; not modified.
 * @param narrowings - {@link requestNarrowings} of the same pair of documents.
 * @param accepted - Pattern changes a person judged not to narrow.
 * @returns The changes with narrowings applied.
 */
export function applyRequestNarrowings(changes: SpecChange[], narrowings: RequestNarrowing[], accepted: AcceptedPatternChange[] = []): SpecChange[] {
  const result = changes.map((change) => ({ ...change }));
  for (const narrowing of narrowings) {
    const where = { operation: narrowing.operation, ...(narrowing.operationId ? { operationId: narrowing.operationId } : {}) };
    if (narrowing.kind === 'unverified') {
      const acceptance = accepted.find((entry) => entry.from === narrowing.from && entry.to === narrowing.to);
      result.push(
        acceptance
          ? { rule: 'request-pattern-accepted', level: 'warning', text: `${narrowing.location}: ${narrowing.detail}; accepted in review: ${acceptance.reason}`, ...where }
          : {
              rule: 'request-pattern-unverified',
              level: 'breaking',
              text: `${narrowing.location}: ${narrowing.detail}; flagged for review as breaking until a person accepts it (tools/spec-review/accepted-changes.yaml)`,
              ...where,
            },
      );
      continue;
    }
    const family = families[narrowing.keyword];
    const quoted = new RegExp(`\`(?:[^\`]*[/.])?${escape(narrowing.name)}\``);
    const reporting = family
      ? result.filter((change) => change.operation === narrowing.operation && !change.rule.startsWith('response-') && family.test(change.rule) && quoted.test(change.text))
      : [];
    if (reporting.some((change) => change.level === 'breaking')) continue;
    if (reporting.length > 0) {
      for (const change of reporting) {
        change.level = 'breaking';
        change.text = `${change.text}: narrows what a request may carry (${narrowing.detail})`;
      }
      continue;
    }
    result.push({ rule: 'request-constraint-narrowed', level: 'breaking', text: `${narrowing.location}: ${narrowing.detail}`, ...where });
  }
  return result;
}
