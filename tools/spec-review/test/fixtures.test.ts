import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '@carrier-api/spec-kit';
import { bumpFor, diffDocuments, type AcceptedPatternChange, type ChangeLevel } from '../src/index.ts';
import { revise, type Edit } from './revise.ts';

interface Fixture {
  name: string;
  edits: Edit[];
  swap?: boolean;
  accepted?: AcceptedPatternChange[];
  expect: { level: ChangeLevel | 'none'; rule?: string; bump: string; absent?: string[] };
}

const fixtures = join(import.meta.dirname, 'fixtures');
const base = parse(readFileSync(join(fixtures, 'base.yaml'), 'utf8')) as OpenApiDocument;
const pairs = parse(readFileSync(join(fixtures, 'changes.yaml'), 'utf8')) as Fixture[];

const strength: (ChangeLevel | 'none')[] = ['none', 'docs', 'safe', 'warning', 'breaking'];

describe('spec review of the fixture pairs', () => {
  it('has at least 40 pairs', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(40);
  });

  it.each(pairs)('$name → $expect.level, $expect.bump', (fixture) => {
    const edited = revise(base, fixture.edits);
    const [from, to] = fixture.swap ? [edited, base] : [base, edited];
    const changes = diffDocuments(from, to, { acceptedPatternChanges: fixture.accepted });
    const summary = changes.map((change) => `${change.level} ${change.rule}: ${change.text}`).join('\n');
    const strongest = changes.reduce<ChangeLevel | 'none'>((max, change) => (strength.indexOf(change.level) > strength.indexOf(max) ? change.level : max), 'none');
    expect(strongest, summary).toBe(fixture.expect.level);
    if (fixture.expect.rule) expect(changes.map((change) => change.rule), summary).toContain(fixture.expect.rule);
    for (const rule of fixture.expect.absent ?? []) expect(changes.map((change) => change.rule), summary).not.toContain(rule);
    expect(bumpFor(changes)).toBe(fixture.expect.bump);
  });
});
