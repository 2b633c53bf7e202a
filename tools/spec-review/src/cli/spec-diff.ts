// pnpm spec-diff [--base <git ref>] [--format markdown|json]: what the spec changes since the base
// do to consumers, and the release each package needs.
import { parseArgs } from 'node:util';
import { formatJson, formatMarkdown } from '../format.ts';
import { defaultBaseRef, repositoryRoot, reviewSpecs } from '../review.ts';

const { values } = parseArgs({ options: { base: { type: 'string' }, format: { type: 'string', default: 'markdown' } } });
if (!['markdown', 'json'].includes(values.format!)) {
  console.error(`--format must be markdown or json, got "${values.format}"`);
  process.exit(2);
}
const repoRoot = repositoryRoot(process.cwd());
try {
  const review = await reviewSpecs(repoRoot, values.base ?? defaultBaseRef(repoRoot));
  process.stdout.write(values.format === 'json' ? formatJson(review) : formatMarkdown(review));
} catch (error) {
  console.error(`spec-diff: ${(error as Error).message}`);
  process.exit(1);
}
