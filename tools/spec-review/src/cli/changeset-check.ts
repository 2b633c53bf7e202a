// pnpm changeset:check [--base <git ref>]: fails when a spec change lacks a changeset of at least
// the bump it needs, naming the package and the bump.
import { findMissingChangesets, formatMissing } from '../changeset-check.ts';
import { resolveBase, repositoryRoot, reviewSpecs } from '../review.ts';
import { runCommand } from '@carrier-api/spec-kit/command';
import { invocationDir } from './invocation-dir.ts';

const usage = `usage: pnpm changeset:check [--base <git ref>]

Fails (exit 1) when a package whose spec changed since --base (default: the merge base with main)
has no pending changeset of the bump the change needs. Run it in the repository.`;

await runCommand({ name: 'changeset:check', usage, options: { base: { type: 'string' } } }, async (values) => {
  const repoRoot = repositoryRoot(invocationDir('changeset:check'));
  const review = await reviewSpecs(repoRoot, resolveBase(repoRoot, values.base));
  const missing = await findMissingChangesets(repoRoot, review);
  if (missing.length > 0) {
    console.error(formatMissing(missing));
    process.exitCode = 1;
    return;
  }
  console.log(review.packages.length === 0 ? 'changeset:check: no spec changed' : `changeset:check: ${review.packages.length} affected package(s) have their changesets`);
});
