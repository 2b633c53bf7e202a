import { relative } from 'node:path';
import { getLineColLocation, lint, type NormalizedProblem } from '@redocly/openapi-core';
import { redoclyConfig, redoclyConfigPath, repoRoot } from './apis.ts';

export interface LintProblem {
  file: string;
  line: number;
  column: number;
  pointer: string;
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
}

/** Lints spec files with the ruleset of redocly.yaml (built-in rules plus carrier/*). */
export async function lintSpecs(files: string[], configPath: string = redoclyConfigPath): Promise<LintProblem[]> {
  const config = await redoclyConfig(configPath);
  const problems: LintProblem[] = [];
  for (const file of files) {
    for (const problem of await lint({ ref: file, config })) {
      if (problem.ignored) continue;
      problems.push(toLintProblem(problem));
    }
  }
  return problems;
}

function toLintProblem(problem: NormalizedProblem): LintProblem {
  const location = problem.location[0];
  const lineCol = location ? getLineColLocation(location) : undefined;
  return {
    file: location ? relative(repoRoot, location.source.absoluteRef) : '<unknown>',
    line: lineCol?.start.line ?? 0,
    column: lineCol?.start.col ?? 0,
    pointer: location?.pointer ?? '#/',
    ruleId: problem.ruleId,
    severity: problem.severity === 'error' ? 'error' : 'warn',
    message: problem.message,
  };
}

/** `file:line:col pointer severity rule: message`, one line a problem, like compilers print. */
export function formatProblem(problem: LintProblem): string {
  return `${problem.file}:${problem.line}:${problem.column} ${problem.pointer} ${problem.severity} ${problem.ruleId}: ${problem.message}`;
}
