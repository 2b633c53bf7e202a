import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { listApis, listOperations } from '@carrier-api/spec-kit';
import { copyCommittedSpecs } from './committed-specs.ts';
import { loadSide, type SpecReview } from '../src/index.ts';

// The two verdicts of issue 20, on the project's own specs in a temporary git repository.
const tsx = resolve(import.meta.dirname, '../node_modules/.bin/tsx');
let repo: string;
const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
const edit = (file: string, from: string, to: string) => {
  const path = join(repo, 'specs', file);
  const text = readFileSync(path, 'utf8');
  expect(text).toContain(from);
  writeFileSync(path, text.replace(from, () => to)); // a function: `to` may hold $' and the like
};
const review = (branch: string): SpecReview => {
  git('checkout', '--quiet', branch);
  const result = spawnSync(tsx, [resolve(import.meta.dirname, '../src/cli/spec-diff.ts'), '--base', 'main', '--format', 'json'], { cwd: repo, encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as SpecReview;
};

const operator = `        - name: operator
          in: query
          required: true
          description: The operator whose data pools to read, such as FR_ORANGE.
          x-inferred: The document's example passes it and the text says "the given service key and operator", so it is required and not empty.
          schema:
            type: string
            minLength: 1
          example: FR_ORANGE
`;

/**
 * The APIs of main whose requests (parameters or bodies, through any named schema) use the
 * component schema `name` of their bundle: found on the text of the bundles, as a reader would.
 */
async function apisWhoseRequestsCarry(name: string): Promise<string[]> {
  const side = await loadSide(repo, 'main');
  return [...side.apis]
    .filter(([, document]) => {
      // The named schemas that reach `name`, to a fixed point (bounded by their number).
      const schemas = Object.entries(document.components?.schemas ?? {});
      const reaching = new Set([name]);
      for (let grown = true; grown; ) {
        grown = false;
        for (const [schema, body] of schemas) {
          if (reaching.has(schema) || ![...reaching].some((target) => JSON.stringify(body).includes(`"#/components/schemas/${target}"`))) continue;
          reaching.add(schema);
          grown = true;
        }
      }
      return listOperations(document).some((operation) => [...reaching].some((target) => JSON.stringify([operation.parameters, operation.requestBody]).includes(`"#/components/schemas/${target}"`)));
    })
    .map(([api]) => api)
    .sort();
}

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'spec-review-real-'));
  git('init', '--quiet', '--initial-branch=main');
  git('config', 'user.email', 'ci@example.com');
  git('config', 'user.name', 'CI');
  copyCommittedSpecs(repo);
  mkdirSync(join(repo, 'packages', 'specs'), { recursive: true });
  writeFileSync(join(repo, 'packages', 'specs', 'package.json'), JSON.stringify({ name: '@carrier-api/specs', version: '1.0.0' }));
  git('add', '-A');
  git('commit', '--quiet', '-m', 'specs');

  git('checkout', '--quiet', '-b', 'operator-to-path-item', 'main');
  edit('centili-data-gifting/openapi.yaml', operator, '');
  edit('centili-data-gifting/openapi.yaml', '  /datagifting/v1/services/balance:\n', `  /datagifting/v1/services/balance:\n    parameters:\n${operator.replace(/^ {6}/gm, '    ')}`);
  git('commit', '--quiet', '-am', 'Move operator to the path item');

  git('checkout', '--quiet', '-b', 'msisdn-10-digits', 'main');
  edit('shared/schemas/Msisdn.yaml', "pattern: '^\\+?[0-9]{6,15}$'", "pattern: '^\\+?[0-9]{10,15}$'");
  git('commit', '--quiet', '-am', 'MSISDN: at least 10 digits');

  git('checkout', '--quiet', '-b', 'digest-scheme', 'main');
  edit('mtn-ng-data-gifting/openapi.yaml', '      type: apiKey\n      in: header\n      name: X-API-Key\n', '      type: http\n      scheme: digest\n');
  git('commit', '--quiet', '-am', 'MTN: HTTP digest');

  git('checkout', '--quiet', '-b', 'token-behaviour', 'main');
  edit('shared/paths/token.yaml', 'expires_in defaults to 300 s', 'expires_in defaults to 600 s');
  for (const name of ['mock', 'reference', 'centili-payments', 'centili-payments-sdk']) {
    mkdirSync(join(repo, 'packages', name), { recursive: true });
    writeFileSync(join(repo, 'packages', name, 'package.json'), JSON.stringify({ name: `@carrier-api/${name}`, version: '1.0.0' }));
  }
  git('add', '-A');
  git('commit', '--quiet', '-m', 'Tokens expire after 600 s in the sandbox');
});

