import { isDeepStrictEqual } from 'node:util';
import { deref, httpMethods, type OpenApiDocument } from '@carrier-api/spec-kit';
import { parameterKey } from './normalize.ts';
import { compareStringConstraints } from './samples.ts';

/** The JSON Schema keyword whose change narrows a request. */
export type NarrowedKeyword =
  | 'pattern'
  | 'minLength'
  | 'maxLength'
  | 'minimum'
  | 'maximum'
  | 'multipleOf'
  | 'enum'
  | 'format'
  | 'nullable'
  | 'required'
  | 'minItems'
  | 'maxItems'
  | 'uniqueItems'
  | 'minProperties'
  | 'maxProperties'
  | 'additionalProperties';

/** One place where a request that was valid may now be refused. */
export interface RequestNarrowing {
  /** `METHOD /path`, as oasdiff writes it. */
  operation: string;
  operationId?: string;
  /** Where in the request: "query parameter `msisdn`", "request body (application/json) property `recipient.msisdn`". */
  location: string;
  /** The parameter's or property's own name, as oasdiff quotes it. */
  name: string;
  keyword: NarrowedKeyword;
  /**
   * `narrowed`: a value valid before is refused now (`detail` says which);
   * `unverified`: two patterns that sampling could not compare; a person must judge.
   */
  kind: 'narrowed' | 'unverified';
  detail: string;
  /** For patterns: before and after, to accept an unverified change by. */
  from?: string;
  to?: string;
}

type Schema = Record<string, unknown>;
type Json = Record<string, unknown>;

/** Widening number formats: a value of the first is a value of the second. */
const formatWidens: Record<string, string[]> = { int32: ['int64'], float: ['double'] };
const maxDepth = 24;

/**
 * Every change that narrows what a request may carry, per operation, found on the resolved schemas
 * of its parameters and request bodies: a shared schema that requests `$ref` is seen in each of
 * them. Pattern changes are judged on sample values ({@link compareStringConstraints}); when
 * sampling cannot decide, the change is reported `unverified`. Responses are not looked at: a
 * narrower response breaks no consumer.
 *
 * @param base - The normalised bundle before the change (see `normalizeDocument`).
 * @param revision - The normalised bundle after it.
 */
export function requestNarrowings(base: OpenApiDocument, revision: OpenApiDocument): RequestNarrowing[] {
  const found: RequestNarrowing[] = [];
  const before = (base as unknown as { paths?: Record<string, Json> }).paths ?? {};
  const after = (revision as unknown as { paths?: Record<string, Json> }).paths ?? {};
  for (const [path, itemBefore] of Object.entries(before)) {
    const itemAfter = after[path];
    if (!itemAfter) continue;
    for (const method of httpMethods) {
      const opBefore = itemBefore[method] as Json | undefined;
      const opAfter = itemAfter[method] as Json | undefined;
      if (!opBefore || !opAfter) continue;
      const operation = `${method.toUpperCase()} ${path}`;
      const operationId = (opAfter.operationId ?? opBefore.operationId) as string | undefined;
      const report = (location: string, name: string) => (keyword: NarrowedKeyword, kind: RequestNarrowing['kind'], detail: string, extra: Partial<RequestNarrowing> = {}) =>
        found.push({ operation, ...(operationId ? { operationId } : {}), location, name, keyword, kind, detail, ...extra });

      const parametersAfter = new Map(((opAfter.parameters as Json[] | undefined) ?? []).map((parameter) => [parameterKey(revision, parameter), deref(revision, parameter) as Json]));
      for (const raw of (opBefore.parameters as Json[] | undefined) ?? []) {
        const parameterBefore = deref(base, raw) as Json;
        const parameterAfter = parametersAfter.get(parameterKey(base, raw));
        if (!parameterAfter) continue;
        const name = String(parameterBefore.name);
        const where = `${String(parameterBefore.in)} parameter \`${name}\``;
        if (parameterBefore.required !== true && parameterAfter.required === true) report(where, name)('required', 'narrowed', 'it became required: a request without it was valid and is now refused');
        if (parameterBefore.schema && parameterAfter.schema) compareSchemas(base, revision, parameterBefore.schema, parameterAfter.schema, '', atLocation(report, where, name), 0);
      }

      const bodyBefore = deref(base, opBefore.requestBody) as Json | undefined;
      const bodyAfter = deref(revision, opAfter.requestBody) as Json | undefined;
      for (const [mediaType, contentBefore] of Object.entries((bodyBefore?.content as Record<string, Json> | undefined) ?? {})) {
        const contentAfter = (bodyAfter?.content as Record<string, Json> | undefined)?.[mediaType];
        if (!contentBefore?.schema || !contentAfter?.schema) continue;
        compareSchemas(base, revision, contentBefore.schema, contentAfter.schema, '', atLocation(report, `request body (${mediaType})`, 'body'), 0);
      }
    }
  }
  return found;
}

