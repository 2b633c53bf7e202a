import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '@carrier-api/spec-kit/apis';
import { copyToTemp, installOffline, shareToolCaches } from '@carrier-api/temp-workspace';

/**
 * `pnpm new-api` end to end, in a temp copy of the workspace (the working tree is never touched):
 * a small spec of our own (test/fixtures/example-topup: an API key, one POST and one GET) goes into
 * specs/, the command scaffolds and installs, and then the new packages build, type-check and pass
 * their first tests against the mock (the SDK's also compares its generated sources with a fresh
 * generation), their README examples compile, the mock serves the API and the reference has its
 * page. About 2 minutes on two busy cores (cold turbo cache: the runtime and the mock build too);
 * the bounds are generous, nothing here measures speed.
 */
const api = 'example-topup';
const packages = [`@carrier-api/${api}`, `@carrier-api/${api}-sdk`];
let copy: string;
let scaffold: ReturnType<typeof spawnSync>;

const run = (command: string, args: string[], cwd = copy) => {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 600_000, env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' } });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
};

beforeAll(() => {
  copy = copyToTemp(repoRoot, 'new-api-e2e-');
  shareToolCaches(repoRoot, copy);
  installOffline(copy);
  mkdirSync(join(copy, 'specs', api));
  cpSync(join(import.meta.dirname, 'fixtures', api, 'openapi.yaml'), join(copy, 'specs', api, 'openapi.yaml'));
  scaffold = spawnSync('pnpm', ['new-api', api], { cwd: copy, encoding: 'utf8', timeout: 600_000 });
}, 900_000);
afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

describe(`pnpm new-api ${api} in a copy of the workspace`, () => {
  it('writes both packages, the changeset and the registry entries, then installs', () => {
    expect({ status: scaffold.status, output: `${scaffold.stdout}${scaffold.stderr}` }).toMatchObject({ status: 0 });
    for (const file of ['package.json', 'README.md', 'CHANGELOG.md', 'turbo.json', 'tsconfig.json', 'tsdown.config.ts', 'vitest.config.ts', 'src/index.ts']) {
      expect(existsSync(join(copy, 'packages', api, file)), `packages/${api}/${file}`).toBe(true);
      expect(existsSync(join(copy, 'packages', `${api}-sdk`, file)), `packages/${api}-sdk/${file}`).toBe(true);
    }
    expect(readFileSync(join(copy, '.changeset', `new-api-${api}.md`), 'utf8')).toContain(`'@carrier-api/${api}-sdk': minor`);
    expect(readFileSync(join(copy, 'README.md'), 'utf8')).toContain(`(packages/${api}-sdk)`);
    expect(readFileSync(join(copy, 'packages/specs/README.md'), 'utf8')).toContain(`| Example Top-up API | \`${api}\` |`);
    const readmeExamples = JSON.parse(readFileSync(join(copy, 'tools/readme-examples/package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    expect(Object.keys(readmeExamples.devDependencies)).toEqual(expect.arrayContaining(packages));
    // Linked by the install the command ran.
    expect(existsSync(join(copy, 'tools/readme-examples/node_modules/@carrier-api', `${api}-sdk`, 'package.json'))).toBe(true);
  });

  it('the new packages build, type-check and pass their tests against the mock', () => {
    const turbo = run('pnpm', ['turbo', 'run', 'build', 'typecheck', 'test', ...packages.map((name) => `--filter=${name}`), '--concurrency=2', '--output-logs=errors-only']);
    expect(turbo, turbo.output).toMatchObject({ status: 0 });
    expect(turbo.output).toMatch(/Tasks:\s+\d+ successful, \d+ total/);
  }, 900_000);

  it('their README examples compile against the built packages', () => {
    const script = join(copy, 'tools/readme-examples/check-new-api.tmp.ts');
    writeFileSync(
      script,
      `import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkExamples, extractExamples, repoRoot } from './src/index.ts';
const examples = ${JSON.stringify(packages.map((name) => `packages/${name.replace('@carrier-api/', '')}/README.md`))}.flatMap((file) => extractExamples(readFileSync(join(repoRoot, file), 'utf8'), file));
console.log(JSON.stringify({ examples: examples.length, problems: checkExamples(examples) }));
`,
    );
    const check = run('pnpm', ['exec', 'tsx', script], join(copy, 'tools/readme-examples'));
    expect(check, check.output).toMatchObject({ status: 0 });
    expect(JSON.parse(check.output.trim().split('\n').pop()!)).toEqual({ examples: 2, problems: [] });
  }, 300_000);

  it('the mock serves it: the example POST with an API key answers 201', async () => {
    const script = `import { startMock } from '@carrier-api/mock';
const mock = await startMock({ apis: ['${api}'] });
const response = await fetch(mock.urls['${api}'] + '/topups', { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'k' }, body: JSON.stringify({ msisdn: '2348012345678', amount: 500, currency: 'NGN' }) });
console.log(JSON.stringify({ status: response.status, body: await response.json() }));
await mock.close();
`;
    const served = run('node', ['--input-type=module', '-e', script], join(copy, 'packages', api));
    expect(served, served.output).toMatchObject({ status: 0 });
    expect(JSON.parse(served.output.trim().split('\n').pop()!)).toMatchObject({ status: 201, body: { topupId: 'tp-0001', status: 'ACCEPTED' } });
  }, 120_000);

  it('the reference has its page and lists it on the landing page', () => {
    const turbo = run('pnpm', ['turbo', 'run', 'build', '--filter=@carrier-api/reference', '--concurrency=2', '--output-logs=errors-only']);
    expect(turbo, turbo.output).toMatchObject({ status: 0 });
    const site = join(copy, 'packages/reference/dist/site');
    expect(readFileSync(join(site, api, 'index.html'), 'utf8')).toContain('Example Top-up API');
    expect(readFileSync(join(site, 'index.html'), 'utf8')).toContain(`${api}/index.html`);
  }, 600_000);
});
