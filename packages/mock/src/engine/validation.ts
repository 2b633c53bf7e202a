import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import * as ajvFormats from 'ajv-formats';
import mergeAllOf from '@stoplight/json-schema-merge-allof';

// ajv-formats is CommonJS: under ESM its function arrives as `default`, sometimes wrapped twice.
type AddFormats = (ajv: Ajv) => Ajv;
const formatsModule = ajvFormats as unknown as { default: AddFormats | { default: AddFormats } };
const addFormats: AddFormats = typeof formatsModule.default === 'function' ? formatsModule.default : formatsModule.default.default;

/**
 * JSON Schema validation as Prism 5.12 does it (prism-http `validator/validators/utils`), so that
 * the mock's verdicts and messages stay Prism's: ajv 8 with `allErrors`, union types, formats
 * (ajv-formats, and Prism's own lenient `date-time`), one instance coercing types (parameters,
 * form bodies) and one not (JSON bodies); the draft is chosen by the schema's `$schema`.
 * Unlike Prism, a schema is compiled once, when its operation is compiled, never per request.
 */

/** Prism's DiagnosticSeverity: 0 Error, 1 Warning, 2 Information, 3 Hint. */
export type Severity = 0 | 1 | 2 | 3;

/** One finding of a request or response against the spec, as Prism reports it (`sl-violations`). */
export interface Violation {
  /** Where: `['body', 'pin']`, `['query', 'country']`; absent for the request as a whole. */
  path?: Array<string | number>;
  /** The failed rule: an ajv keyword (`type`, `required`), or 401 / 415 / `deprecated`. */
  code?: string | number;
  message: string;
  severity: Severity;
  /** `WWW-Authenticate` challenges of a failed security check. */
  tags?: string[];
}

export type JsonSchema = Record<string, unknown>;

const silentAboutFormats = {
  warn(...args: unknown[]) {
    // Prism silences ajv's "unknown format" warnings (a spec's own formats are allowed).
    if (typeof args[0] === 'string' && args[0].startsWith('unknown format')) return;
    console.warn(...args);
  },
  log: console.log,
  error: console.error,
};

const baseOptions: Options = { allErrors: true, allowUnionTypes: true, allowMatchingProperties: true, strict: false, logger: silentAboutFormats };

type AjvClass = typeof Ajv | typeof Ajv2019 | typeof Ajv2020;
interface AjvPair {
  coerce: InstanceType<AjvClass>;
  noCoerce: InstanceType<AjvClass>;
}
const instances = new Map<AjvClass, AjvPair>();

function instancesOf(Class: AjvClass): AjvPair {
  let pair = instances.get(Class);
  if (!pair) {
    const make = (coerceTypes: boolean) => {
      const ajv = new Class({ ...baseOptions, coerceTypes });
      addFormats(ajv as Ajv);
      ajv.addFormat('date-time', { validate: isDateTime, compare: compareDateTime });
      return ajv;
    };
    pair = { coerce: make(true), noCoerce: make(false) };
    instances.set(Class, pair);
  }
  return pair;
}

function ajvFor(schema: JsonSchema, coerce: boolean): InstanceType<AjvClass> {
  const draft = String(schema.$schema);
  const Class: AjvClass = /^https?:\/\/json-schema.org\/draft\/2019-09\/schema#?$/.test(draft) ? Ajv2019 : /^https?:\/\/json-schema.org\/draft\/2020-12\/schema#?$/.test(draft) ? Ajv2020 : Ajv;
  const pair = instancesOf(Class);
  return coerce ? pair.coerce : pair.noCoerce;
}

/** Compiled validators by schema text: a schema several operations (or APIs) share is compiled once. */
const compiled = new Map<string, ValidateFunction | null>();

/**
 * A schema's validator, compiled with the operation's bundle (`__bundled__`, what its `$ref`s
 * point into), as Prism compiles it. A schema ajv refuses to compile validates nothing, as in
 * Prism (which swallows the failure).
 *
 * @param schema - A JSON Schema of the operation.
 * @param coerce - Coerce types (`"12"` passes `integer`), for parameters and form bodies.
 * @param bundle - The operation's `__bundled__`, or undefined.
 * @returns The validator, or undefined when the schema cannot be compiled.
 */
