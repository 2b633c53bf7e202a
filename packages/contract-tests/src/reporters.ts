import { checkKinds } from './behaviour.js';
import type { CaseResult, ContractReport } from './run.js';

/** The report formats of {@link formatReport}. */
export type ReporterName = 'pretty' | 'json' | 'junit';

/**
 * A report as text: `pretty` (one line per check, grouped by kind, each failure naming the check,
 * the JSON pointer and the rule), `json` (the report object) or `junit` (one `<testsuite>` per kind,
 * skipped checks as `<skipped>`).
 */
export function formatReport(report: ContractReport, reporter: ReporterName): string {
  if (reporter === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  if (reporter === 'junit') return junit(report);
  return pretty(report);
}

const byKind = (report: ContractReport) => checkKinds.map((kind) => ({ kind, counts: report.kinds[kind], results: report.results.filter((result) => result.kind === kind) })).filter((group) => group.results.length > 0);
const counts = (c: { passed: number; failed: number; skipped: number }) => `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`;

function pretty(report: ContractReport): string {
  const lines = [`${report.api} against ${report.baseUrl}`];
  for (const group of byKind(report)) {
    lines.push(`${group.kind}: ${counts(group.counts)}`);
    for (const result of group.results) {
      const mark = result.outcome === 'passed' ? '✓' : result.outcome === 'failed' ? '✗' : '-';
      const status = result.outcome === 'skipped' ? `skipped: ${result.skipReason}` : (result.status ?? 'no answer');
      lines.push(`  ${mark} ${result.id} (${status}) ${result.name}`);
      if (result.outcome === 'failed') lines.push(`      enforces ${result.enforces}`);
      for (const failure of result.failures) lines.push(`      ${result.operationId} › ${result.name}: ${failure.pointer} [${failure.rule}] ${failure.message}`);
    }
  }
  lines.push(counts(report));
  return `${lines.join('\n')}\n`;
}

const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const seconds = (ms: number) => (ms / 1000).toFixed(3);
const total = (results: CaseResult[]) => results.reduce((sum, result) => sum + result.durationMs, 0);

function junit(report: ContractReport): string {
  const suites = byKind(report).map((group) => {
    const cases = group.results.map((result) => {
      const open = `    <testcase classname="${xml(`${report.api}.${group.kind}.${result.operationId}`)}" name="${xml(`${result.id}: ${result.name}`)}" time="${seconds(result.durationMs)}"`;
      if (result.outcome === 'passed') return `${open}/>`;
      if (result.outcome === 'skipped') return `${open}>\n      <skipped message="${xml(result.skipReason ?? '')}"/>\n    </testcase>`;
      const message = [`enforces ${result.enforces}`, ...result.failures.map((failure) => `${failure.pointer} [${failure.rule}] ${failure.message}`)].join('\n');
      return `${open}>\n      <failure message="${xml(result.failures[0]!.message)}" type="${xml(result.failures[0]!.rule)}">${xml(message)}</failure>\n    </testcase>`;
    });
    const attributes = `tests="${group.results.length}" failures="${group.counts.failed}" skipped="${group.counts.skipped}" time="${seconds(total(group.results))}"`;
    return `  <testsuite name="${xml(`${report.api} ${group.kind}`)}" ${attributes}>\n${cases.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="carrier-contract" tests="${report.results.length}" failures="${report.failed}" skipped="${report.skipped}" time="${seconds(total(report.results))}">
${suites.join('\n')}
</testsuites>
`;
}
