import type { ContractReport } from './run.js';

export type ReporterName = 'pretty' | 'json' | 'junit';

export function formatReport(report: ContractReport, reporter: ReporterName): string {
  if (reporter === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  if (reporter === 'junit') return junit(report);
  return pretty(report);
}

/** One line per case; each failure names the operation, the case, the JSON pointer and the rule. */
function pretty(report: ContractReport): string {
  const lines = [`${report.api} against ${report.baseUrl}`];
  for (const result of report.results) {
    lines.push(`  ${result.failures.length === 0 ? '✓' : '✗'} ${result.id} (${result.status ?? 'no answer'}) ${result.name}`);
    for (const failure of result.failures) lines.push(`      ${result.operationId} › ${result.name}: ${failure.pointer} [${failure.rule}] ${failure.message}`);
  }
  lines.push(`${report.passed} passed, ${report.failed} failed`);
  return `${lines.join('\n')}\n`;
}

const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function junit(report: ContractReport): string {
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const total = report.results.reduce((sum, result) => sum + result.durationMs, 0);
  const cases = report.results.map((result) => {
    const open = `    <testcase classname="${xml(`${report.api}.${result.operationId}`)}" name="${xml(`${result.id}: ${result.name}`)}" time="${seconds(result.durationMs)}"`;
    if (result.failures.length === 0) return `${open}/>`;
    const message = result.failures.map((failure) => `${failure.pointer} [${failure.rule}] ${failure.message}`).join('\n');
    return `${open}>\n      <failure message="${xml(result.failures[0]!.message)}" type="${xml(result.failures[0]!.rule)}">${xml(message)}</failure>\n    </testcase>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="carrier-contract" tests="${report.results.length}" failures="${report.failed}" time="${seconds(total)}">
  <testsuite name="${xml(report.api)}" tests="${report.results.length}" failures="${report.failed}" time="${seconds(total)}">
${cases.join('\n')}
  </testsuite>
</testsuites>
`;
}