export function compileSchema(schema: JsonSchema, coerce: boolean, bundle: unknown): ValidateFunction | undefined {
  const withBundle = { ...schema, __bundled__: bundle };
  const key = `${coerce ? 'c' : 'n'}${JSON.stringify(withBundle)}`;
  let validate = compiled.get(key);
  if (validate === undefined) {
    let made: ValidateFunction | null;
    try {
      made = ajvFor(schema, coerce).compile(withBundle);
    } catch {
      made = null;
    }
    compiled.set(key, made);
    validate = made;
  }
  return validate ?? undefined;
}

/**
 * What `validate` finds in `value`, worded as Prism words it: `Request body property pin must be
 * string`, `Request query parameter country must match pattern "..."`.
 *
 * @param validate - A compiled validator (undefined: nothing to check).
 * @param value - The value; coerced in place when the validator coerces.
 * @param context - `Request` or `Response`.
 * @param prefix - `body`, `query`, `header`, `path`, or undefined.
 */
export function violationsOf(validate: ValidateFunction | undefined, value: unknown, context: 'Request' | 'Response', prefix: string | undefined): Violation[] {
  if (!validate) return [];
  try {
    if (validate(value)) return [];
  } catch {
    return [];
  }
  return (validate.errors ?? []).map((error) => describeAjvError(error, context, prefix));
}

function describeAjvError(error: ErrorObject, context: 'Request' | 'Response', prefix: string | undefined): Violation {
  const params = error.params as Record<string, unknown>;
  const allowed = 'allowedValues' in params ? `: ${(params.allowedValues as unknown[]).join(', ')}` : '';
  const additional = 'additionalProperty' in params ? `; found '${String(params.additionalProperty)}'` : '';
  const unevaluated = 'unevaluatedProperty' in params ? `: '${String(params.unevaluatedProperty)}'` : '';
  const at = error.instancePath.split('/').filter((segment) => segment !== '');
  const kind = at.length > 0 ? (prefix === 'body' ? 'property ' : 'parameter ') : '';
  const source = `${context} ${prefix ? `${prefix} ` : ''}${kind}${at.join('.').trim()}${at.length > 0 ? ' ' : ''}`;
  return { path: prefix ? [prefix, ...at] : at, code: error.keyword || '', message: `${source}${error.message || ''}${allowed}${additional}${unevaluated}`, severity: 0 };
}

/**
 * The schema a request (`input`) or response (`output`) is validated against, as Prism
 * normalises it: `allOf` merged, then `readOnly` properties dropped from request schemas and
 * `writeOnly` ones from response schemas (and from `required`).
 */
export function normaliseSchema(schema: JsonSchema, direction: 'input' | 'output'): JsonSchema | undefined {
  let merged: JsonSchema;
  try {
    merged = mergeAllOf(schema, { deep: true, ignoreAdditionalProperties: true }) as JsonSchema;
  } catch {
    merged = schema;
  }
  return stripProperties(merged, direction === 'input' ? 'readOnly' : 'writeOnly');
}

/**
 * Prism's `stripReadOnlyProperties` / `stripWriteOnlyProperties`: the schema without the
 * properties marked `flag` (at any depth, through `items`), and without them in `required`;
 * undefined when the schema itself is so marked.
 */
