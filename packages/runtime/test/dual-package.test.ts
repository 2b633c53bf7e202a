import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import * as esm from '../dist/index.js';

// The built copies, as a process that loads the package both ways gets them: an error thrown by
// one must be recognised by the other (a Symbol.for brand, and Symbol.hasInstance on the classes).
const cjs = createRequire(import.meta.url)('../dist/index.cjs') as typeof esm;
const context = { operationId: 'startTransaction', method: 'POST', url: 'http://127.0.0.1/x', requestReference: undefined, idempotencyKey: 'k-1', attempts: 2 };

const copies = [
  { from: 'CJS', to: 'ESM', thrower: cjs, checker: esm },
  { from: 'ESM', to: 'CJS', thrower: esm, checker: cjs },
];

describe('errors are recognised across the ESM and CJS copies of the runtime', () => {
  it('the copies are two distinct module instances', () => {
    expect(cjs.CarrierApiError).not.toBe(esm.CarrierApiError);
  });

  it.each(copies)('thrown by $from, checked by $to', ({ thrower, checker }) => {
    const api = new thrower.CarrierAuthError(401, { error: 'invalid_grant' }, context);
    const timeout = new thrower.CarrierTimeoutError(context, 'timeout', 200);
    const abort = new thrower.CarrierAbortError(context, new Error('stop'));
    const validation = new thrower.CarrierValidationError('auth.apiKey', 'required', 'missing');
    expect(checker.isCarrierApiError(api)).toBe(true);
    expect(api).toBeInstanceOf(checker.CarrierApiError);
    expect(api).toBeInstanceOf(checker.CarrierAuthError);
    expect(api).toBeInstanceOf(checker.CarrierError);
    expect(api).not.toBeInstanceOf(checker.CarrierNetworkError);
    expect(checker.isCarrierTimeoutError(timeout) && checker.isCarrierNetworkError(timeout)).toBe(true);
    expect(timeout).toBeInstanceOf(checker.CarrierNetworkError);
    expect(checker.isCarrierAbortError(abort) && !checker.isCarrierNetworkError(abort)).toBe(true);
    expect(validation).toBeInstanceOf(checker.CarrierValidationError);
    expect(checker.isCarrierApiError(validation)).toBe(false);
    const reused = thrower.createApiError(422, { code: 'IDEMPOTENCY_KEY_REUSED' }, context);
    expect(checker.isCarrierIdempotencyKeyReusedError(reused)).toBe(true);
    expect(reused).toBeInstanceOf(checker.CarrierIdempotencyKeyReusedError);
    expect(reused).toBeInstanceOf(checker.CarrierApiError);
    expect(api).not.toBeInstanceOf(checker.CarrierIdempotencyKeyReusedError);
    expect(checker.isCarrierError(new Error('plain'))).toBe(false);
    expect(new Error('plain')).not.toBeInstanceOf(checker.CarrierError);
  });
});

describe('instanceof with a subclass of the caller', () => {
  it('checks the prototype chain, not the brand', () => {
    class PaymentDeclined extends esm.CarrierApiError {}
    const declined = new PaymentDeclined(402, {}, context);
    const other = new esm.CarrierApiError(402, {}, context);
    expect(declined).toBeInstanceOf(PaymentDeclined);
    expect(other).not.toBeInstanceOf(PaymentDeclined);
    expect(declined).toBeInstanceOf(cjs.CarrierApiError);
  });
});
