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
