import { describe, expect, it } from 'vitest';
import { pointerOf, pointerSegments, resolvePointer } from '../src/load.ts';
import type { OpenApiDocument } from '../src/openapi.ts';

const document = {
  paths: { '/auth/transactions/{transactionId}': { get: { security: [{ 'a~b': [] }] } } },
  components: { securitySchemes: { 'reports:read/write': { type: 'apiKey' } } },
} as unknown as OpenApiDocument;

// The keys of a place, its pointer as lint output and the spec review print it, and what it names.
const rows: { keys: string[]; pointer: string; names: unknown }[] = [
  { keys: ['paths', '/auth/transactions/{transactionId}', 'get', 'security'], pointer: '#/paths/~1auth~1transactions~1{transactionId}/get/security', names: [{ 'a~b': [] }] },
  { keys: ['paths', '/auth/transactions/{transactionId}', 'get', 'security', '0', 'a~b'], pointer: '#/paths/~1auth~1transactions~1{transactionId}/get/security/0/a~0b', names: [] },
  { keys: ['components', 'securitySchemes', 'reports:read/write', 'type'], pointer: '#/components/securitySchemes/reports:read~1write/type', names: 'apiKey' },
];

describe('JSON pointers', () => {
  it.each(rows)('$pointer', ({ keys, pointer, names }) => {
    expect(pointerOf(...keys)).toBe(pointer);
    expect(pointerSegments(pointer)).toEqual(keys);
    expect(resolvePointer(document, pointer)).toEqual(names);
  });

  it('reads a percent-encoded pointer as a URI fragment', () => {
    expect(pointerSegments('#/paths/~1x~1%7Bid%7D')).toEqual(['paths', '/x/{id}']);
  });

  it('refuses a pointer into another document, and one that names nothing', () => {
    expect(() => pointerSegments('other.yaml#/components')).toThrow('Only local $refs are resolved in a bundle; got other.yaml#/components');
    expect(() => resolvePointer(document, '#/components/securitySchemes/none')).toThrow('Unresolvable $ref #/components/securitySchemes/none');
  });
});
