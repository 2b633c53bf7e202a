import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, LineCounter, parseDocument } from 'yaml';
import { pointerSegments } from '@carrier-api/spec-kit';
import { behaviourFields, type BehaviourChange } from './behaviour-changes.ts';
import { bumpFor, type ChangeLevel, type SpecChange } from './changes.ts';
import type { CodeChange } from './code-changes.ts';
import { behaviourBumpOf, type ApiReview, type SpecReview } from './review.ts';
import { isSecurityChange, requirementText, type SecurityChange } from './security-changes.ts';

/** The hidden marker the PR workflow finds its own comment by, to update it instead of adding one. */
export const commentMarker = '<!-- carrier-api:spec-review -->';

const badge: Record<ChangeLevel, string> = { breaking: '🔴 breaking', warning: '🟡 warning', safe: '🟢 safe', docs: '📝 docs' };
const order: ChangeLevel[] = ['breaking', 'warning', 'safe', 'docs'];
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const byLevel = <T extends { level: ChangeLevel }>(changes: T[]) => [...changes].sort((a, b) => order.indexOf(a.level) - order.indexOf(b.level));
const inlineCode = (text: string) => `\`${text.replace(/`/g, "'")}\``;

/** What broke, for the heading: "the wire and the SDK's code", "the light client's code", "nothing". */
function brokenLevels(api: ApiReview): string {
  const broken = [
    ...(api.changes.some((change) => change.level === 'breaking') ? ['the wire'] : []),
    ...(api.code?.client.some((change) => change.level === 'breaking') ? ["the light client's code"] : []),
    ...(api.code?.sdk.some((change) => change.level === 'breaking') ? ["the SDK's code"] : []),
    ...(api.behaviour.some((change) => change.level === 'breaking') ? ["the sandbox's promise"] : []),
  ];
  return broken.length === 0 ? '' : `; breaks ${broken.join(' and ')}`;
}

/**
 * The PR comment: per changed API, the wire changes and the generated code's (with the old and
 * new signature), the release it needs and which level asks for it; then every package's bump.
 */
export function formatMarkdown(review: SpecReview): string {
  const lines = [commentMarker, '## Spec review', '', `Compared \`${review.head.slice(0, 40)}\` with \`${review.base.slice(0, 12)}\`.`, ''];
  const changed = review.apis.filter((api) => api.status !== 'unchanged');
  if (changed.length === 0) return [...lines, 'No spec changed.', ''].join('\n');
  for (const api of changed) {
    lines.push(`### \`${api.api}\`: ${api.status}, needs a **${api.bump}** release${brokenLevels(api)}`, '');
    if (api.changes.length === 0) {
      lines.push('**Wire**: no request or response changed, nor the generated code (only `x-behaviour` did).', '');
      if (api.bundleBump !== 'none') {
        lines.push(`**Bundles**: only the whitespace of \`x-behaviour\` changed (re-wrapped, the same promises); the text of the bundles \`@carrier-api/specs\` ships did change: ${api.bundleBump} for it, nothing for any other package.`, '');
      }
    } else {
      const [security, others] = [api.changes.filter(isSecurityChange), api.changes.filter((change) => !isSecurityChange(change))];
      if (others.length > 0) {
        lines.push(`**Wire** (requests and responses; needs ${api.wireBump}):`, '', '| | change | where |', '| --- | --- | --- |');
        for (const change of byLevel(others)) lines.push(`| ${badge[change.level]} | ${cell(change.text)} | ${cell(where(change))} |`);
        lines.push('');
      }
      lines.push(...securitySection(security));
    }
    lines.push(...behaviourSection(api));
    if (api.code) {
      for (const [label, changes, bump] of [
        [`light client \`@carrier-api/${api.api}\``, api.code.client, api.code.clientBump],
        [`SDK \`@carrier-api/${api.api}-sdk\``, api.code.sdk, api.code.sdkBump],
      ] as const) {
        if (changes.length === 0) {
          lines.push(`**Generated code, ${label}**: its exported types and methods are the same.`, '');
          continue;
        }
        lines.push(`**Generated code, ${label}** (needs ${bump}):`, '', '| | change | before | after |', '| --- | --- | --- | --- |');
        for (const change of byLevel(changes)) {
          lines.push(`| ${badge[change.level]} | ${cell(change.text)} | ${change.before ? cell(inlineCode(change.before)) : ''} | ${change.after ? cell(inlineCode(change.after)) : ''} |`);
        }
        lines.push('');
      }
    }
  }
  if (review.packages.length === 0) {
    lines.push('### Packages', '', 'No package built from these specs is in the repository (`packages/*/package.json`): no release to record.', '');
    return lines.join('\n');
  }
  lines.push('### Packages', '', '| package | bump | because of | level |', '| --- | --- | --- | --- |');
  for (const pkg of review.packages) lines.push(`| \`${pkg.name}\` | ${pkg.bump} | ${pkg.apis.join(', ')} | ${pkg.because.join(', ')} |`);
  lines.push('', 'Every package listed needs a changeset of at least that bump (`pnpm changeset`); `pnpm changeset:check` verifies it.', '');
  return lines.join('\n');
}

