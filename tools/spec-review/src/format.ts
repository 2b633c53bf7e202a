import type { ChangeLevel } from './changes.ts';
import type { SpecReview } from './review.ts';

/** The hidden marker the PR workflow finds its own comment by, to update it instead of adding one. */
export const commentMarker = '<!-- carrier-api:spec-review -->';

const badge: Record<ChangeLevel, string> = { breaking: '🔴 breaking', warning: '🟡 warning', safe: '🟢 safe', docs: '📝 docs' };
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function formatMarkdown(review: SpecReview): string {
  const lines = [commentMarker, '## Spec review', '', `Compared with \`${review.base.slice(0, 12)}\`.`, ''];
  const changed = review.apis.filter((api) => api.status !== 'unchanged');
  if (changed.length === 0) return [...lines, 'No spec changed.', ''].join('\n');
  for (const api of changed) {
    lines.push(`### \`${api.api}\`: ${api.status}, needs a **${api.bump}** release`, '', '| | change | where |', '| --- | --- | --- |');
    const order: ChangeLevel[] = ['breaking', 'warning', 'safe', 'docs'];
    for (const change of [...api.changes].sort((a, b) => order.indexOf(a.level) - order.indexOf(b.level))) {
      const where = change.operation ? `\`${change.operation}\`${change.operationId ? ` (${change.operationId})` : ''}` : '';
      lines.push(`| ${badge[change.level]} | ${cell(change.text)} | ${cell(where)} |`);
    }
    lines.push('');
  }
  lines.push('### Packages', '', '| package | bump | because of |', '| --- | --- | --- |');
  for (const pkg of review.packages) lines.push(`| \`${pkg.name}\` | ${pkg.bump} | ${pkg.apis.join(', ')} |`);
  lines.push('', 'Every package listed needs a changeset of at least that bump (`pnpm changeset`); `pnpm changeset:check` verifies it.', '');
  return lines.join('\n');
}

export const formatJson = (review: SpecReview) => `${JSON.stringify(review, null, 2)}\n`;
