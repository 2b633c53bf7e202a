import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDeepStrictEqual } from 'node:util';
import { listApis } from '@carrier-api/spec-kit';
import { loadSide, loadSides, specInputs } from '../src/index.ts';
import { copyCommittedSpecs } from './committed-specs.ts';

let repo: string;
const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
const edit = (file: string, from: string, to: string) => {
  const path = join(repo, file);
  const text = readFileSync(path, 'utf8');
  expect(text).toContain(from);
  writeFileSync(path, text.replace(from, to));
};

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'spec-review-sides-'));
  git('init', '--quiet', '--initial-branch=main');
  copyCommittedSpecs(repo);
  git('add', '-A');
  git('-c', 'user.email=ci@example.com', '-c', 'user.name=CI', 'commit', '--quiet', '-m', 'specs');
});
afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe('loadSides bundles only the APIs whose spec files differ', () => {
  // Whatever APIs specs/ holds: `pnpm new-api` adds one without editing this test.
  const apis = () => listApis(join(repo, 'specs'));

  it('bundles nothing when no file changed, and lists every API as identical on both sides', async () => {
    const [base, head] = await loadSides(repo, 'main', undefined);
    expect(apis().length).toBeGreaterThan(0);
    expect(base.apis.size + head.apis.size).toBe(0);
    expect([...head.identical!].sort()).toEqual(apis());
    expect([...base.identical!].sort()).toEqual(apis());
    for (const api of apis()) expect(head.files.get(api)).toBe(`specs/${api}/openapi.yaml`);
  });

  it('follows $refs into specs/shared: a shared schema edit bundles exactly the APIs whose bundle it changes', async () => {
    // What it must find, without fingerprints: every API bundled on both sides, compared.
    const before = await loadSide(repo, 'main');
    edit('specs/shared/schemas/DateTime.yaml', 'type: string', 'type: string\nx-bench: changed');
    try {
      const after = await loadSide(repo, undefined);
      const reaching = apis().filter((api) => !isDeepStrictEqual(before.apis.get(api), after.apis.get(api)));
      expect(reaching.length).toBeGreaterThan(0);
      const [base, head] = await loadSides(repo, 'main', undefined);
      expect([...head.apis.keys()].sort()).toEqual(reaching);
      expect([...base.apis.keys()].sort()).toEqual(reaching);
      expect([...head.identical!].sort()).toEqual(apis().filter((api) => !reaching.includes(api)));
    } finally {
      git('checkout', '--', 'specs/shared/schemas/DateTime.yaml');
    }
  });

  it('an added API is bundled on the head side only; the others stay identical', async () => {
    const existing = apis();
    mkdirSync(join(repo, 'specs', 'added-api-s02'));
    writeFileSync(join(repo, 'specs', 'added-api-s02', 'openapi.yaml'), readFileSync(join(repo, 'specs', existing[0]!, 'openapi.yaml')));
    try {
      const [base, head] = await loadSides(repo, 'main', undefined);
      expect([...head.apis.keys()]).toEqual(['added-api-s02']);
      expect(base.apis.size).toBe(0);
      expect([...head.identical!].sort()).toEqual(existing);
    } finally {
      rmSync(join(repo, 'specs', 'added-api-s02'), { recursive: true, force: true });
    }
  });
});

describe('specInputs', () => {
  it('changes with a file the spec reaches, not with one it does not', () => {
    const specs = join(repo, 'specs');
    const [mtn, packages] = [specInputs(specs, 'mtn-ng-data-gifting'), specInputs(specs, 'centili-packages')];
    expect(mtn).toContain('mtn-ng-data-gifting/openapi.yaml ');
    expect(packages).toContain('shared/schemas/CountryCode.yaml ');
    const country = join(specs, 'shared', 'schemas', 'CountryCode.yaml');
    const text = readFileSync(country, 'utf8');
    writeFileSync(country, `${text}\nx-edited: true\n`);
    try {
      expect(specInputs(specs, 'mtn-ng-data-gifting')).toBe(mtn);
      expect(specInputs(specs, 'centili-packages')).not.toBe(packages);
    } finally {
      writeFileSync(country, text);
    }
    expect(specInputs(specs, 'centili-packages')).toBe(packages);
  });

  it('is undefined for a remote $ref or a missing file: such a spec is always bundled', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spec-inputs-'));
    try {
      mkdirSync(join(dir, 'remote'));
      writeFileSync(join(dir, 'remote', 'openapi.yaml'), "openapi: 3.0.3\ncomponents:\n  schemas:\n    A:\n      $ref: 'https://example.com/a.yaml#/A'\n");
      mkdirSync(join(dir, 'missing'));
      writeFileSync(join(dir, 'missing', 'openapi.yaml'), 'openapi: 3.0.3\ncomponents:\n  schemas:\n    A:\n      $ref: ../shared/none.yaml\n');
      mkdirSync(join(dir, 'local'));
      writeFileSync(join(dir, 'local', 'openapi.yaml'), "openapi: 3.0.3\ncomponents:\n  schemas:\n    A:\n      $ref: '#/components/schemas/B'\n    B:\n      type: string\n");
      expect(specInputs(dir, 'remote')).toBeUndefined();
      expect(specInputs(dir, 'missing')).toBeUndefined();
      expect(specInputs(dir, 'local')).toMatch(/^local\/openapi\.yaml [0-9a-f]{64}$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
