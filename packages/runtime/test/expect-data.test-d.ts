import { describe, expectTypeOf, it } from 'vitest';
import { expectData, type SuccessData } from '../src/index.js';

// The two shapes openapi-fetch resolves to (its FetchResponse): the success branch carries the
// documented 2xx body, `undefined` included only when the spec documents an empty success.
type Documented = { data: { id: string }; error?: never; response: Response } | { data?: never; error: { code: string }; response: Response };
type EmptyAllowed = { data: { id: string } | undefined; error?: never; response: Response } | { data?: never; error: { code: string }; response: Response };
type NoErrorDocumented = { data: { id: string }; error?: never; response: Response } | { data?: never; error: never; response: Response };

describe('expectData types', () => {
  it('claims the documented data, and undefined only where the spec allows an empty success', () => {
    expectTypeOf<SuccessData<Documented>>().toEqualTypeOf<{ id: string }>();
    expectTypeOf<SuccessData<EmptyAllowed>>().toEqualTypeOf<{ id: string } | undefined>();
    expectTypeOf<SuccessData<NoErrorDocumented>>().toEqualTypeOf<{ id: string }>();
    expectTypeOf(expectData(Promise.resolve({} as Documented))).resolves.toEqualTypeOf<{ id: string }>();
    expectTypeOf(expectData(Promise.resolve({} as EmptyAllowed))).resolves.toEqualTypeOf<{ id: string } | undefined>();
  });
});
