import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** The carrier-mock executable of this package (its built dist). */
export const bin = join(import.meta.dirname, '..', '..', 'bin', 'carrier-mock.js');

/**
 * Runs carrier-mock; resolves once it printed `lines` URL lines (or exited), bounded by a timeout.
 * Start-up takes about a second on a quiet machine; the bound is for a machine where turbo runs
 * other suites on the same two cores, and only says something is wrong when it is passed.
 */
export function runCli(args: string[], lines = 0) {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`carrier-mock did not start in 45 s: ${stderr}`)), 45_000);
    const check = () => {
      if (stdout.trim().split('\n').filter(Boolean).length >= lines) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      check();
    });
    exited.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
  return { child, ready, exited, output: () => ({ stdout, stderr }) };
}