const where = (change: SpecChange) => (change.operation ? `\`${change.operation}\`${change.operationId ? ` (${change.operationId})` : ''}` : '');

/** An operation's security requirements are the value of a `security` key; anything else of a scheme is a value of its own. */
const isRequirementList = (change: SecurityChange, value: unknown): value is Record<string, string[]>[] => /\/security$/.test(change.pointer) && Array.isArray(value);

/** One side's value of a security change, for a reader: `a` or `b AND c`; `none (no credentials)`; a scheme's field as it is. */
function securityValue(change: SecurityChange, value: unknown, code: (text: string) => string): string {
  if (value === undefined) return '';
  if (isRequirementList(change, value)) return value.length === 0 ? 'none (no credentials)' : value.map((requirement) => code(requirementText(requirement))).join(' or ');
  return code(typeof value === 'string' ? value : JSON.stringify(value));
}

/**
 * The Security section of an API: each scheme or requirement change with where it is (the
 * operation, and the JSON pointer in the bundle) and its values before and after. Nothing when
 * none changed. Its bump is part of the wire's.
 */
function securitySection(changes: SecurityChange[]): string[] {
  if (changes.length === 0) return [];
  const lines = [`**Security** (how requests authenticate; part of the wire, needs ${bumpFor(changes)}):`, '', '| | change | where | before | after |', '| --- | --- | --- | --- | --- |'];
  for (const change of byLevel(changes)) {
    const at = `${where(change)}${change.operation ? ' at ' : ''}${inlineCode(change.pointer)}`;
    lines.push(`| ${badge[change.level]} | ${cell(change.text)} | ${cell(at)} | ${cell(securityValue(change, change.before, inlineCode))} | ${cell(securityValue(change, change.after, inlineCode))} |`);
  }
  return [...lines, ''];
}

/** How much of a behaviour text the PR comment shows; the JSON has it whole. */
const shownLength = 160;

/**
 * A behaviour text cut for the PR comment: from a little before where it starts to differ from
 * `other` (the other side's), so that the change is in view; `…` marks what was left out.
 */
export function shorten(text: string, other = text): string {
  let differs = 0;
  while (differs < text.length && text[differs] === other[differs]) differs += 1;
  let start = differs === text.length && text === other ? 0 : Math.max(0, differs - 40);
  if (start > 0) start = text.lastIndexOf(' ', start) + 1;
  const end = Math.min(text.length, start + shownLength);
  return `${start > 0 ? '…' : ''}${text.slice(start, end).trim()}${end < text.length ? '…' : ''}`;
}

/** One side's texts of a behaviour change, shortened: the changed fields (every field, when added or removed). */
function behaviourCell(change: BehaviourChange, side: 'before' | 'after'): string {
  const [texts, others] = side === 'before' ? [change.before, change.after] : [change.after, change.before];
  return behaviourFields
    .filter((field) => texts?.[field] !== undefined && change.fields.includes(field))
    .map((field) => `**${field}**: ${cell(shorten(texts![field]!, others?.[field]))}`)
    .join('<br>');
}