type Report = (location: string, name: string) => (keyword: NarrowedKeyword, kind: RequestNarrowing['kind'], detail: string, extra?: Partial<RequestNarrowing>) => unknown;

/** An Emit that names the property the walk reached (`at`) inside `where`, or `where` itself at the root. */
function atLocation(report: Report, where: string, rootName: string): Emit {
  return (keyword, kind, detail, extra = {}) => {
    const { at = '', ...rest } = extra;
    const name = at.split('.').pop()!.replace(/(\[\])+$/, '') || rootName;
    report(at ? `${where} property \`${at}\`` : where, name)(keyword, kind, detail, rest);
  };
}

type Emit = (keyword: NarrowedKeyword, kind: RequestNarrowing['kind'], detail: string, extra?: Partial<RequestNarrowing> & { at?: string }) => void;

/** Walks two schemas side by side; `at` is the dotted property path within a body (`a.b[]`), '' at its root. */
function compareSchemas(baseDoc: OpenApiDocument, revisionDoc: OpenApiDocument, rawBefore: unknown, rawAfter: unknown, at: string, emit: Emit, depth: number, seen: ReadonlySet<string> = new Set()): void {
  if (depth > maxDepth) return;
  // A recursive schema: the same pair of $refs again on this branch adds nothing.
  const refs = `${(rawBefore as { $ref?: string })?.$ref}|${(rawAfter as { $ref?: string })?.$ref}`;
  if (refs !== 'undefined|undefined' && seen.has(refs)) return;
  const onBranch = new Set(seen).add(refs);
  const a = deref(baseDoc, rawBefore) as Schema | undefined;
  const b = deref(revisionDoc, rawAfter) as Schema | undefined;
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return;
  if (a.readOnly === true || b.readOnly === true) return; // not sent in requests
  const say: Emit = (keyword, kind, detail, extra = {}) => emit(keyword, kind, detail, { at, ...extra });
  // A type change is oasdiff's (request-*-type-changed, breaking); the rest only means something for the same type.
  if (a.type !== undefined && b.type !== undefined && a.type !== b.type && !(a.type === 'integer' && b.type === 'number')) return;

  if (a.nullable === true && b.nullable !== true) say('nullable', 'narrowed', 'null was allowed and is now refused');

  if (Array.isArray(b.enum)) {
    const kept = b.enum as unknown[];
    const removed = Array.isArray(a.enum) ? (a.enum as unknown[]).filter((value) => !kept.some((candidate) => isDeepStrictEqual(candidate, value))) : undefined;
    if (!removed) say('enum', 'narrowed', `an enum (${kept.map((value) => JSON.stringify(value)).join(', ')}) now limits what was free`);
    else if (removed.length > 0) say('enum', 'narrowed', `${removed.map((value) => JSON.stringify(value)).join(', ')} no longer allowed`);
  }

  // An enum makes the old values a finite set: test each of them against the new constraints.
  if (Array.isArray(a.enum)) {
    for (const value of a.enum.filter((candidate): candidate is string => typeof candidate === 'string')) {
      const refusal = stringRefusal(b, value);
      if (refusal) say(refusal, 'narrowed', `the allowed value ${JSON.stringify(value)} breaks the new ${refusal}`);
    }
  } else compareStrings(a, b, say);

  if (b.format !== undefined && b.format !== a.format && !(a.format !== undefined && formatWidens[a.format as string]?.includes(b.format as string))) {
    say('format', 'narrowed', a.format === undefined ? `format ${String(b.format)} added` : `format changed from ${String(a.format)} to ${String(b.format)}`);
  }

  compareBound(a, b, 'minimum', say);
  compareBound(a, b, 'maximum', say);
  if (typeof b.multipleOf === 'number' && b.multipleOf !== a.multipleOf && !(typeof a.multipleOf === 'number' && isMultiple(a.multipleOf, b.multipleOf))) {
    say('multipleOf', 'narrowed', a.multipleOf === undefined ? `multipleOf ${b.multipleOf} added` : `multipleOf changed from ${String(a.multipleOf)} to ${b.multipleOf}`);
  }
  compareCount(a, b, 'minItems', 'min', say);
  compareCount(a, b, 'maxItems', 'max', say);
  compareCount(a, b, 'minProperties', 'min', say);
  compareCount(a, b, 'maxProperties', 'max', say);
  if (a.uniqueItems !== true && b.uniqueItems === true) say('uniqueItems', 'narrowed', 'items must now be unique');

  const requiredBefore = new Set((a.required as string[] | undefined) ?? []);
  const propertiesBefore = (a.properties as Record<string, unknown> | undefined) ?? {};
  const propertiesAfter = (b.properties as Record<string, unknown> | undefined) ?? {};
  for (const property of (b.required as string[] | undefined) ?? []) {
    if (requiredBefore.has(property)) continue;
    const readOnly = (deref(revisionDoc, propertiesAfter[property]) as Schema | undefined)?.readOnly === true;
    if (!readOnly) say('required', 'narrowed', `property ${property} became required: a request without it was valid and is now refused`, { at: join(at, property) });
  }
  if (a.additionalProperties !== false && b.additionalProperties === false) say('additionalProperties', 'narrowed', 'properties the schema does not list are now refused');
  for (const [property, schema] of Object.entries(propertiesBefore)) {
    if (property in propertiesAfter) compareSchemas(baseDoc, revisionDoc, schema, propertiesAfter[property], join(at, property), emit, depth + 1, onBranch);
  }
  if (a.additionalProperties && b.additionalProperties && typeof a.additionalProperties === 'object' && typeof b.additionalProperties === 'object') {
    compareSchemas(baseDoc, revisionDoc, a.additionalProperties, b.additionalProperties, join(at, '*'), emit, depth + 1, onBranch);
  }
  if (a.items && b.items) compareSchemas(baseDoc, revisionDoc, a.items, b.items, `${at}[]`, emit, depth + 1, onBranch);
  for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) {
    const listBefore = a[keyword] as unknown[] | undefined;
    const listAfter = b[keyword] as unknown[] | undefined;
    if (listBefore && listAfter && listBefore.length === listAfter.length) {
      listBefore.forEach((schema, index) => compareSchemas(baseDoc, revisionDoc, schema, listAfter[index], at, emit, depth + 1, onBranch));
    }
  }
}

