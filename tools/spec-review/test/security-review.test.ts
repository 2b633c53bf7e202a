import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '@carrier-api/spec-kit';
import { formatGithub, formatJson, formatMarkdown, reviewSides, type ChangeLevel, type SecurityChange, type SpecReview } from '../src/index.ts';
import { revise, type Edit } from './revise.ts';

// Security changes on fixture pairs (test/fixtures/security-changes.yaml), each reviewed alone on
// the wire: every package built from the API's wire then shows the row's bump.
type Bump = 'none' | 'patch' | 'minor' | 'major';
interface Fixture {
  name: string;
  base?: Edit[];
  edits: Edit[];
  expect: {
    finding?: { rule: string; level: ChangeLevel; pointer: string; operation?: string; before?: unknown; after?: unknown };
    /** The strongest level of all the API's changes, when no finding is named. */
    level?: ChangeLevel;
    also?: string[];
    absent?: string[];
    bump: Bump;
  };
}

const fixtures = join(import.meta.dirname, 'fixtures');
const securityBase = parse(readFileSync(join(fixtures, 'security-base.yaml'), 'utf8')) as OpenApiDocument;
const rows = parse(readFileSync(join(fixtures, 'security-changes.yaml'), 'utf8')) as Fixture[];
const packages = ['fixture', 'fixture-sdk', 'contract-tests', 'mock', 'specs'];
const strength: ChangeLevel[] = ['docs', 'safe', 'warning', 'breaking'];

/** The review of one row: its base and head as the one API `fixture`. */
async function reviewRow(row: Fixture): Promise<SpecReview> {
  const base = revise(securityBase, row.base ?? []);
  const side = (label: string, document: OpenApiDocument) => ({ label, apis: new Map([['fixture', document]]), files: new Map([['fixture', 'specs/fixture/openapi.yaml']]) });
  return reviewSides(side('base', base), side('head', revise(base, row.edits)), { workspacePackages: new Set(packages.map((name) => `@carrier-api/${name}`)), code: false });
}

const rowNamed = (name: string) => rows.find((row) => row.name === name)!;

