// pnpm spec-diff [--base <git ref>] [--format markdown|json]: what the spec changes since the base
// do to consumers, and the release each package needs.
import { formatJson, formatMarkdown } from '../format.ts';
import { resolveBase, repositoryRoot, reviewSpecs } from '../review.ts';
import { runCli, UsageError } from './usage.ts';

const usage = `usage: pnpm spec-diff [--base <git ref>] [--format markdown|json]

Compares the specs of the working tree with those at --base (default: the merge base with main)
and prints what changed for consumers and the release each package needs. Run it in the repository.`;

await runCli('spec-diff', usage, { base: { type: 'string' }, format: { type: 'string', default: 'markdown' } }, async (values) => {
  if (!['markdown', 'json'].includes(values.format!)) throw new UsageError('--format', 'one of markdown, json', `--format must be markdown or json, got "${values.format}"`);
  const repoRoot = repositoryRoot(process.cwd());
  const review = await reviewSpecs(repoRoot, resolveBase(repoRoot, values.base));
  process.stdout.write(values.format === 'json' ? formatJson(review) : formatMarkdown(review));
});
