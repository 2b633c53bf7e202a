import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * Bad usage of a command: an unknown flag, a missing or malformed argument, or a command run in
 * the wrong place. Names the flag (or `cwd`) at fault and the rule it breaks; a CLI answers it
 * with one line, its usage and exit code 2.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /**
   * @param field - The flag at fault (`--base`), or `cwd` for the place the command runs in.
   * @param rule - The rule broken, e.g. `known flag`, `git repository`, `commit`.
   * @param message - One line saying what to do instead.
   */
  constructor(
    readonly field: string,
    readonly rule: string,
    message: string,
  ) {
    super(message);
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Runs a command: parses `argv` strictly (no unknown flags; positionals only when `maxPositionals`
 * allows them), answers `--help`, and turns every failure into a message on stderr (one line for
 * bad usage), never a stack trace: exit code 2 for bad usage ({@link UsageError}, or a flag
 * parseArgs refuses), 1 for anything else. The body sets its own exit code for its verdict.
 *
 * @param name - The command, as the user types it (`spec-diff`).
 * @param usage - Its usage text, printed after a usage error and for `--help`.
 * @param options - Its flags, for node:util parseArgs.
 * @param body - The command, given the parsed flags and positionals.
 * @param maxPositionals - How many positionals it takes at most (default 0: none).
 */
export async function runCli<T extends Options>(
  name: string,
  usage: string,
  options: T,
  body: (values: ReturnType<typeof parseArgs<{ options: T; strict: true; allowPositionals: false }>>['values'], positionals: string[]) => Promise<void>,
  maxPositionals = 0,
): Promise<void> {
  try {
    const { values, positionals } = parseArgs({ args: process.argv.slice(2), options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: maxPositionals > 0 });
    if ((values as { help?: boolean }).help) {
      console.log(usage);
      return;
    }
    if (positionals.length > maxPositionals) throw new UsageError('<argument>', 'count', `Unexpected argument '${positionals[maxPositionals]}': at most ${maxPositionals} are taken`);
    await body(values as never, positionals);
  } catch (error) {
    const usageError = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    const message = error instanceof Error ? error.message : String(error);
    // A usage error is one line; any other failure keeps its whole message (a bundler's list of problems), never a stack.
    console.error(`${name}: ${usageError ? message.split('\n')[0] : message.trimEnd()}`);
    if (usageError) console.error(`\n${usage}`);
    process.exitCode = usageError ? 2 : 1;
  }
}

/**
 * Where the user typed the command: pnpm runs a root script in the root of this repository, but
 * keeps the folder it was called from in INIT_CWD (`pnpm -C <carrier-api> spec-diff` from another
 * repository reviews that one). Only when `script` is the pnpm script being run: a command started
 * some other way (a test's child process) uses its own working directory.
 *
 * @param script - The root package.json script that runs the command (`spec-diff`).
 */
export function invocationDir(script: string): string {
  return process.env.npm_lifecycle_event === script && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();
}
