import { getHttpOperationsFromSpec } from '@stoplight/prism-http';
import { bundledSpecPath, listBundledApis, loadBundledSpec } from '@carrier-api/specs';
import { describe, expect, it } from 'vitest';
import { behaviours } from '../src/sandbox/rules/index.js';

/** The `x-behaviour` of each operation of a bundled spec, by operationId (undefined where it has none). */
function behaviourOfOperations(api: string): Map<string, { implements?: unknown; 'x-inferred'?: unknown } | undefined> {
  const spec = loadBundledSpec(api) as { paths: Record<string, Record<string, { operationId?: string; 'x-behaviour'?: { implements?: unknown } }>> };
  const found = new Map<string, { implements?: unknown } | undefined>();
  for (const item of Object.values(spec.paths)) {
    for (const operation of Object.values(item)) if (operation && typeof operation === 'object' && operation.operationId) found.set(operation.operationId, operation['x-behaviour']);
  }
  return found;
}

describe('behaviour rules: code here, sentences beside the spec', () => {
  it.each(listBundledApis().map((api) => api.name))('%s: every operation has a rule, and every rule the vendor sentence it implements in its spec', async (api) => {
    const behaviour = behaviours[api]!;
    expect(behaviour, `no behaviour module for ${api}`).toBeDefined();
    const operationIds = (await getHttpOperationsFromSpec(bundledSpecPath(api))).map((operation) => operation.iid).sort();
    expect(Object.keys(behaviour.rules).sort()).toEqual(operationIds);
    const sentences = behaviourOfOperations(api);
    for (const operationId of Object.keys(behaviour.rules)) {
      const described = sentences.get(operationId);
      expect(described, `${api} ${operationId}: its spec operation has no x-behaviour`).toBeDefined();
      // The document's number, then a quoted sentence (the lint rule carrier/behaviour-names-its-sentence says the same).
      expect(described!.implements, `${api} ${operationId}`).toMatch(/^\d{3}(\/\d{3})*\b[\s\S]*"[^"]{10,}/);
      if (described!['x-inferred'] !== undefined) expect(String(described!['x-inferred']).length, `${api} ${operationId}`).toBeGreaterThan(10);
    }
  });

  it('an x-behaviour in a spec always has a rule that keeps it (a sentence with no code would be a promise the sandbox does not keep)', () => {
    for (const api of listBundledApis().map((entry) => entry.name)) {
      for (const [operationId, described] of behaviourOfOperations(api)) {
        if (described !== undefined) expect(behaviours[api]?.rules[operationId], `${api} ${operationId}`).toBeDefined();
      }
    }
  });
});
