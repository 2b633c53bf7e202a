import type { Preferences } from './responses.js';

/**
 * The `Prefer` header (`code=404, example=notFound, dynamic=true, seed=42`), or without one the
 * `__code`, `__example`, `__dynamic` and `__seed` query parameters, read as Prism's server reads
 * them (prism-http-server `getHttpConfigFromRequest`, parse-prefer-header): preferences separated
 * by commas, a preference's parameters by semicolons, the first value of a name winning; `code`
 * three digits, `dynamic` `true` or `false`.
 *
 * @param prefer - The Prefer header, if any.
 * @param query - The request's query.
 * @returns The preferences, or `undefined` when one is malformed (Prism: "Invalid request").
 */
export function readPreferences(prefer: string | undefined, query: Record<string, string | string[]>): Omit<Preferences, 'accept'> | undefined {
  const raw: Record<string, unknown> = prefer ? parsePrefer(prefer) : { code: query.__code, dynamic: query.__dynamic, seed: query.__seed, example: query.__example };
  const preferences: Omit<Preferences, 'accept'> = {};
  if (raw.code !== undefined) {
    if (typeof raw.code !== 'string' || !/^\d{3}$/.test(raw.code)) return undefined;
    preferences.code = Number.parseInt(raw.code, 10);
  }
  if (raw.dynamic !== undefined) {
    if (raw.dynamic !== 'true' && raw.dynamic !== 'false') return undefined;
    preferences.dynamic = raw.dynamic === 'true';
  }
  if (raw.seed !== undefined) {
    if (typeof raw.seed !== 'string') return undefined;
    preferences.seed = raw.seed;
  }
  if (raw.example !== undefined) {
    if (typeof raw.example !== 'string') return undefined;
    preferences.exampleKey = raw.example;
  }
  return preferences;
}

/** parse-prefer-header: names lower-cased and camel-cased, `true` for a name without a value. */
function parsePrefer(prefer: string): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const preference of splitOutsideQuotes(prefer, ',')) {
    let base: string | undefined;
    for (const segment of splitOutsideQuotes(preference, ';')) {
      const index = segment.indexOf('=');
      let token = (index < 0 ? segment : segment.slice(0, index)).trim().toLowerCase();
      let value = index < 0 ? '' : segment.slice(index + 1).trim();
      if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      if (base === undefined) base = token;
      else token = `${base}-${token}`;
      const key = camelCase(token);
      if (result[key] == null) result[key] = value.length > 0 ? value : true;
    }
  }
  return result;
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let index = 0; index <= text.length; index++) {
    const char = index < text.length ? text[index] : separator;
    if (char === '"') quoted = !quoted;
    else if (char === separator && !quoted) {
      parts.push(text.slice(start, index));
      start = index + 1;
    }
  }
  return parts;
}

/** lodash's camelCase, for the lower-case ASCII tokens a Prefer header carries. */
function camelCase(token: string): string {
  const words = token.match(/[a-z]+|[0-9]+/g) ?? [];
  return words.map((word, index) => (index === 0 ? word : `${word[0]!.toUpperCase()}${word.slice(1)}`)).join('');
}
