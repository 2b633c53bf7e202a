import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '@carrier-api/spec-kit';
import { findMissingChangesets, formatMarkdown, formatMissing, reviewSides, type SpecReview } from '../src/index.ts';
import { revise, type Edit } from './revise.ts';

// The two levels of the review on fixture pairs: the wire and the code the project's own
// generators make of each side. Every pair is one API of the same review, so that all the SDKs
// come from one openapi-generator run.
type Bump = 'none' | 'patch' | 'minor' | 'major';
interface Fixture {
  name: string;
  edits: Edit[];
  expect: { wire: Bump; client: Bump; sdk: Bump; rules?: { client?: string[]; sdk?: string[] }; says?: string[]; never?: string[] };
}

const fixtures = join(import.meta.dirname, 'fixtures');
const base = parse(readFileSync(join(fixtures, 'base.yaml'), 'utf8')) as OpenApiDocument;
const pairs = (parse(readFileSync(join(fixtures, 'code-changes.yaml'), 'utf8')) as Fixture[]).map((fixture, index) => ({ ...fixture, api: `fixture-${index + 1}` }));
let review: SpecReview;

beforeAll(async () => {
  const side = (label: string, document: (fixture: Fixture) => OpenApiDocument) => ({
    label,
    apis: new Map(pairs.map((fixture) => [fixture.api, document(fixture)])),
    files: new Map(pairs.map((fixture) => [fixture.api, `specs/${fixture.api}/openapi.yaml`])),
  });
  const workspacePackages = new Set(pairs.flatMap((fixture) => [`@carrier-api/${fixture.api}`, `@carrier-api/${fixture.api}-sdk`]));
  review = await reviewSides(side('base', () => base), side('head', (fixture) => revise(base, fixture.edits)), { workspacePackages });
}, 300_000);

describe('spec review on two levels: the wire and the generated code', () => {
  it.each(pairs)('$name: wire $expect.wire, light client $expect.client, SDK $expect.sdk', (fixture) => {
    const api = review.apis.find((candidate) => candidate.api === fixture.api)!;
    const summary = JSON.stringify({ wire: api.changes, code: api.code }, null, 1);
    expect(api.wireBump, summary).toBe(fixture.expect.wire);
    const bumpOf = (name: string) => review.packages.find((pkg) => pkg.name === name)?.bump ?? 'none';
    expect(bumpOf(`@carrier-api/${fixture.api}`), summary).toBe(fixture.expect.client);
    expect(bumpOf(`@carrier-api/${fixture.api}-sdk`), summary).toBe(fixture.expect.sdk);
    for (const rule of fixture.expect.rules?.client ?? []) expect(api.code?.client.map((change) => change.rule), summary).toContain(rule);
    for (const rule of fixture.expect.rules?.sdk ?? []) expect(api.code?.sdk.map((change) => change.rule), summary).toContain(rule);
    const markdown = formatMarkdown({ ...review, apis: [api], packages: review.packages.filter((pkg) => pkg.apis.includes(fixture.api)) });
    for (const text of fixture.expect.says ?? []) expect(markdown).toContain(text);
    for (const text of fixture.expect.never ?? []) expect(markdown).not.toContain(text);
  });

  it('says which level asks for each bump', () => {
    const renamed = review.packages.filter((pkg) => pkg.apis.includes('fixture-1'));
    expect(renamed.find((pkg) => pkg.name === '@carrier-api/fixture-1-sdk')?.because).toEqual(['code']);
    const required = review.packages.filter((pkg) => pkg.apis.includes('fixture-5'));
    expect(required.find((pkg) => pkg.name === '@carrier-api/fixture-5-sdk')?.because).toEqual(['wire', 'code']);
  });

  it('changeset:check asks for the bump the generated code needs, even when the wire asks for less', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'spec-review-changesets-'));
    mkdirSync(join(repo, '.changeset'));
    writeFileSync(join(repo, '.changeset', 'config.json'), JSON.stringify({ baseBranch: 'main' }));
    writeFileSync(join(repo, '.changeset', 'rename.md'), '---\n"@carrier-api/fixture-1-sdk": minor\n---\n\nRename getTransaction.\n');
    const missing = await findMissingChangesets(repo, { ...review, packages: review.packages.filter((pkg) => pkg.apis.includes('fixture-1')) });
    expect(formatMissing(missing)).toContain('@carrier-api/fixture-1-sdk needs a major changeset (spec change in fixture-1; its generated code); it has only a minor. Run pnpm changeset.');
  });
});