const join = (at: string, property: string) => (at ? `${at}.${property}` : property);

/** pattern, minLength, maxLength: numbers alone are compared exactly; a pattern on either side is sampled. */
function compareStrings(a: Schema, b: Schema, say: Emit): void {
  const pick = (schema: Schema) => ({
    pattern: schema.pattern as string | undefined,
    minLength: schema.minLength as number | undefined,
    maxLength: schema.maxLength as number | undefined,
  });
  const before = pick(a);
  const after = pick(b);
  if (isDeepStrictEqual(before, after)) return;
  if (before.pattern === undefined && after.pattern === undefined) {
    if ((after.minLength ?? 0) > (before.minLength ?? 0)) say('minLength', 'narrowed', `minLength raised from ${before.minLength ?? 0} to ${after.minLength}`);
    if (after.maxLength !== undefined && after.maxLength < (before.maxLength ?? Number.POSITIVE_INFINITY)) {
      say('maxLength', 'narrowed', `maxLength lowered from ${before.maxLength ?? 'none'} to ${after.maxLength}`);
    }
    return;
  }
  const comparison = compareStringConstraints(before, after);
  const keyword: NarrowedKeyword = before.pattern !== after.pattern ? 'pattern' : (after.minLength ?? 0) > (before.minLength ?? 0) ? 'minLength' : 'maxLength';
  const change = before.pattern !== after.pattern ? `pattern ${before.pattern ?? '(none)'} → ${after.pattern ?? '(none)'}` : `lengths ${before.minLength ?? 0}..${before.maxLength ?? '∞'} → ${after.minLength ?? 0}..${after.maxLength ?? '∞'}`;
  if (comparison.verdict === 'narrowed') {
    say(keyword, 'narrowed', `${change}: ${JSON.stringify(comparison.witness)} was valid and is now refused`, { from: before.pattern, to: after.pattern });
  } else if (comparison.verdict === 'undecided') {
    say(keyword, 'unverified', `${change}: cannot be compared (${comparison.reason})`, { from: before.pattern, to: after.pattern });
  }
}

