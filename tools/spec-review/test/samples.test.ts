import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acceptedChangesFile, compareStringConstraints, loadAcceptedChanges, type StringConstraints } from '../src/index.ts';

describe('comparing string constraints on samples', () => {
  const cases: { before: StringConstraints; after: StringConstraints; verdict: string; witness?: RegExp }[] = [
    { before: { pattern: '^[0-9]{6,15}$' }, after: { pattern: '^[0-9]{10,15}$' }, verdict: 'narrowed', witness: /^[0-9]{6,9}$/ },
    { before: { pattern: '^[0-9]{6,15}$' }, after: { pattern: '^[0-9]{6,14}$' }, verdict: 'narrowed', witness: /^[0-9]{15}$/ },
    { before: { pattern: '^[0-9]{6,15}$' }, after: { pattern: '^[1-9][0-9]{5,14}$' }, verdict: 'narrowed', witness: /^0[0-9]{5,14}$/ },
    { before: { pattern: '^[0-9]{10,15}$' }, after: { pattern: '^[0-9]{6,15}$' }, verdict: 'widened' },
    { before: { pattern: '^[0-9]{6,15}$' }, after: { pattern: '^\\d{6,15}$' }, verdict: 'same' },
    { before: { pattern: '^[0-9]{6,15}$' }, after: { pattern: '^[0-9]+$', minLength: 6, maxLength: 15 }, verdict: 'same' },
    { before: { maxLength: 32 }, after: { maxLength: 32, pattern: '^[A-Za-z0-9]+$' }, verdict: 'narrowed' },
    { before: { pattern: 'abc' }, after: { pattern: '^abc$' }, verdict: 'narrowed' },
    { before: { pattern: '^(?=[0-9]*7{4})[0-9]{6,15}$' }, after: { pattern: '^[0-9]{6,15}$' }, verdict: 'undecided' },
    { before: { pattern: '^[0-9' }, after: { pattern: '^[0-9]+$' }, verdict: 'undecided' },
  ];
  it.each(cases)('$before.pattern → $after.pattern: $verdict', ({ before, after, verdict, witness }) => {
    const comparison = compareStringConstraints(before, after);
    expect(comparison.verdict).toBe(verdict);
    if (witness && comparison.verdict === 'narrowed') expect(comparison.witness).toMatch(witness);
  });

  it('gives the same verdict and witness on every run', () => {
    const pair = [{ pattern: '^[A-Z]{2}[0-9]{4,8}$' }, { pattern: '^[A-Z]{2}[0-9]{5,8}$' }] as const;
    expect(compareStringConstraints(...pair)).toEqual(compareStringConstraints(...pair));
  });
});

describe('accepted pattern changes', () => {
  const repoWith = (content: string) => {
    const repo = mkdtempSync(join(tmpdir(), 'spec-review-accepted-'));
    mkdirSync(join(repo, 'tools', 'spec-review'), { recursive: true });
    writeFileSync(join(repo, acceptedChangesFile), content);
    return repo;
  };

  it('are none without the file', () => {
    expect(loadAcceptedChanges(mkdtempSync(join(tmpdir(), 'spec-review-accepted-')))).toEqual([]);
  });

  it('are read from the file', () => {
    const entries = [{ from: 'a', to: 'b', reason: 'checked by hand' }];
    expect(loadAcceptedChanges(repoWith(JSON.stringify(entries)))).toEqual(entries);
  });

  it.each([
    ['{', /^tools\/spec-review\/accepted-changes\.json: not JSON/],
    ['{}', /must be an array of \{ from, to, reason \}$/],
    ['[{ "from": "a", "to": "b" }]', /entry 0 field reason must be a string$/],
  ])('refuse %s, naming the entry and field', (content, message) => {
    expect(() => loadAcceptedChanges(repoWith(content))).toThrow(message);
  });
});
