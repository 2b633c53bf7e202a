import type { Expected } from './table.ts';

/** How a call ended. */
export type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Waits for a call, keeping what it threw instead of throwing. */
export async function settle(pending: () => Promise<unknown>): Promise<Settled> {
  try {
    return { ok: true, value: await pending() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** What tells typed errors of one name apart: the parse failure's reason, the status, the field. */
interface ErrorFields {
  name?: string | undefined;
  reason?: string | undefined;
  status?: number | undefined;
  field?: string | undefined;
  /** CarrierTimeoutError: `timeout` or `deadline`. */
  limit?: string | undefined;
}

/** The class of a typed error (`CarrierParseError:empty`, `CarrierApiError:404`, `CarrierTimeoutError:deadline`), undefined for any other. */
function typedClass(error: ErrorFields): string | undefined {
  switch (error.name) {
    case 'CarrierParseError':
      return `CarrierParseError:${error.reason}`;
    case 'CarrierResponseValidationError':
      return 'CarrierResponseValidationError';
    case 'CarrierApiError':
      return `CarrierApiError:${error.status}`;
    case 'CarrierTimeoutError':
      return `CarrierTimeoutError:${error.limit}`;
    case 'CarrierValidationError':
      return `CarrierValidationError:${error.field}`;
    default:
      return undefined;
  }
}

/**
 * The outcome class both kinds must agree on: `data`, or the typed error's name with its
 * distinguishing field (`CarrierParseError:empty`, `CarrierApiError:404`). A bare SyntaxError or
 * TypeError comes out as `untyped SyntaxError: …`, which no row expects.
 */
export function outcomeClass(settled: Settled): string {
  if (settled.ok) return 'data';
  const error = settled.error as (ErrorFields & { message?: string }) | null | undefined;
  return (error && typedClass(error)) ?? `untyped ${error?.name ?? typeof error}: ${error?.message ?? String(error)}`;
}

/** The outcome class a row expects. */
export function expectedClass(expected: Expected): string {
  if (expected === 'data') return 'data';
  return typedClass({ ...expected, name: expected.error })!;
}