/** The Behaviour section of an API: nothing when no `x-behaviour` changed. */
function behaviourSection(api: ApiReview): string[] {
  if (api.behaviour.length === 0) return [];
  const lines = [
    `**Behaviour** (what the sandbox \`@carrier-api/mock\` promises, \`x-behaviour\`; needs ${behaviourBumpOf('@carrier-api/mock', api.behaviourBump)} for the mock, ${behaviourBumpOf('@carrier-api/reference', api.behaviourBump)} for \`@carrier-api/reference\`, a patch for \`@carrier-api/specs\`, nothing for the client and SDK):`,
    '',
    '| | change | where | before | after |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const change of byLevel(api.behaviour)) {
    lines.push(`| ${badge[change.level]} | ${cell(change.text)} | ${cell(where(change))} | ${behaviourCell(change, 'before')} | ${behaviourCell(change, 'after')} |`);
  }
  return [...lines, ''];
}

export const formatJson = (review: SpecReview) => `${JSON.stringify(review, null, 2)}\n`;

const command: Record<ChangeLevel, 'error' | 'warning' | 'notice'> = { breaking: 'error', warning: 'warning', safe: 'notice', docs: 'notice' };
/** GitHub's escaping of workflow-command data and properties. */
const escapeData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (text: string) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

/**
 * GitHub workflow annotations, one line per change: `::error file=specs/x/openapi.yaml,line=N,title=...::message`
 * (breaking: error, warning: warning, otherwise notice), placed on the line of the spec that
 * names the operation, path, parameter or schema when the head's entry file has it, else line 1.
 *
 * @param repoRoot - Where the files named in the review are (to find the lines).
 */
