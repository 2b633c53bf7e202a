import { MockStartError } from '../errors.js';
import { MIN_JOURNAL_ENTRY_BYTES } from './journal-bound.js';
import { seedProblem } from './sandbox.js';
import type { ResolvedSandboxSettings, SandboxOptions } from './types.js';

/**
 * The sandbox's options with their defaults, checked: every surface (`startMock`, the CLI, the
 * MSW handlers) resolves them here.
 *
 * @throws MockStartError `INVALID_OPTIONS` naming the option and the rule.
 */
export function resolveSettings(options: SandboxOptions): ResolvedSandboxSettings {
  const positive = (name: string, value: number | undefined, fallback: number) => {
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || value < 1) throw new MockStartError('INVALID_OPTIONS', `sandbox.${name} must be a positive integer; got ${String(value)}.`);
    return value;
  };
  const atLeast = (name: string, value: number | undefined, min: number, fallback: number) => {
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || value < min) throw new MockStartError('INVALID_OPTIONS', `sandbox.${name} must be an integer of at least ${min}; got ${String(value)}.`);
    return value;
  };
  if (options.pin !== undefined && (typeof options.pin !== 'string' || options.pin === '')) throw new MockStartError('INVALID_OPTIONS', 'sandbox.pin must be a non-empty string.');
  const problem = options.seed === undefined ? undefined : seedProblem(options.seed);
  if (problem) throw new MockStartError('INVALID_OPTIONS', `sandbox.seed: ${problem}`);
  return {
    pin: options.pin ?? '1234',
    maxPinAttempts: positive('maxPinAttempts', options.maxPinAttempts, 3),
    tokenTtlSeconds: positive('tokenTtlSeconds', options.tokenTtlSeconds, 300),
    refreshTokenTtlSeconds: positive('refreshTokenTtlSeconds', options.refreshTokenTtlSeconds, 1800),
    users: options.users,
    apiKeys: options.apiKeys,
    idempotencyTtlMs: positive('idempotencyTtlMs', options.idempotencyTtlMs, 24 * 60 * 60 * 1000),
    idempotencyLeaseMs: positive('idempotencyLeaseMs', options.idempotencyLeaseMs, 5000),
    journalLimit: positive('journalLimit', options.journalLimit, 10_000),
    journalEntryMaxBytes: atLeast('journalEntryMaxBytes', options.journalEntryMaxBytes, MIN_JOURNAL_ENTRY_BYTES, 4096),
    clock: options.clock ?? Date.now,
  };
}

