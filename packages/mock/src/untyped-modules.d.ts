// Dependencies that ship no types, as far as this package uses them.
declare module '@stoplight/json-schema-merge-allof' {
  /** Merges `allOf` into one schema (@stoplight/json-schema-merge-allof). */
  export default function mergeAllOf(schema: Record<string, unknown>, options?: { deep?: boolean; ignoreAdditionalProperties?: boolean }): Record<string, unknown>;
}
declare module 'seedrandom' {
  /** A seeded random number generator in [0, 1). */
  export default function seedrandom(seed: string): () => number;
}
declare module '@faker-js/faker' {
  /** faker.js 6 (its types are not reachable through its package exports). */
  export const faker: unknown;
}
