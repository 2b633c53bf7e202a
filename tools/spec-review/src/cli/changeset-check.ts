// pnpm changeset:check [--base <git ref>]: fails when a spec change lacks a changeset of at least
// the bump it needs, naming the package and the bump.
import { parseArgs } from 'node:util';
import { findMissingChangesets, formatMissing } from '../changeset-check.ts';
import { defaultBaseRef, repositoryRoot, reviewSpecs } from '../review.ts';

const { values } = parseArgs({ options: { base: { type: 'string' } } });
const repoRoot = repositoryRoot(process.cwd());
try {
  const review = await reviewSpecs(repoRoot, values.base ?? defaultBaseRef(repoRoot));
  const missing = await findMissingChangesets(repoRoot, review);
  if (missing.length > 0) {
    console.error(formatMissing(missing));
    process.exit(1);
  }
  console.log(review.packages.length === 0 ? 'changeset:check: no spec changed' : `changeset:check: ${review.packages.length} affected package(s) have their changesets`);
} catch (error) {
  console.error(`changeset:check: ${(error as Error).message}`);
  process.exit(1);
}