describe('spec-diff on the project specs', () => {
  it('moving the required operator parameter of GET /datagifting/v1/services/balance to its path item is not breaking', () => {
    const { apis, packages } = review('operator-to-path-item');
    const dataGifting = apis.find((api) => api.api === 'centili-data-gifting')!;
    expect(dataGifting.changes.map((change) => `${change.level} ${change.rule}`)).toEqual(['docs document-restructured']);
    expect(dataGifting.bump).toBe('patch');
    expect(packages).toEqual([{ name: '@carrier-api/specs', bump: 'patch', apis: ['centili-data-gifting'], because: ['wire'] }]);
    // The generated code was compared too, and is the same.
    expect(dataGifting.code).toMatchObject({ client: [], sdk: [], clientBump: 'none', sdkBump: 'none' });
  });

  it('tightening the shared MSISDN pattern to ^\\+?[0-9]{10,15}$ is breaking for every API whose requests carry one', async () => {
    const { apis } = review('msisdn-10-digits');
    const bumps = Object.fromEntries(apis.filter((api) => api.status === 'changed').map((api) => [api.api, api.bump]));
    // Found in the bundles of main, whatever APIs specs/ holds: of those that read the shared
    // schema (the changed ones; an API may have an Msisdn of its own), those whose requests carry it.
    const carrying = (await apisWhoseRequestsCarry('Msisdn')).filter((api) => api in bumps);
    expect(carrying).toEqual(expect.arrayContaining(['centili-data-gifting', 'centili-packages', 'centili-services']));
    expect(Object.keys(bumps).filter((api) => bumps[api] === 'major').sort()).toEqual(carrying);
    const requestChanges = apis.flatMap((api) => api.changes).filter((change) => change.rule.startsWith('request-'));
    expect(requestChanges.length).toBeGreaterThanOrEqual(4);
    for (const change of requestChanges) {
      expect(change.level).toBe('breaking');
      expect(change.text).toMatch(/"\d{6,9}" was valid and is now refused/);
    }
    // The same pattern in responses breaks no consumer.
    expect(apis.flatMap((api) => api.changes).filter((change) => change.rule.startsWith('response-')).every((change) => change.level !== 'breaking')).toBe(true);
  });

  it('a scheme the generators do not support is reported, not fatal: the wire is reviewed, the code says why it was not compared', () => {
    const { apis } = review('digest-scheme');
    const mtn = apis.find((api) => api.api === 'mtn-ng-data-gifting')!;
    expect(mtn.changes.map((change) => `${change.level} ${change.rule}`)).toEqual(['breaking api-security-component-type-changed']);
    expect(mtn.changes[0]).toMatchObject({ pointer: '#/components/securitySchemes/mtnApiKey/type', before: 'apiKey', after: 'http' });
    for (const [label, changes] of [['light client', mtn.code!.client], ['SDK', mtn.code!.sdk]] as const) {
      expect(changes.map((change) => `${change.level} ${change.rule}`)).toEqual(['warning code-generation-failed']);
      expect(changes[0]!.text).toMatch(new RegExp(`^the ${label} cannot be generated from the head \\((client|sdk)-gen: mtn-ng-data-gifting: unsupported security scheme \\{"type":"http","scheme":"digest",`));
    }
    expect(mtn.bump).toBe('major');
  });

  it("changing the x-inferred of the shared token endpoint (specs/shared/paths/token.yaml) is a behaviour change of each API that reads it, and of no client or SDK", () => {
    const { apis, packages } = review('token-behaviour');
    const changed = apis.filter((api) => api.status === 'changed');
    // The APIs whose entry file reads the shared endpoint (the four Centili APIs, and any added since).
    const reading = listApis(join(repo, 'specs')).filter((api) => readFileSync(join(repo, 'specs', api, 'openapi.yaml'), 'utf8').includes('$ref: ../shared/paths/token.yaml'));
    expect(reading).toEqual(expect.arrayContaining(['centili-data-gifting', 'centili-packages', 'centili-payments', 'centili-services']));
    expect(changed.map((api) => api.api)).toEqual(reading);
    for (const api of changed) {
      expect(api.changes).toEqual([]);
      expect(api.code).toBeUndefined();
      expect(api.behaviour.map((change) => `${change.rule} ${change.operation} (${change.operationId}) ${change.fields.join(',')}`)).toEqual([
        'behaviour-changed POST /auth/realms/api/protocol/openid-connect/token (createToken) x-inferred',
      ]);
      expect(api.behaviour[0]!.before!['x-inferred']).toContain('expires_in defaults to 300 s');
      expect(api.behaviour[0]!.after!['x-inferred']).toContain('expires_in defaults to 600 s');
      expect(api.behaviour[0]!.before!.implements).toBe(api.behaviour[0]!.after!.implements);
      expect(api.bump).toBe('minor');
    }
    const apisOf = changed.map((api) => api.api);
    expect(packages).toEqual([
      { name: '@carrier-api/mock', bump: 'minor', apis: apisOf, because: ['behaviour'] },
      { name: '@carrier-api/reference', bump: 'minor', apis: apisOf, because: ['behaviour'] },
      { name: '@carrier-api/specs', bump: 'patch', apis: apisOf, because: ['behaviour'] },
    ]);
  });
});
