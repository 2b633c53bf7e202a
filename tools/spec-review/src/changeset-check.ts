import readChangesets from '@changesets/read';
import { bumpAtLeast, type Bump } from './changes.ts';
import type { BumpReason, SpecReview } from './review.ts';

export interface MissingChangeset {
  name: string;
  needed: Bump;
  given: Bump;
  apis: string[];
  /** Which levels of the review ask for the bump: the wire, the generated code, the sandbox's behaviour (x-behaviour), the bundles' text alone. */
  because: BumpReason[];
}

/**
 * The packages a spec change affects whose pending changesets do not reach the bump it needs:
 * the same verdicts as `spec-diff` (wire and generated code), read from `review.packages`.
 *
 * @param repoRoot - The repository whose `.changeset/` is read.
 */
export async function findMissingChangesets(repoRoot: string, review: SpecReview): Promise<MissingChangeset[]> {
  const read = (readChangesets as unknown as { default?: typeof readChangesets }).default ?? readChangesets;
  const changesets = await read(repoRoot);
  const given = new Map<string, Bump>();
  for (const changeset of changesets) {
    for (const release of changeset.releases) {
      const type = release.type as Bump;
      if (!given.has(release.name) || bumpAtLeast(type, given.get(release.name)!)) given.set(release.name, type);
    }
  }
  return review.packages
    .filter((pkg) => !bumpAtLeast(given.get(pkg.name) ?? 'none', pkg.bump))
    .map((pkg) => ({ name: pkg.name, needed: pkg.bump, given: given.get(pkg.name) ?? 'none', apis: pkg.apis, because: pkg.because }));
}

const reasons: Record<BumpReason, string> = {
  wire: 'on the wire',
  code: 'in the generated code',
  behaviour: "in the sandbox's behaviour (x-behaviour)",
  bundle: "in its bundles' text only (x-behaviour re-wrapped, the same promises)",
};

/** Why, after the APIs: nothing more for the wire alone; "its generated code" for the code alone; else each level. */
function becauseOf(because: BumpReason[]): string {
  if (because.length === 1 && because[0] === 'wire') return '';
  if (because.length === 1 && because[0] === 'code') return '; its generated code';
  return `; ${because.map((reason) => reasons[reason]).join(' and ')}`;
}

/** One line per package: what it needs, why, and what it has. */
export function formatMissing(missing: MissingChangeset[]): string {
  return missing
    .map(
      (entry) =>
        `${entry.name} needs a ${entry.needed} changeset (spec change in ${entry.apis.join(', ')}${becauseOf(entry.because)}); it has ${entry.given === 'none' ? 'none' : `only a ${entry.given}`}. Run pnpm changeset.`,
    )
    .join('\n');
}
