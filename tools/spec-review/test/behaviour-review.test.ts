import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '@carrier-api/spec-kit';
import { findMissingChangesets, formatJson, formatMarkdown, formatMissing, reviewSides, type SpecReview } from '../src/index.ts';
import { shorten } from '../src/format.ts';
import { revise, type Edit } from './revise.ts';

// x-behaviour (what the sandbox promises) on fixture pairs: every pair is one API of the same
// review, as in code-review.test.ts.
type Bump = 'none' | 'patch' | 'minor' | 'major';
interface Fixture {
  name: string;
  edits: Edit[];
  expect: { behaviour: string[]; bump: Bump; wire: Bump; packages: Record<string, Bump> };
}

const fixtures = join(import.meta.dirname, 'fixtures');
const base = parse(readFileSync(join(fixtures, 'base.yaml'), 'utf8')) as OpenApiDocument;
const pairs = (parse(readFileSync(join(fixtures, 'behaviour-changes.yaml'), 'utf8')) as Fixture[]).map((fixture, index) => ({ ...fixture, api: `behaviour-${index + 1}` }));
const shared = ['specs', 'mock', 'reference', 'contract-tests'];
let review: SpecReview;

const pairNamed = (name: string) => pairs.find((fixture) => fixture.name === name)!;
const pick = (bumps: Record<string, Bump>, names: string[]) => Object.fromEntries(Object.entries(bumps).filter(([name]) => names.includes(name)));

/** The API's own packages are named `client` and `sdk` in the fixtures; the shared ones by their short name. */
const shortName = (api: string, name: string) => (name === `@carrier-api/${api}` ? 'client' : name === `@carrier-api/${api}-sdk` ? 'sdk' : name.replace('@carrier-api/', ''));

beforeAll(async () => {
  const side = (label: string, document: (fixture: Fixture) => OpenApiDocument) => ({
    label,
    apis: new Map(pairs.map((fixture) => [fixture.api, document(fixture)])),
    files: new Map(pairs.map((fixture) => [fixture.api, `specs/${fixture.api}/openapi.yaml`])),
  });
  review = await reviewSides(side('base', () => base), side('head', (fixture) => revise(base, fixture.edits)), {
    workspacePackages: new Set(['@carrier-api/specs', '@carrier-api/mock', '@carrier-api/reference', '@carrier-api/contract-tests', ...pairs.flatMap((fixture) => [`@carrier-api/${fixture.api}`, `@carrier-api/${fixture.api}-sdk`])]),
  });
}, 300_000);

