import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ChangeLevel, SpecChange } from './changes.ts';

const oasdiffBin = resolve(import.meta.dirname, '../../../.tools/bin/oasdiff');
/** Our client-consumer policy on top of oasdiff's defaults (see README). */
const severityLevels = resolve(import.meta.dirname, '../severity-levels.txt');

interface OasdiffEntry {
  id: string;
  text: string;
  level: 1 | 2 | 3;
  operation?: string;
  operationId?: string;
  path?: string;
}

const levels: Record<OasdiffEntry['level'], ChangeLevel> = { 3: 'breaking', 2: 'warning', 1: 'safe' };

/** oasdiff's changelog of two spec files: every change to operations, parameters, bodies, responses, enums and security. */
export function oasdiffChangelog(baseFile: string, revisionFile: string): SpecChange[] {
  if (!existsSync(oasdiffBin)) throw new Error(`oasdiff is not installed at ${oasdiffBin}: run pnpm install.`);
  const output = execFileSync(oasdiffBin, ['changelog', baseFile, revisionFile, '--format', 'json', '--severity-levels', severityLevels], {
    encoding: 'utf8',
    cwd: join(import.meta.dirname, '..'),
    maxBuffer: 64 * 1024 * 1024,
  });
  const entries = JSON.parse(output || '[]') as OasdiffEntry[] | null;
  return (entries ?? []).map((entry) => ({
    rule: entry.id,
    level: levels[entry.level],
    text: entry.text,
    ...(entry.operation && entry.path ? { operation: `${entry.operation} ${entry.path}` } : {}),
    ...(entry.operationId ? { operationId: entry.operationId } : {}),
  }));
}
