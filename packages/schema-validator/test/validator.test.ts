import { describe, expect, it } from 'vitest';
import { createSpecValidator, formatIssues } from '../src/index.js';

const document = {
  openapi: '3.0.3',
  info: { title: 't', version: '1' },
  paths: {},
  components: {
    schemas: {
      Error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } },
      Pool: {
        type: 'object',
        required: ['amount'],
        properties: {
          amount: { type: 'integer', minimum: 0 },
          expires: { type: 'string', format: 'date-time', nullable: true },
          error: { $ref: '#/components/schemas/Error' },
          flow: { type: 'string', enum: ['PIN', 'MO'], 'x-inferred': 'annotations are ignored', example: 'PIN' },
        },
      },
    },
  },
};

describe('createSpecValidator', () => {
  const validator = createSpecValidator(document);

  it('accepts valid values, with OpenAPI 3.0 nullable', () => {
    expect(validator.validate('#/components/schemas/Pool', { amount: 1, expires: null, flow: 'MO' })).toEqual([]);
    expect(validator.validate('#/components/schemas/Pool', { amount: 1, expires: '2026-11-24T05:45:00Z' })).toEqual([]);
  });

  it('names the JSON pointer and the rule of each issue, following $refs', () => {
    const issues = validator.validate('#/components/schemas/Pool', { amount: -1, expires: 'tomorrow', error: { code: 1 }, flow: 'SMS' });
    expect(issues).toEqual(
      expect.arrayContaining([
        { instancePath: '/amount', rule: 'minimum', message: 'must be >= 0' },
        expect.objectContaining({ instancePath: '/expires', rule: 'format' }),
        expect.objectContaining({ instancePath: '/error', rule: 'required' }),
        expect.objectContaining({ instancePath: '/error/code', rule: 'type' }),
        { instancePath: '/flow', rule: 'enum', message: 'must be equal to one of the allowed values: PIN, MO' },
      ]),
    );
    expect(formatIssues(issues.slice(0, 1))).toBe('/amount [minimum] must be >= 0');
  });

  it('reports a missing required property at the object', () => {
    expect(validator.validate('#/components/schemas/Pool', {})).toEqual([expect.objectContaining({ instancePath: '/', rule: 'required' })]);
  });

  it('throws for a pointer that names nothing', () => {
    expect(() => validator.validate('#/components/schemas/Nope', {})).toThrow();
  });
});
