import { CarrierAbortError, CarrierTimeoutError, type RequestContext } from './errors.js';

/**
 * The limits of one call that hold while it waits for something (a token, a response body), and
 * what its errors carry: the call's context (operationId, idempotency key, request id, attempts)
 * and the secrets to keep out of their messages.
 */
export interface CallLimits {
  context: RequestContext;
  secrets: () => readonly string[];
  callerSignal: AbortSignal | undefined;
  /** When the whole call must end, in ms since the epoch; undefined: no deadline. */
  deadlineAt: number | undefined;
  /** The call's deadline as configured, in ms (what a CarrierTimeoutError's `limit` reports); set whenever `deadlineAt` is. */
  deadlineMs: number | undefined;
  /**
   * The call's own deadline timer (undici's path: unref'd, see watchDeadline), used instead of a
   * timer here; it resolves when `deadlineAt` comes.
   */
  deadlineReached?: Promise<unknown> | undefined;
  /**
   * Told when a limit wins, before the wait rejects with `error`: the body read ends its attempt's
   * request, the token wait reports the failure. Must not throw.
   */
  onLimit?: ((error: CarrierAbortError | CarrierTimeoutError) => void) | undefined;
}

/** The error a call ends with when its caller's signal fired: the signal's reason is its cause. */
export function callAborted(limits: CallLimits): CarrierAbortError {
  return new CarrierAbortError(limits.context, limits.callerSignal?.reason, limits.secrets());
}

/** The error a call ends with when its deadline (`deadlineMs`) ran out: a CarrierTimeoutError whose `limit` is `deadline`. */
export function callPastDeadline(limits: CallLimits): CarrierTimeoutError {
  return new CarrierTimeoutError(limits.context, 'deadline', limits.deadlineMs!, limits.secrets());
}

/**
 * Calls `reached` when the call's deadline comes: on `deadlineReached` where the call has that
 * timer (nothing to clear then), else on a timer of its own, which the caller clears once it no
 * longer waits (a timer left to fire would keep the process alive until the deadline).
 *
 * @returns The timer to clear; undefined without one (no deadline, or `deadlineReached`).
 */
export function atDeadline(limits: CallLimits, reached: () => void): ReturnType<typeof setTimeout> | undefined {
  if (limits.deadlineReached) {
    void limits.deadlineReached.then(reached);
    return undefined;
  }
  return limits.deadlineAt === undefined ? undefined : setTimeout(reached, Math.max(0, limits.deadlineAt - Date.now()));
}

/**
 * `work`, unless the caller's signal or the call's deadline comes first: what the carrier fetch
 * waits for within a call (a token, a response body) must not hold the call past either, even
 * where the thing waited for cannot be stopped (a token renewal shared with other calls) or
 * ignores the signal (a fetch of the caller's). The work itself goes on when it loses; its
 * outcome stays handled (no unhandled rejection).
 *
 * Costs nothing without a signal and a deadline (`work` itself is returned); otherwise a promise
 * with its handlers and at most one timer (none with `deadlineReached`), which is cleared as soon
 * as the race is decided, when the abort listener is removed too.
 *
 * @param work - What the call waits for.
 * @param limits - The call's signal and deadline (ms since the epoch), and what its errors carry.
 * @returns What `work` gave.
 * @throws CarrierAbortError (the caller's signal fired, or had fired already: its reason is the
 *   cause) or CarrierTimeoutError (`limit` `deadline`, after `deadlineMs` ms), carrying the call's
 *   context, so that a call ends with the same typed error whatever it was waiting for; else
 *   whatever `work` rejects with, as it is.
 */
export function withinCallLimits<T>(work: Promise<T>, limits: CallLimits): Promise<T> {
  const { callerSignal, deadlineAt } = limits;
  if (callerSignal === undefined && deadlineAt === undefined) return work;
  return new Promise<T>((resolve, reject) => {
    let done = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = () => lost(callAborted(limits));
    const pastDeadline = () => {
      if (!done) lost(callPastDeadline(limits));
    };
    function finish(): boolean {
      if (done) return false;
      done = true;
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onAbort);
      return true;
    }
    function lost(error: CarrierAbortError | CarrierTimeoutError) {
      if (!finish()) return;
      limits.onLimit?.(error);
      reject(error);
    }
    work.then(
      (value) => {
        if (finish()) resolve(value);
      },
      (error: unknown) => {
        if (finish()) reject(error);
      },
    );
    if (callerSignal?.aborted) return onAbort();
    timer = atDeadline(limits, pastDeadline);
    callerSignal?.addEventListener('abort', onAbort, { once: true });
  });
}