describe('spec review of security schemes and requirements', () => {
  it('has a row for each kind of change', () => {
    expect(rows.length).toBeGreaterThanOrEqual(30);
    expect(new Set(rows.map((row) => row.name)).size).toBe(rows.length);
  });

  it.each(rows)('$name → $expect.bump', async (row) => {
    const review = await reviewRow(row);
    const [api] = review.apis;
    const summary = JSON.stringify(api!.changes, null, 1);
    const rules = api!.changes.map((change) => change.rule);
    const { finding } = row.expect;
    if (finding) {
      const found = api!.changes.find((change) => change.rule === finding.rule && (finding.operation === undefined || change.operation === finding.operation)) as SecurityChange | undefined;
      expect(found, summary).toBeDefined();
      expect(found!.level, summary).toBe(finding.level);
      expect(found!.pointer, summary).toBe(finding.pointer);
      if ('before' in finding) expect(found!.before, summary).toEqual(finding.before);
      else expect(found, summary).not.toHaveProperty('before');
      if ('after' in finding) expect(found!.after, summary).toEqual(finding.after);
      else expect(found, summary).not.toHaveProperty('after');
    }
    if (row.expect.level) {
      const strongest = api!.changes.reduce<ChangeLevel>((max, change) => (strength.indexOf(change.level) > strength.indexOf(max) ? change.level : max), 'docs');
      expect(strongest, summary).toBe(row.expect.level);
    }
    for (const rule of row.expect.also ?? []) expect(rules, summary).toContain(rule);
    for (const rule of row.expect.absent ?? []) expect(rules, summary).not.toContain(rule);
    // No change reported twice: one finding per rule, operation and pointer.
    const keys = api!.changes.map((change) => `${change.rule} ${change.operation ?? ''} ${(change as SecurityChange).pointer ?? ''}`);
    expect(new Set(keys).size, summary).toBe(keys.length);
    expect(Object.fromEntries(review.packages.map((pkg) => [pkg.name.replace('@carrier-api/', ''), pkg.bump])), summary).toEqual(Object.fromEntries(packages.map((name) => [name, row.expect.bump])));
  });

  it('the markdown shows each security change in its own table, with the pointer and the values before and after', async () => {
    const removed = formatMarkdown(await reviewRow(rowNamed('an alternative removed from the document\'s requirements')));
    expect(removed).toContain('**Security** (how requests authenticate; part of the wire, needs major):');
    expect(removed).toContain('| | change | where | before | after |');
    expect(removed).toContain('| 🔴 breaking | the endpoint scheme security `bearer` was removed from the API | `GET /balance` (getBalance) at `#/security` | `oauth` or `bearer` | `oauth` |');
    // The security changes are not repeated in the wire's table.
    expect(removed).not.toContain('**Wire** (requests and responses');
    const scheme = formatMarkdown(await reviewRow(rowNamed('apiKey moved from a header to the query')));
    expect(scheme).toContain('| 🔴 breaking | the component security scheme `apiKeyHeader` api key location changed from `header` to `query` | `#/components/securitySchemes/apiKeyHeader/in` | `header` | `query` |');
  });

  it('the JSON has the pointer and the values as they are in the bundles', async () => {
    const json = JSON.parse(formatJson(await reviewRow(rowNamed('a combined requirement gains a member')))) as SpecReview;
    expect(json.apis[0]!.changes).toContainEqual({
      rule: 'security-requirement-member-added',
      level: 'breaking',
      text: 'the combined security requirement `apiKeyHeader AND bearer` now also needs `basic` (`apiKeyHeader AND basic AND bearer`): requests that carry only what it asked for are refused',
      operation: 'POST /transfers',
      operationId: 'startTransfer',
      pointer: '#/paths/~1transfers/post/security',
      before: [{ apiKeyHeader: [], bearer: [] }],
      after: [{ apiKeyHeader: [], bearer: [], basic: [] }],
    });
  });

  it('GitHub annotations carry the pointer and both values, on the line of the spec the pointer names', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'spec-review-security-'));
    mkdirSync(join(repo, 'specs', 'fixture'), { recursive: true });
    const spec = readFileSync(join(fixtures, 'security-base.yaml'), 'utf8');
    writeFileSync(join(repo, 'specs', 'fixture', 'openapi.yaml'), spec);
    const lines = spec.split('\n');
    const annotation = async (row: string, rule: string) => (formatGithub(await reviewRow(rowNamed(row)), repo)).split('\n').find((candidate) => candidate.includes(`(${rule})`))!;
    const lineOf = (annotated: string) => lines[Number(/,line=(\d+),/.exec(annotated)![1]) - 1]!;

    const required = await annotation('security [] removed from an operation (auth now required)', 'api-security-anonymous-access-removed');
    expect(required).toMatch(/^::error file=specs\/fixture\/openapi\.yaml,line=\d+,title=fixture%3A breaking on the wire \(api-security-anonymous-access-removed\)::/);
    expect(required).toContain('%0Aat: #/paths/~1token/post/security%0Abefore: none (no credentials)%0Aafter: oauth or bearer');
    // The operation's own `security: []`, not the first line that says `security`.
    expect(lineOf(required)).toBe('      security: []');
    expect(lines.indexOf(lineOf(required))).toBeGreaterThan(lines.indexOf('security:'));

    const moved = await annotation('apiKey moved from a header to the query', 'api-security-component-api-key-in-changed');
    expect(moved).toContain('%0Aat: #/components/securitySchemes/apiKeyHeader/in%0Abefore: header%0Aafter: query');
    expect(lineOf(moved)).toBe('      in: header');
    expect(lines[lines.indexOf(lineOf(moved)) - 2]).toBe('    apiKeyHeader:');

    const inherited = await annotation("an alternative removed from the document's requirements", 'api-security-removed');
    expect(lineOf(inherited)).toBe('security:');
  });
});
