import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// What the build wrote, or turbo restored from its cache, must be what the generator makes now:
// one more openapi-generator run (one JVM), compared byte for byte by carrier-generate-sdk --check.
describe('src/generated', () => {
  it('is what carrier-generate-sdk centili-payments writes now, byte for byte', () => {
    const root = join(import.meta.dirname, '..');
    const run = spawnSync(join(root, 'node_modules/.bin/carrier-generate-sdk'), ['centili-payments', '--check', '--out', 'src/generated'], { cwd: root, encoding: 'utf8' });
    expect({ status: run.status, output: `${run.stdout}${run.stderr}` }).toMatchObject({ status: 0 });
  }, 120_000);
});