/** Which string keyword of `schema` refuses `value`, if any. */
function stringRefusal(schema: Schema, value: string): NarrowedKeyword | undefined {
  const length = [...value].length;
  if (typeof schema.minLength === 'number' && length < schema.minLength) return 'minLength';
  if (typeof schema.maxLength === 'number' && length > schema.maxLength) return 'maxLength';
  if (typeof schema.pattern === 'string') {
    try {
      if (!new RegExp(schema.pattern, 'u').test(value)) return 'pattern';
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** minimum / maximum with OpenAPI 3.0's boolean exclusiveMinimum / exclusiveMaximum. */
function compareBound(a: Schema, b: Schema, keyword: 'minimum' | 'maximum', say: Emit): void {
  const exclusive = keyword === 'minimum' ? 'exclusiveMinimum' : 'exclusiveMaximum';
  const was = a[keyword] as number | undefined;
  const now = b[keyword] as number | undefined;
  if (typeof now !== 'number') return;
  const tighter = keyword === 'minimum' ? (x: number, y: number) => x > y : (x: number, y: number) => x < y;
  if (typeof was !== 'number') return say(keyword, 'narrowed', `${keyword} ${now} added`);
  if (tighter(now, was)) return say(keyword, 'narrowed', `${keyword} moved from ${was} to ${now}`);
  if (now === was && a[exclusive] !== true && b[exclusive] === true) say(keyword, 'narrowed', `${keyword} ${now} became exclusive: ${now} was valid and is now refused`);
}

function compareCount(a: Schema, b: Schema, keyword: 'minItems' | 'maxItems' | 'minProperties' | 'maxProperties', side: 'min' | 'max', say: Emit): void {
  const was = a[keyword] as number | undefined;
  const now = b[keyword] as number | undefined;
  if (typeof now !== 'number') return;
  if (side === 'min' ? now > (was ?? 0) : now < (was ?? Number.POSITIVE_INFINITY)) say(keyword, 'narrowed', `${keyword} ${was === undefined ? 'set to' : `changed from ${was} to`} ${now}`);
}

/** Whether every multiple of `of` is a multiple of `by` (`of` is a multiple of `by`), with float tolerance. */
function isMultiple(of: number, by: number): boolean {
  const quotient = of / by;
  return Math.abs(quotient - Math.round(quotient)) < 1e-9;
}
