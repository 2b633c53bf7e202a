import { getHttpOperationsFromSpec } from '@stoplight/prism-http';
import { bundledSpecPath, listBundledApis } from '@carrier-api/specs';
import { describe, expect, it } from 'vitest';
import { behaviours } from '../src/sandbox/rules/index.js';

describe('behaviour rules, one module per API', () => {
  it.each(listBundledApis().map((api) => api.name))('%s: every operation has a rule, every rule an operation and the vendor sentence it implements', async (api) => {
    const behaviour = behaviours[api]!;
    expect(behaviour, `no behaviour module for ${api}`).toBeDefined();
    const operationIds = (await getHttpOperationsFromSpec(bundledSpecPath(api))).map((operation) => operation.iid).sort();
    expect(Object.keys(behaviour.rules).sort()).toEqual(operationIds);
    expect(behaviour.source).toMatch(/^00\d_[0-9a-f]{16}\.txt$/);
    for (const [operationId, rule] of Object.entries(behaviour.rules)) {
      expect(rule.implements, `${api} ${operationId}`).toMatch(/"[^"]{10,}/);
      if (rule.inferred !== undefined) expect(rule.inferred.length, `${api} ${operationId}`).toBeGreaterThan(10);
    }
  });
});
