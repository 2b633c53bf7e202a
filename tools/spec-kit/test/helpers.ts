import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { specsDir } from '../src/apis.ts';

/** A throw-away copy of specs/, for tests that break a spec on purpose. */
export function copySpecs(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'carrier-specs-')), 'specs');
  cpSync(specsDir, dir, { recursive: true });
  return dir;
}
