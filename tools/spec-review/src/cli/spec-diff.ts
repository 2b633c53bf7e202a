// pnpm spec-diff [--base <ref>] [--head <ref>] [--format markdown|json|github] [<base spec> <head spec>]:
// what the spec changes do to consumers, on the wire and in the generated code, and the release
// each package needs.
import { formatGithub, formatJson, formatMarkdown } from '../format.ts';
import { repositoryRoot, resolveBase, resolveRef, reviewFiles, reviewSpecs } from '../review.ts';
import { runCommand, UsageError } from '@carrier-api/spec-kit/command';
import { invocationDir } from './invocation-dir.ts';

const usage = `usage: pnpm spec-diff [--base <git ref>] [--head <git ref>] [--format markdown|json|github] [--wire-only]
       pnpm spec-diff [--format markdown|json|github] [--wire-only] <base spec> <head spec>

Compares the specs of --head (default: the working tree) with those at --base (default: the merge
base with main), or two spec files, on the wire and in the generated light client and SDK, and
prints what changed for consumers and the release each package needs. Run it in a repository
that keeps its specs in specs/<api>/openapi.yaml; paths are printed relative to it.`;

await runCommand(
  {
    name: 'spec-diff',
    usage,
    options: { base: { type: 'string' }, head: { type: 'string' }, format: { type: 'string', default: 'markdown' }, 'wire-only': { type: 'boolean', default: false } },
    positionals: { max: 2 },
  },
  async (values, files) => {
    if (!['markdown', 'json', 'github'].includes(values.format!)) throw new UsageError('--format', 'one of markdown, json, github', `--format must be markdown, json or github, got "${values.format}"`);
    if (files.length === 1) throw new UsageError('<head spec>', 'two files', `one spec file given (${files[0]}): pass the base spec and the head spec`);
    if (files.length === 2 && (values.base !== undefined || values.head !== undefined)) throw new UsageError('--base', 'files or refs', 'pass two spec files or --base/--head, not both');
    const cwd = invocationDir('spec-diff');
    const options = { code: !values['wire-only'] };
    let repoRoot: string;
    let review;
    if (files.length === 2) {
      repoRoot = repositoryRoot(cwd, { required: false });
      review = await reviewFiles(repoRoot, cwd, files[0]!, files[1]!, options);
    } else {
      repoRoot = repositoryRoot(cwd);
      const head = values.head === undefined ? undefined : resolveRef(repoRoot, values.head, '--head');
      review = await reviewSpecs(repoRoot, resolveBase(repoRoot, values.base), head, options);
    }
    process.stdout.write(values.format === 'json' ? formatJson(review) : values.format === 'github' ? formatGithub(review, repoRoot) : formatMarkdown(review));
  },
);
