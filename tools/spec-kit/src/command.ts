import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, parse, resolve, sep } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;
type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>;

/**
 * Bad usage of a command: an unknown flag, a missing or malformed argument, or a command run in
 * the wrong place. Names the flag (or `cwd`) at fault and the rule it breaks; {@link runCommand}
 * answers it with one line, the usage and exit code 2.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /**
   * @param field - The flag or argument at fault (`--base`, `<api>`), or `cwd` for the place the command runs in.
   * @param rule - The rule broken, e.g. `required`, `known API`, `git repository`, `commit`.
   * @param message - One line saying what is wrong and what to do instead.
   */
  constructor(
    readonly field: string,
    readonly rule: string,
    message: string,
  ) {
    super(message);
  }
}

/** How a command of the project's tools is called. */
export interface CommandSpec<O extends Options> {
  /** The name printed before every message, e.g. `carrier-bundle`. */
  name: string;
  /** The usage text, printed after a usage error and for `--help`. */
  usage: string;
  /** `node:util` parseArgs options; unknown flags are refused (strict). `--help` is added. */
  options: O;
  /** How many positional arguments the command takes. Default: none. */
  positionals?: { min?: number; max?: number };
}

/**
 * Runs a command line tool the same way for every command of the project: strict flags, `--help`,
 * and one line for every failure, never a stack trace. A usage mistake (unknown flag, missing or
 * extra argument, a {@link UsageError} thrown by `main`) prints the line and the usage and exits
 * 2; any other error prints `<name>: <message>` and exits 1.
 *
 * @param spec - the command's name, usage and options.
 * @param main - the work, given the parsed flags and positionals; may throw {@link UsageError}.
 * @param argv - the arguments (default: `process.argv.slice(2)`).
 */
export async function runCommand<O extends Options>(
  spec: CommandSpec<O>,
  main: (values: Parsed<O>['values'], positionals: string[]) => Promise<void> | void,
  argv: string[] = process.argv.slice(2),
): Promise<void> {
  try {
    const parsed = parseArgs({ args: argv, options: { ...spec.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    if ((parsed.values as { help?: boolean }).help) {
      console.log(spec.usage);
      return;
    }
    const { min = 0, max = 0 } = spec.positionals ?? {};
    const count = parsed.positionals.length;
    if (count < min) throw new UsageError('<argument>', 'count', min === max ? `expects ${min} argument(s), got ${count}` : `expects at least ${min} argument(s), got ${count}`);
    if (count > max) throw new UsageError('<argument>', 'count', `Unexpected argument '${parsed.positionals[max]}': at most ${max} are taken`);
    await main(parsed.values as Parsed<O>['values'], parsed.positionals);
  } catch (error) {
    // parseArgs explains how to pass a positional that starts with '-': not what the user needs.
    const message = (error instanceof Error ? error.message : String(error)).replace(/\. To specify a positional argument starting with a '-'.*$/s, '');
    // parseArgs' own refusals (unknown option, missing value...) are usage errors too.
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    console.error(`${spec.name}: ${message.split('\n')[0]}`);
    if (message.includes('\n')) console.error(message.split('\n').slice(1).join('\n'));
    if (usage) console.error(`\n${spec.usage}`);
    process.exitCode = usage ? 2 : 1;
  }
}

/**
 * Refuses a name that is not one of `known`, as a usage error that lists the known ones.
 *
 * @throws {UsageError} when `name` is not in `known`.
 */
export function assertKnown(what: string, name: string, known: readonly string[]): void {
  if (!known.includes(name)) throw new UsageError(`<${what}>`, `known ${what}`, `unknown ${what} "${name}"; known: ${known.join(', ')}`);
}

/**
 * Empties the output folder a generator is about to fill, after checking it is one a person can
 * lose: never the working directory or a folder above it, the home or root folder, nor a folder
 * that holds a `package.json`, `.git` or `node_modules` (a project, not generated output).
 *
 * @param dir - the `--out` folder, absolute or relative to the working directory; created when missing.
 * @throws {UsageError} naming `--out` when the folder must not be emptied.
 */
export function replaceOutputDir(dir: string): string {
  const out = checkOutputDir(dir);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  return out;
}

/**
 * The check of {@link replaceOutputDir} alone, for a command that has more to check before it
 * empties anything.
 *
 * @returns the folder's absolute path.
 * @throws {UsageError} naming `--out` when the folder must not be emptied.
 */
export function checkOutputDir(dir: string): string {
  const out = resolve(dir);
  const cwd = process.cwd();
  const above = out === cwd || cwd.startsWith(out.endsWith(sep) ? out : out + sep);
  const project = ['package.json', '.git', 'node_modules'].find((name) => existsSync(join(out, name)));
  if (above || out === homedir() || out === parse(out).root || project) {
    const why = project ? `it holds ${project}` : 'it holds the working directory or is a home or root folder';
    throw new UsageError('--out', 'generated folder', `--out ${dir}: refusing to empty it, ${why}; give a folder of its own`);
  }
  return out;
}