export function stripProperties(schema: JsonSchema, flag: 'readOnly' | 'writeOnly'): JsonSchema | undefined {
  if (schema[flag] === true) return undefined;
  const filterMap = (properties: Record<string, unknown>) => {
    const kept: Record<string, unknown> = {};
    for (const [name, property] of Object.entries(properties)) {
      if (typeof property === 'boolean') {
        kept[name] = property;
        continue;
      }
      const filtered = stripProperties(property as JsonSchema, flag);
      if (filtered !== undefined) kept[name] = filtered;
    }
    return kept;
  };
  const requiredWithout = (updated: JsonSchema, original: JsonSchema) => {
    if (!Array.isArray(updated.required)) return undefined;
    const kept = Object.keys((updated.properties as object) ?? {});
    const removed = Object.keys((original.properties as object) ?? {}).filter((name) => !kept.includes(name));
    return (original.required as string[]).filter((name) => !removed.includes(name));
  };
  let result: JsonSchema = schema;
  const items = schema.items as JsonSchema | JsonSchema[] | undefined;
  // A tuple: each item's own properties first.
  if (Array.isArray(items)) {
    result = { ...result, items: items.map((item) => ({ ...item, properties: item.properties ? filterMap(item.properties as Record<string, unknown>) : {} })) };
  }
  // Then the one properties map Prism looks at: items', else the schema's, else additionalItems'.
  const single = (Array.isArray(items) ? undefined : items?.properties) ?? schema.properties ?? (schema.additionalItems as JsonSchema | undefined)?.properties;
  if (single) {
    const filtered = filterMap(single as Record<string, unknown>);
    const resultItems = result.items as JsonSchema | JsonSchema[] | undefined;
    if (resultItems && Array.isArray(resultItems) && typeof result.additionalItems === 'object') result = { ...result, additionalItems: { ...(result.additionalItems as object), properties: filtered } };
    else if (resultItems && !Array.isArray(resultItems) && typeof resultItems === 'object') result = { ...result, items: { ...resultItems, properties: filtered } };
    else result = { ...result, properties: filtered };
  }
  // `required` without what was dropped, at the same place.
  const target = (candidate: JsonSchema) => (Array.isArray(candidate.items) && typeof candidate.additionalItems === 'object' ? (candidate.additionalItems as JsonSchema) : typeof candidate.items === 'object' && !Array.isArray(candidate.items) ? (candidate.items as JsonSchema) : candidate);
  if (Array.isArray(result.items)) {
    const originals = schema.items as JsonSchema[];
    result = { ...result, items: (result.items as JsonSchema[]).map((item, index) => ({ ...item, required: requiredWithout(item, originals[index] ?? {}) ?? [] })) };
  }
  const required = requiredWithout(target(result), target(schema));
  if (required !== undefined) {
    if (Array.isArray(result.items) && typeof result.additionalItems === 'object') result = { ...result, additionalItems: { ...(result.additionalItems as object), required } };
    else if (result.items && typeof result.items === 'object' && !Array.isArray(result.items)) result = { ...result, items: { ...(result.items as object), required } };
    else result = { ...result, required };
  }
  return result;
}

// Prism's date-time format (validator/validators/dateTime): RFC 3339, a space or T between
// date and time, leap seconds at 23:59:60.
const dateTimeSeparator = /t|\s/i;
const datePattern = /^(\d\d\d\d)-(\d\d)-(\d\d)$/;
const daysInMonth = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const timePattern = /^(\d\d):(\d\d):(\d\d)(\.\d+)?(z|[+-]\d\d(?::?\d\d)?)?$/i;

function isDate(text: string): boolean {
  const match = datePattern.exec(text);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month >= 1 && month <= 12 && day >= 1 && day <= (month === 2 && leap ? 29 : daysInMonth[month]!);
}

function isTime(text: string, withTimeZone: boolean): boolean {
  const match = timePattern.exec(text);
  if (!match) return false;
  const [hour, minute, second] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const zone = match[5];
  return (
    ((hour <= 23 && minute <= 59 && second <= 59) || (hour === 23 && minute === 59 && second === 60)) &&
    (!withTimeZone || /^[Zz]$/.test(zone ?? '') || (/^[+-]/.test(zone ?? '') && isTime(`${zone!.slice(1)}:00`, false)) || /^[+-](?:[01][0-9]|2[0-4])(?::?[0-5][0-9])?$/.test(zone ?? ''))
  );
}

function isDateTime(text: string): boolean {
  const parts = text.split(dateTimeSeparator);
  return parts.length === 2 && isDate(parts[0]!) && isTime(parts[1]!, true);
}

function compareDateTime(a: string, b: string): number | undefined {
  if (!(a && b)) return undefined;
  const [dateA, timeA] = a.split(dateTimeSeparator);
  const [dateB, timeB] = b.split(dateTimeSeparator);
  if (!(dateA && dateB)) return undefined;
  if (dateA !== dateB) return dateA > dateB ? 1 : -1;
  if (!(timeA && timeB)) return undefined;
  const matchA = timePattern.exec(timeA);
  const matchB = timePattern.exec(timeB);
  if (!(matchA && matchB)) return undefined;
  const plainA = matchA[1]! + matchA[2]! + matchA[3]! + (matchA[4] ?? '');
  const plainB = matchB[1]! + matchB[2]! + matchB[3]! + (matchB[4] ?? '');
  return plainA > plainB ? 1 : plainA < plainB ? -1 : 0;
}
