import type { PayloadGenerator } from './responses.js';
import { stripProperties, type JsonSchema } from './validation.js';

/**
 * Dynamic answers (`dynamic: true`, `Prefer: dynamic=true`), generated from the schemas with
 * json-schema-faker and faker.js under Prism 5.12's options (prism-http `mocker/generator/JSONSchema`):
 * every optional property filled, fixed probabilities, `writeOnly` properties left out, object
 * keys sorted; `Prefer: seed=` makes the sequence repeatable. Loaded only when a mock is started
 * dynamic: faker.js is large.
 *
 * @param bundle - What the schemas' `$ref`s point into (`__bundled__` of the operation).
 * @returns A factory of generators, one per request (its seed, if any).
 */
export async function loadDynamicGenerator(): Promise<(bundle: unknown) => (seed: string | undefined) => PayloadGenerator> {
  const [{ JSONSchemaFaker }, { faker }, seedrandom] = await Promise.all([import('json-schema-faker'), import('@faker-js/faker'), import('seedrandom').then((module) => (module.default ?? module) as (seed: string) => () => number)]);
  JSONSchemaFaker.extend('faker', () => faker);
  const options = {
    defaultInvalidTypeProduct: null,
    defaultRandExpMax: 10,
    pruneProperties: [],
    ignoreProperties: [],
    ignoreMissingRefs: true,
    failOnInvalidTypes: false,
    failOnInvalidFormat: false,
    alwaysFakeOptionals: true,
    optionalsProbability: 1,
    fixedProbabilities: true,
    useExamplesValue: false,
    useDefaultValue: false,
    requiredOnly: false,
    minItems: 0,
    maxItems: null,
    minLength: 0,
    maxLength: null,
    refDepthMin: 0,
    refDepthMax: 3,
    resolveJsonPath: false,
    reuseProperties: false,
    sortProperties: null,
    fillProperties: true,
    replaceEmptyByRandomValue: false,
    omitNulls: false,
  };
  return (bundle) => (seed) => (schema) => {
    const source = stripProperties(schema, 'writeOnly');
    if (source === undefined) throw new Error('Cannot strip writeOnly properties');
    JSONSchemaFaker.option({ ...options, random: seed ? seedrandom(seed) : Math.random } as never);
    return sortKeys(JSONSchemaFaker.generate({ ...structuredClone(source), __bundled__: bundle } as never));
  };
}

/** Prism's `sortSchemaAlphabetically`: object keys in order, at every depth of objects (it leaves what is in arrays as generated). */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as JsonSchema)
        .map(([key, item]) => [key, typeof item === 'object' ? sortKeys(item) : item] as const)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    );
  }
  return value;
}
