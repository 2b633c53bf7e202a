import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { checkKinds, type CheckKind } from './behaviour.js';
import { ContractUsageError, type ContractCredentials } from './credentials.js';
import { formatReport, type ReporterName } from './reporters.js';
import { runContractTests } from './run.js';

const usage = `usage: carrier-contract --api <name> --base-url <url>
         [--token T | --username U --password P [--client-id C] [--token-url URL] | --api-key K]
         [--reporter pretty|json|junit] [--output file] [--filter text]
         [--checks shape,flow,idempotency,auth,negative] [--pin PIN] [--read-only] [--rate N]
         [--header 'Name: value']...

Runs the contract checks of an API against a server: the shape of each answer, flows along the
spec's links, Idempotency-Key replays, credentials, documented 404/400/429. --pin gives the
server's test PIN (the checks that need it are skipped without it), --read-only skips every check
that changes state, --rate sends at most N requests per second, --header adds a header to every
request (e.g. 'X-Sandbox-Session: <id>' to run in a session of a shared sandbox). Exits 1 when any check fails,
2 on bad usage.`;

/** Bad usage: told in one line with the usage, exit code 2. */
class UsageError extends Error {}

const isHttpUrl = (text: string) => {
  try {
    return ['http:', 'https:'].includes(new URL(text).protocol);
  } catch {
    return false;
  }
};

/**
 * The `carrier-contract` command. Sets `process.exitCode`: 0 no check failed (skipped ones are listed as such), 1 a check failed or
 * the run could not be done (server or token endpoint unreachable, login refused), 2 bad usage
 * (unknown flag, missing or malformed argument, credentials of a kind the API does not take).
 * Never throws: every problem is one line on stderr.
 *
 * @param argv - The arguments after the command name.
 */
export async function main(argv: string[]): Promise<void> {
  let options: ReturnType<typeof parse>;
  try {
    options = parse(argv);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) return fail(usageLine(error as Error));
    throw error;
  }
  if (options === 'help') return void console.log(usage);
  try {
    const report = await runContractTests(options.run);
    const text = formatReport(report, options.reporter);
    if (options.output) {
      writeFileSync(options.output, text);
      console.error(`${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped`);
    } else process.stdout.write(text);
    process.exitCode = report.failed > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof ContractUsageError) return fail(usageLine(error));
    fail(`carrier-contract: ${oneLine(error)}`, 1);
  }
}

function parse(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
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
      checks: { type: 'string' },
      pin: { type: 'string' },
      'read-only': { type: 'boolean', default: false },
      rate: { type: 'string' },
      header: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help' as const;
  if (!values.api) throw new UsageError('--api is required');
  if (!values['base-url']) throw new UsageError('--base-url is required');
  if (!isHttpUrl(values['base-url'])) throw new UsageError(`--base-url must be an absolute http(s) URL, got "${values['base-url']}"`);
  if (!['pretty', 'json', 'junit'].includes(values.reporter!)) throw new UsageError(`--reporter must be pretty, json or junit, got "${values.reporter}"`);
  if ((values.username === undefined) !== (values.password === undefined)) throw new UsageError('--username and --password go together');
  const given = [values.token !== undefined && '--token', values.username !== undefined && '--username', values['api-key'] !== undefined && '--api-key'].filter(Boolean);
  if (given.length > 1) throw new UsageError(`pass one kind of credentials, not ${given.join(' and ')}`);
  if (values.username === undefined && (values['client-id'] !== undefined || values['token-url'] !== undefined)) throw new UsageError('--client-id and --token-url go with --username and --password');
  if (values['token-url'] !== undefined && !isHttpUrl(values['token-url'])) throw new UsageError(`--token-url must be an absolute http(s) URL, got "${values['token-url']}"`);

  const checks = values.checks?.split(',').map((kind) => kind.trim());
  const unknown = checks?.find((kind) => !(checkKinds as readonly string[]).includes(kind));
  if (checks && (checks.length === 0 || unknown !== undefined)) throw new UsageError(`--checks takes a comma-separated list of ${checkKinds.join(', ')}, got "${values.checks}"`);
  const rate = values.rate === undefined ? undefined : Number(values.rate);
  if (rate !== undefined && !(Number.isFinite(rate) && rate > 0)) throw new UsageError(`--rate must be a positive number of requests per second, got "${values.rate}"`);
  if (values.pin !== undefined && values.pin === '') throw new UsageError('--pin must not be empty');

  const headers: Record<string, string> = {};
  for (const header of values.header ?? []) {
    const match = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):\s*(.*)$/.exec(header);
    if (!match || /[\r\n]/.test(match[2]!)) throw new UsageError(`--header must be "Name: value" (a token, a colon, a value on one line), got "${header}"`);
    headers[match[1]!] = match[2]!.trim();
  }

  const credentials: ContractCredentials | undefined =
    values.token !== undefined
      ? { token: values.token }
      : values['api-key'] !== undefined
        ? { apiKey: values['api-key'] }
        : values.username !== undefined
          ? { username: values.username, password: values.password!, clientId: values['client-id'], tokenUrl: values['token-url'] }
          : undefined;
  return {
    run: { api: values.api, baseUrl: values['base-url'], credentials, filter: values.filter, checks: checks as CheckKind[] | undefined, pin: values.pin, readOnly: values['read-only'], rate, headers },
    reporter: values.reporter as ReporterName,
    output: values.output,
  };
}

const oneLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
const usageLine = (error: Error) => `carrier-contract: ${oneLine(error)}\n\n${usage}`;

function fail(message: string, code = 2): void {
  console.error(message);
  process.exitCode = code;
}