export function formatGithub(review: SpecReview, repoRoot: string): string {
  const lines: string[] = [];
  for (const api of review.apis.filter((candidate) => candidate.status !== 'unchanged')) {
    const file = api.file ?? `specs/${api.api}/openapi.yaml`;
    const text = existsSync(join(repoRoot, file)) ? readFileSync(join(repoRoot, file), 'utf8').split('\n') : [];
    const annotate = (level: ChangeLevel, title: string, message: string, hints: string[], line?: number) => {
      lines.push(`::${command[level]} file=${escapeProperty(file)},line=${line ?? lineOf(text, hints)},title=${escapeProperty(title)}::${escapeData(message)}`);
    };
    for (const change of api.changes) {
      if (!isSecurityChange(change)) {
        annotate(change.level, `${api.api}: ${change.level} on the wire (${change.rule})`, change.text, wireHints(change));
        continue;
      }
      const values = [`at: ${change.pointer}`, ...(['before', 'after'] as const).filter((side) => side in change).map((side) => `${side}: ${securityValue(change, change[side], (text) => text)}`)];
      const line = lineOfPointer(text, change.pointer);
      annotate(change.level, `${api.api}: ${change.level} on the wire (${change.rule})`, [change.text, ...values].join('\n'), line ? [] : wireHints(change), line);
    }
    for (const change of api.behaviour) {
      const texts = (['before', 'after'] as const).flatMap((side) => change.fields.filter((field) => change[side]?.[field] !== undefined).map((field) => `${side}, ${field}: ${change[side]![field]}`));
      annotate(change.level, `${api.api}: ${change.level} in the sandbox's behaviour (${change.rule})`, [change.text, ...texts].join('\n'), wireHints(change));
    }
    for (const [target, changes] of [['light client', api.code?.client ?? []], ['SDK', api.code?.sdk ?? []]] as const) {
      for (const change of changes) {
        const signatures = [change.before ? `before: ${change.before}` : '', change.after ? `after: ${change.after}` : ''].filter(Boolean).join('\n');
        annotate(change.level, `${api.api}: ${change.level} in the ${target}'s code (${change.rule})`, `${change.text}${signatures ? `\n${signatures}` : ''}`, codeHints(change));
      }
    }
  }
  const packages = review.packages.map((pkg) => `${pkg.name}: ${pkg.bump} (${pkg.because.join(' and ')})`).join(', ');
  if (packages) lines.push(`::notice title=${escapeProperty('spec-review: releases needed')}::${escapeData(packages)}`);
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

/** Strings that locate a wire change in the spec: the operation's path key, its operationId, quoted names. */
function wireHints(change: SpecChange): string[] {
  const quoted = [...change.text.matchAll(/`([^`]+)`/g)].map((match) => match[1]!.split('/').pop()!);
  const path = change.operation?.split(' ')[1];
  return [...(change.operationId ? [`operationId: ${change.operationId}`] : []), ...(path ? [`${path}:`] : []), ...quoted.map((name) => `${name}:`), ...quoted.map((name) => `name: ${name}`)];
}

/** Strings that locate a code change: the operation, path, parameter or schema its symbol is made of, in that order of preference. */
function codeHints(change: CodeChange): string[] {
  const skip = new Set(['interface', 'type', 'const', 'function', 'class', 'string', 'number', 'boolean', 'unknown', 'components', 'operations', 'paths', 'schemas', 'parameters', 'responses', 'content', 'Promise', 'runtime', 'requestParameters', 'initOverrides', 'RequestInit', 'InitOverrideFunction']);
  const names = [
    ...new Set(
      [change.after, change.before, change.symbol]
        .filter((text): text is string => Boolean(text))
        .flatMap((text) => [...text.matchAll(/"([^"]+)"|([A-Za-z_$][\w$]*)/g)].map((match) => match[1] ?? match[2]!))
        .filter((name) => !skip.has(name)),
    ),
  ];
  // The SDK's request object of an operation: `GetTransactionRequest` → `getTransaction`.
  const operations = names.flatMap((name) => [name, ...(/^[A-Z]\w*Request$/.test(name) ? [`${name.charAt(0).toLowerCase()}${name.slice(1, -'Request'.length)}`] : [])]);
  return [
    ...operations.map((name) => `operationId: ${name}`),
    ...names.filter((name) => name.startsWith('/')).map((name) => `${name}:`),
    ...names.map((name) => `name: ${name}`),
    ...names.map((name) => `${name}:`),
  ];
}

/**
 * The 1-based line of the key a JSON pointer of the bundle names in the entry file's text, or of
 * the deepest key of it the file has (a `$ref` to a shared file: the line that makes the
 * reference); undefined when the file has not even the first key (or is not YAML). A name can be
 * in many places of a spec (a scheme's in every requirement); a pointer names one.
 */
export function lineOfPointer(lines: string[], pointer: string): number | undefined {
  if (lines.length === 0) return undefined;
  const counter = new LineCounter();
  const document = parseDocument(lines.join('\n'), { lineCounter: counter });
  if (document.errors.length > 0) return undefined;
  let node: unknown = document.contents;
  let line: number | undefined;
  for (const key of pointerSegments(pointer)) {
    if (!isMap(node)) break;
    const pair = node.items.find((item) => String((item.key as { value?: unknown })?.value) === key);
    const range = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
    if (!pair || !range) break;
    line = counter.linePos(range[0]).line;
    node = pair.value;
  }
  return line;
}

/**
 * The 1-based line of the first hint found (a whole line after indentation), else 1. Of several
 * lines, the least indented: an operation's own `operationId` rather than a link's that names it.
 */
function lineOf(lines: string[], hints: string[]): number {
  for (const hint of hints) {
    let best: { index: number; indent: number } | undefined;
    lines.forEach((line, index) => {
      const trimmed = line.trim().replace(/^- /, '');
      const found = trimmed === hint || trimmed.startsWith(`${hint} `) || trimmed === hint.replace(/^([^:]+):$/, "'$1':");
      const indent = line.length - line.trimStart().length;
      if (found && (!best || indent < best.indent)) best = { index, indent };
    });
    if (best) return best.index + 1;
  }
  return 1;
}
