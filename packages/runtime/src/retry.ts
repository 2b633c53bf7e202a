export interface RetryOptions {
  /** Attempts in all, the first included. Default 3. */
  maxAttempts?: number;
  /** Base of the exponential backoff. Default 200 ms. */
  initialDelayMs?: number;
  /** Cap of one wait. Default 5 s. */
  maxDelayMs?: number;
  /** No retry starts once this much time has passed since the first attempt. Default 20 s. */
  maxElapsedMs?: number;
  /** Statuses worth another try. Default: 409 (same idempotency key still executing), 500, 502, 503, 504. */
  retryOnStatuses?: readonly number[];
  /** Told of every retry before its wait; for logs and metrics. */
  onRetry?: (event: RetryEvent) => void;
  /** Injectable for tests. */
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface RetryEvent {
  operationId: string | undefined;
  /** The attempt that failed (1 for the first). */
  attempt: number;
  /** The wait before the next attempt, in ms. */
  delayMs: number;
  /** `HTTP 503`, `network error`, `timeout`. */
  reason: string;
}

export type ResolvedRetryPolicy = Required<Omit<RetryOptions, 'onRetry'>> & Pick<RetryOptions, 'onRetry'>;

/** Never retried, whatever the caller configures: the server has decided (400/401/404/429/501). */
const finalStatuses = new Set([400, 401, 403, 404, 405, 406, 415, 422, 429, 501]);

/**
 * The retry options with their defaults filled in.
 * @param options - What the caller passed; `false` means one attempt.
 * @throws RangeError when `maxAttempts` is not an integer of at least 1.
 */
export function resolveRetryPolicy(options: RetryOptions | false | undefined): ResolvedRetryPolicy {
  const given = options === false ? { maxAttempts: 1 } : (options ?? {});
  const policy: ResolvedRetryPolicy = {
    maxAttempts: given.maxAttempts ?? 3,
    initialDelayMs: given.initialDelayMs ?? 200,
    maxDelayMs: given.maxDelayMs ?? 5_000,
    maxElapsedMs: given.maxElapsedMs ?? 20_000,
    retryOnStatuses: (given.retryOnStatuses ?? [409, 500, 502, 503, 504]).filter((status) => !finalStatuses.has(status)),
    onRetry: given.onRetry,
    random: given.random ?? Math.random,
    sleep: given.sleep ?? sleep,
  };
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw new RangeError(`retry.maxAttempts must be an integer of at least 1, got ${given.maxAttempts}`);
  }
  return policy;
}

/**
 * A request may be sent again only when that cannot do something twice: reads, and writes that
 * carry an idempotency key (the server answers a repeat with the first response, or 409).
 */
export function isSafeToRetry(method: string, hasIdempotencyKey: boolean): boolean {
  return ['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase()) || hasIdempotencyKey;
}

/** Exponential backoff with full jitter: a random wait in [0, min(maxDelay, initial * 2^(attempt-1))]. */
export function backoffDelay(attempt: number, policy: ResolvedRetryPolicy): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
  return Math.round(policy.random() * ceiling);
}

/** `Retry-After` as milliseconds to wait: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Waits `ms` milliseconds; rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
