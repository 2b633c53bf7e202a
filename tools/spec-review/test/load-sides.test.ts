import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSides, specInputs } from '../src/index.ts';
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
  it('bundles nothing when no file changed, and lists every API as identical on both sides', async () => {
    const [base, head] = await loadSides(repo, 'main', undefined);
    expect(base.apis.size + head.apis.size).toBe(0);
    expect([...head.identical!].sort()).toEqual(['centili-data-gifting', 'centili-packages', 'centili-payments', 'centili-services', 'mtn-ng-data-gifting']);
    expect(head.files.get('centili-payments')).toBe('specs/centili-payments/openapi.yaml');
  });

  it('follows $refs into specs/shared: a shared schema edit bundles exactly the APIs that reach it', async () => {
    // DateTime.yaml is reached by centili-services alone (directly and through DateTimeRange.yaml).
    edit('specs/shared/schemas/DateTime.yaml', 'type: string', 'type: string\nx-bench: changed');
    try {
      const [base, head] = await loadSides(repo, 'main', undefined);
      expect([...head.apis.keys()]).toEqual(['centili-services']);
      expect([...base.apis.keys()]).toEqual(['centili-services']);
      expect([...head.identical!].sort()).toEqual(['centili-data-gifting', 'centili-packages', 'centili-payments', 'mtn-ng-data-gifting']);
    } finally {
      git('checkout', '--', 'specs/shared/schemas/DateTime.yaml');
    }
  });

  it('an added API is bundled on the head side only; the others stay identical', async () => {
    mkdirSync(join(repo, 'specs', 'centili-payments-s02'));
    writeFileSync(join(repo, 'specs', 'centili-payments-s02', 'openapi.yaml'), readFileSync(join(repo, 'specs', 'centili-payments', 'openapi.yaml')));
    try {
      const [base, head] = await loadSides(repo, 'main', undefined);
      expect([...head.apis.keys()]).toEqual(['centili-payments-s02']);
      expect(base.apis.size).toBe(0);
      expect(head.identical!.size).toBe(5);
    } finally {
      rmSync(join(repo, 'specs', 'centili-payments-s02'), { recursive: true, force: true });
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
