import { describe, expect, it } from 'vitest';
import { CarrierApiError, CarrierIdempotencyKeyReusedError, createApiError, IDEMPOTENCY_KEY_REUSED, isCarrierIdempotencyKeyReusedError, type RequestContext } from '../src/index.js';

/**
 * A key reused with another request (issue 27, input 1): the documented 422
 * (specs/shared/responses/IdempotencyKeyReused.yaml) is a typed error that carries the key; no
 * other answer is taken for it.
 */
const context = (idempotencyKey: string | undefined): RequestContext => ({ operationId: 'startTransaction', method: 'POST', url: 'http://127.0.0.1/auth/transactions', requestReference: undefined, idempotencyKey, attempts: 1 });
const reusedBody = { code: IDEMPOTENCY_KEY_REUSED, message: 'The Idempotency-Key was already used with a different request' };

describe('createApiError', () => {
  it.each([
    { row: 'the documented 422 to a keyed request', status: 422, body: reusedBody, key: 'order-r1', reused: true },
    { row: 'the same 422 to a request without a key (nothing to reuse)', status: 422, body: reusedBody, key: undefined, reused: false },
    { row: 'a 422 of another code', status: 422, body: { code: 'UNPROCESSABLE', message: 'price' }, key: 'order-r1', reused: false },
    { row: 'the code under another status', status: 409, body: reusedBody, key: 'order-r1', reused: false },
    { row: 'a 422 whose body is text', status: 422, body: 'IDEMPOTENCY_KEY_REUSED', key: 'order-r1', reused: false },
  ])('$row: reused = $reused', ({ status, body, key, reused }) => {
    const error = createApiError(status, body, context(key));
    expect(error).toBeInstanceOf(CarrierApiError);
    expect(error.status).toBe(status);
    expect(error.idempotencyKey).toBe(key);
    expect(isCarrierIdempotencyKeyReusedError(error)).toBe(reused);
    expect(error instanceof CarrierIdempotencyKeyReusedError).toBe(reused);
    if (reused) {
      expect(error.name).toBe('CarrierIdempotencyKeyReusedError');
      expect(error.message).toBe('startTransaction failed with HTTP 422 (IDEMPOTENCY_KEY_REUSED): Idempotency-Key "order-r1" was already used with a different request; nothing was executed, and the key keeps its first request\'s outcome');
      expect(error.code).toBe(IDEMPOTENCY_KEY_REUSED);
      expect(JSON.parse(JSON.stringify(error))).toMatchObject({ name: 'CarrierIdempotencyKeyReusedError', status: 422, idempotencyKey: 'order-r1' });
    }
  });

  it('masks a secret the server echoes in the body', () => {
    const error = createApiError(422, { ...reusedBody, message: 'reused by token tok_abcdef123456' }, context('order-r1'), ['tok_abcdef123456']);
    expect(JSON.stringify(error)).not.toContain('tok_abcdef123456');
    expect(isCarrierIdempotencyKeyReusedError(error)).toBe(true);
  });
});