describe('spec review of x-behaviour: what the sandbox promises', () => {
  it.each(pairs)('$name → $expect.bump', (fixture) => {
    const api = review.apis.find((candidate) => candidate.api === fixture.api)!;
    const summary = JSON.stringify({ changes: api.changes, behaviour: api.behaviour }, null, 2);
    expect(api.behaviour.map((change) => `${change.rule} ${change.operation} ${change.fields.join(',')}`), summary).toEqual(fixture.expect.behaviour);
    expect(api.behaviourBump, summary).toBe(fixture.expect.bump);
    expect(api.wireBump, summary).toBe(fixture.expect.wire);
    // A behaviour change is not a wire change: the wire says nothing of it (no "documentation changed").
    if (fixture.expect.wire === 'none') expect(api.changes, summary).toEqual([]);
    // The API's own light client and SDK (one review holds every pair, so the shared packages are checked below, one pair at a time).
    const own = review.packages.filter((pkg) => pkg.name === `@carrier-api/${fixture.api}` || pkg.name === `@carrier-api/${fixture.api}-sdk`);
    expect(Object.fromEntries(own.map((pkg) => [shortName(fixture.api, pkg.name), pkg.bump])), summary).toEqual(pick(fixture.expect.packages, ['client', 'sdk']));
  });

  it.each(pairs)('$name: the shared packages get $expect.packages', async (fixture) => {
    const alone = await reviewSides(
      { label: 'base', apis: new Map([[fixture.api, base]]), files: new Map([[fixture.api, 'specs/x/openapi.yaml']]) },
      { label: 'head', apis: new Map([[fixture.api, revise(base, fixture.edits)]]), files: new Map([[fixture.api, 'specs/x/openapi.yaml']]) },
      { workspacePackages: new Set(shared.map((name) => `@carrier-api/${name}`)), code: false },
    );
    expect(Object.fromEntries(alone.packages.map((pkg) => [shortName(fixture.api, pkg.name), pkg.bump]))).toEqual(pick(fixture.expect.packages, shared));
  });

  it('the markdown has a Behaviour section only where a behaviour changed, with the old and new text', () => {
    const markdown = formatMarkdown(review);
    const sections = markdown.split(/^### /m);
    for (const fixture of pairs) {
      const section = sections.find((candidate) => candidate.startsWith(`\`${fixture.api}\``))!;
      expect(section.includes('**Behaviour**'), fixture.name).toBe(fixture.expect.behaviour.length > 0);
    }
    const changed = sections.find((candidate) => candidate.startsWith(`\`behaviour-4\``))!;
    expect(changed).toContain('**Wire**: no request or response changed, nor the generated code (only `x-behaviour` did).');
    expect(changed).toContain("| 🟡 warning | the sandbox's behaviour (x-behaviour) of POST /transactions/{transactionId}/pin `x-inferred` changed | `POST /transactions/{transactionId}/pin` (submitPin) | **x-inferred**: Wrong PINs are counted per transaction; the third wrong PIN gets 429. | **x-inferred**: Wrong PINs are counted per transaction; the fifth wrong PIN gets 429. |");
    const removed = sections.find((candidate) => candidate.startsWith(`\`behaviour-2\``))!;
    expect(removed).toContain('needs a **major** release; breaks the sandbox\'s promise');
    expect(removed).toContain('needs major for the mock, minor for `@carrier-api/reference`, a patch for `@carrier-api/specs`');
    expect(removed).toContain('| 🔴 breaking |');
    expect(removed).not.toContain('**Bundles**');
    const rewrapped = sections.find((candidate) => candidate.startsWith(`\`${pairNamed('behaviour re-wrapped, the same words').api}\``))!;
    expect(rewrapped).toContain('needs a **patch** release');
    expect(rewrapped).toContain('**Wire**: no request or response changed, nor the generated code (only `x-behaviour` did).');
    expect(rewrapped).toContain('**Bundles**: only the whitespace of `x-behaviour` changed (re-wrapped, the same promises)');
    expect(rewrapped).not.toContain('documentation changed');
  });

  it('the JSON has the whole texts, before and after', () => {
    const json = JSON.parse(formatJson(review)) as SpecReview;
    const [removed] = json.apis.find((api) => api.api === 'behaviour-2')!.behaviour;
    expect(removed).toMatchObject({
      rule: 'behaviour-removed',
      level: 'breaking',
      operationId: 'submitPin',
      before: {
        implements: '001 "Submit PIN": "Status 200 PIN correct"; "429 | Number of attempts over the max retry limit, request can not be retried."',
        'x-inferred': 'Wrong PINs are counted per transaction; the third wrong PIN gets 429.',
      },
    });
    expect(removed).not.toHaveProperty('after');
  });

  it('shortens a long text around where it differs', () => {
    const words = Array.from({ length: 60 }, (_, index) => `word${index}`);
    const [before, after] = [words.join(' '), words.map((word) => (word === 'word40' ? 'changed' : word)).join(' ')];
    const shown = shorten(after, before);
    expect(shown.startsWith('…')).toBe(true);
    expect(shown).toContain('changed');
    expect(shown.length).toBeLessThanOrEqual(162);
    expect(shorten('short')).toBe('short');
  });

  it('changeset:check asks the mock for the behaviour bump, naming the behaviour', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'spec-review-changesets-'));
    mkdirSync(join(repo, '.changeset'));
    writeFileSync(join(repo, '.changeset', 'config.json'), JSON.stringify({ baseBranch: 'main' }));
    const missing = await findMissingChangesets(repo, { ...review, packages: review.packages.filter((pkg) => pkg.name === '@carrier-api/mock') });
    expect(formatMissing(missing)).toContain("@carrier-api/mock needs a major changeset (spec change in ");
    expect(formatMissing(missing)).toContain("in the sandbox's behaviour (x-behaviour)); it has none.");
  });

  it('changeset:check asks only the specs for a patch when x-behaviour was re-wrapped', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'spec-review-changesets-'));
    mkdirSync(join(repo, '.changeset'));
    writeFileSync(join(repo, '.changeset', 'config.json'), JSON.stringify({ baseBranch: 'main' }));
    // Reviewed alone: in the shared review the specs' bump is the largest of every pair's.
    const fixture = pairNamed('behaviour re-wrapped, the same words');
    const alone = await reviewSides(
      { label: 'base', apis: new Map([[fixture.api, base]]), files: new Map([[fixture.api, 'specs/x/openapi.yaml']]) },
      { label: 'head', apis: new Map([[fixture.api, revise(base, fixture.edits)]]), files: new Map([[fixture.api, 'specs/x/openapi.yaml']]) },
      { workspacePackages: new Set([...shared, fixture.api, `${fixture.api}-sdk`].map((name) => `@carrier-api/${name}`)) },
    );
    const missing = await findMissingChangesets(repo, alone);
    expect(missing.map((entry) => `${entry.name} ${entry.needed} ${entry.because.join(',')}`)).toEqual(['@carrier-api/specs patch bundle']);
    expect(formatMissing(missing)).toContain(`@carrier-api/specs needs a patch changeset (spec change in `);
    expect(formatMissing(missing)).toContain("in its bundles' text only (x-behaviour re-wrapped, the same promises)); it has none.");
  });
});
