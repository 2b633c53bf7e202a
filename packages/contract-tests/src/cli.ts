import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { ContractCredentials } from './credentials.js';
import { formatReport, type ReporterName } from './reporters.js';
import { runContractTests } from './run.js';

const usage = `usage: carrier-contract --api <name> --base-url <url>
         [--token T | --username U --password P [--client-id C] [--token-url URL] | --api-key K]
         [--reporter pretty|json|junit] [--output file] [--filter text]

Runs the contract cases of an API against a server; exits 1 when any case fails.`;

export async function main(argv: string[]): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        api: { type: 'string' },
        'base-url': { type: 'string' },
        token: { type: 'string' },
        username: { type: 'string' },
        password: { type: 'string' },
        'client-id': { type: 'string' },
        'token-url': { type: 'string' },
        'api-key': { type: 'string' },
        reporter: { type: 'string', default: 'pretty' },
        output: { type: 'string' },
        filter: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    return fail(`${(error as Error).message}\n\n${usage}`);
  }
  if (values.help) return void console.log(usage);
  if (!values.api || !values['base-url']) return fail(`--api and --base-url are required\n\n${usage}`);
  if (!['pretty', 'json', 'junit'].includes(values.reporter!)) return fail(`--reporter must be pretty, json or junit, got "${values.reporter}"`);
  if ((values.username === undefined) !== (values.password === undefined)) return fail('--username and --password go together');

  const credentials: ContractCredentials | undefined = values.token
    ? { token: values.token }
    : values['api-key']
      ? { apiKey: values['api-key'] }
      : values.username
        ? { username: values.username, password: values.password!, clientId: values['client-id'], tokenUrl: values['token-url'] }
        : undefined;
  try {
    const report = await runContractTests({ api: values.api, baseUrl: values['base-url'], credentials, filter: values.filter });
    const text = formatReport(report, values.reporter as ReporterName);
    if (values.output) writeFileSync(values.output, text);
    else process.stdout.write(text);
    if (values.output) console.error(`${report.passed} passed, ${report.failed} failed`);
    process.exitCode = report.failed > 0 ? 1 : 0;
  } catch (error) {
    fail(`carrier-contract: ${(error as Error).message}`, 1);
  }
}

function fail(message: string, code = 2): void {
  console.error(message);
  process.exitCode = code;
}
