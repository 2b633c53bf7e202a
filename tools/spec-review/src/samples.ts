import { createRequire } from 'node:module';

/** The constraints of a string value that samples are checked against (JSON Schema keywords). */
export interface StringConstraints {
  pattern?: string;
  minLength?: number;
  maxLength?: number;
}

/**
 * How the set of strings allowed after a change compares with the set allowed before, judged on
 * samples:
 * - `narrowed`: `witness` was allowed before and is refused now (a proof, not a guess);
 * - `same`: every sample of either side is allowed by the other;
 * - `widened`: every sample of before is allowed now, and some new value was refused before;
 * - `undecided`: too few samples could be made (a construct the generator does not model, such as
 *   a lookahead or a back reference, or a regular expression JavaScript cannot compile).
 */
export type StringComparison =
  | { verdict: 'narrowed'; witness: string; samples: number }
  | { verdict: 'same' | 'widened'; samples: number }
  | { verdict: 'undecided'; reason: string };

export interface SampleOptions {
  /** Values drawn on each side. Default 400. */
  samples?: number;
  /** Fewer valid values than this on the before side: undecided. Default 40. */
  minimumValid?: number;
}

// randexp is CommonJS whose module.exports is the class, while its types declare a default export.
const RandExp = createRequire(import.meta.url)('randexp') as typeof import('randexp').default;

/**
 * Compares two sets of string constraints (pattern, minLength, maxLength) by sampling: values are
 * drawn from the before side's pattern (randexp, seeded, so a verdict never changes between runs)
 * with lengths biased to the bounds of each repetition, kept when the before side allows them, and
 * tested against the after side; then the other way round.
 *
 * @param before - The constraints a request value met until now.
 * @param after - The constraints it must meet after the change.
 * @returns The verdict; `narrowed` carries a value that was valid and no longer is.
 */
export function compareStringConstraints(before: StringConstraints, after: StringConstraints, options: SampleOptions = {}): StringComparison {
  const count = options.samples ?? 400;
  const minimumValid = options.minimumValid ?? 40;
  const allowsBefore = allowing(before);
  const allowsAfter = allowing(after);
  if (typeof allowsBefore === 'string') return { verdict: 'undecided', reason: allowsBefore };
  if (typeof allowsAfter === 'string') return { verdict: 'undecided', reason: allowsAfter };

  const seed = hash(`${before.pattern}|${before.minLength}|${before.maxLength}|${after.pattern}|${after.minLength}|${after.maxLength}`);
  const fromBefore = draw(before, count, seed);
  if (typeof fromBefore === 'string') return { verdict: 'undecided', reason: fromBefore };
  const validBefore = fromBefore.filter(allowsBefore);
  if (validBefore.length < minimumValid) {
    return { verdict: 'undecided', reason: `only ${validBefore.length} of ${count} generated values match ${describe(before)}` };
  }
  const witness = validBefore.filter((value) => !allowsAfter(value)).sort(byReadability)[0];
  if (witness !== undefined) return { verdict: 'narrowed', witness, samples: validBefore.length };

  const fromAfter = draw(after, count, seed + 1);
  const validAfter = typeof fromAfter === 'string' ? [] : fromAfter.filter(allowsAfter);
  return { verdict: validAfter.some((value) => !allowsBefore(value)) ? 'widened' : 'same', samples: validBefore.length + validAfter.length };
}

/** Shortest first, the empty string last: a witness a reader recognises. */
const byReadability = (a: string, b: string) => Number(a === '') - Number(b === '') || a.length - b.length || a.localeCompare(b);

/** A predicate for the constraints, or why one cannot be made. */
function allowing(constraints: StringConstraints): ((value: string) => boolean) | string {
  let regex: RegExp | undefined;
  if (constraints.pattern !== undefined) {
    try {
      regex = new RegExp(constraints.pattern, 'u');
    } catch {
      try {
        regex = new RegExp(constraints.pattern);
      } catch (error) {
        return `pattern ${constraints.pattern} does not compile: ${(error as Error).message}`;
      }
    }
  }
  return (value) => {
    const length = [...value].length;
    if (constraints.minLength !== undefined && length < constraints.minLength) return false;
    if (constraints.maxLength !== undefined && length > constraints.maxLength) return false;
    return regex ? regex.test(value) : true;
  };
}

/** `count` values from the pattern (or, without one, printable ASCII within the lengths), or why none can be drawn. */
function draw(constraints: StringConstraints, count: number, seed: number): string[] | string {
  const min = constraints.minLength ?? 0;
  const max = Math.min(constraints.maxLength ?? min + 40, min + 200);
  // A JSON Schema pattern is not anchored: an unanchored side may carry anything around it.
  const source =
    constraints.pattern === undefined
      ? `[ -~]{${min},${max}}`
      : `${constraints.pattern.startsWith('^') ? '' : '[ -~]{0,3}'}(?:${constraints.pattern})${/(^|[^\\])\$$/.test(constraints.pattern) ? '' : '[ -~]{0,3}'}`;
  let generator: import('randexp').default;
  try {
    generator = new RandExp(source);
  } catch (error) {
    return `randexp cannot read ${source}: ${(error as Error).message}`;
  }
  generator.max = 40;
  const random = mulberry32(seed);
  // A repetition's bounds are where constraints differ most often: pick them a third of the time.
  generator.randInt = (from: number, to: number) => {
    const roll = random();
    if (roll < 1 / 6) return from;
    if (roll < 1 / 3) return to;
    return from + Math.floor(random() * (to - from + 1));
  };
  const values: string[] = [];
  for (let index = 0; index < count; index++) values.push(generator.gen());
  return values;
}

function describe(constraints: StringConstraints): string {
  return [constraints.pattern && `pattern ${constraints.pattern}`, constraints.minLength !== undefined && `minLength ${constraints.minLength}`, constraints.maxLength !== undefined && `maxLength ${constraints.maxLength}`]
    .filter(Boolean)
    .join(', ');
}

function hash(text: string): number {
  let value = 2166136261;
  for (let index = 0; index < text.length; index++) value = Math.imul(value ^ text.charCodeAt(index), 16777619);
  return value >>> 0;
}

/** A small seeded PRNG: the same values on every run and machine. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
