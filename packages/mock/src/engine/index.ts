import type { IHttpOperation } from '@stoplight/types';
import { compileBody } from './body.js';
import { compileParameters, compilePathTemplate } from './parameters.js';
import { compileResponses, type InvalidKind, type MockOutput, type PayloadGenerator, type Preferences } from './responses.js';
import { compileSecurity } from './security.js';
import type { Violation } from './validation.js';

export { MockProblem, type MockOutput, type Preferences } from './responses.js';
export { readPreferences } from './prefer.js';
export { loadDynamicGenerator } from './dynamic.js';
export { operationsFromDocument } from './operations.js';
export type { Violation } from './validation.js';

/**
 * The request engine: what Prism 5.12 does with one request to a mock (check the credentials,
 * validate the request, negotiate and assemble the documented response, validate it), with
 * everything that depends only on the spec (validators, templates, negotiated answers) compiled
 * once per operation instead of once per request. Runs in Node and in browsers (no I/O).
 */

/** A request as the engine reads it; our HTTP layer has already routed, sized and decoded it. */
export interface EngineRequest {
  /** The request path as sent (percent-encoded), without the query. */
  path: string;
  query: Record<string, string | string[]>;
  /** Names in lower case. */
  headers: Record<string, string | undefined>;
  /** Parsed JSON, raw text, or undefined. */
  body: unknown;
}

/** What Prism answers: the assembled response with the violations of both sides. */
export interface EngineAnswer {
  output: MockOutput;
  /** The request's violations (Errors and Warnings), security first. */
  input: Violation[];
}

/** One operation, compiled. */
export interface CompiledOperation {
  /** The request's violations against the spec (Errors and Warnings), credentials first, as Prism finds them. */
  validate(request: EngineRequest): Violation[];
  /**
   * The mock's answer to a request of this operation: Prism's answer, or the error Prism fails
   * with (a {@link MockProblem} for a documented problem, another Error for the mock's own failure).
   */
  mock(request: EngineRequest, preferences: Preferences): EngineAnswer | Error;
}

export interface CompileOptions {
  /** Generate answers from the schemas instead of the examples (Prism's `--dynamic`). */
  dynamic?: boolean;
  /** json-schema-faker for dynamic answers (`loadDynamicGenerator`), by the operation's bundle; without it a dynamic request gets the static answer. */
  dynamicGenerator?: (bundle: unknown) => (seed: string | undefined) => PayloadGenerator;
}

/**
 * Compiles an operation of Prism's model.
 *
 * @param operation - From {@link operationsFromDocument} (or Prism's `getHttpOperationsFromSpec`).
 * @param options - The mock's `dynamic` option and generator.
 */
export function compileOperation(operation: IHttpOperation, options: CompileOptions = {}): CompiledOperation {
  const bundle = (operation as { __bundled__?: unknown }).__bundled__;
  const security = compileSecurity(operation);
  const body = compileBody(operation);
  const headers = compileParameters(operation.request?.headers ?? [], 'header', bundle);
  const query = compileParameters(operation.request?.query ?? [], 'query', bundle);
  const path = compileParameters(operation.request?.path ?? [], 'path', bundle);
  const pathValues = compilePathTemplate(operation.path);
  const responses = compileResponses(operation, options.dynamicGenerator?.(bundle), options.dynamic ?? false);

  function validate(request: EngineRequest): Violation[] {
    const violations: Violation[] = [];
    const denied = security({ headers: request.headers, query: request.query });
    if (denied) violations.push(denied);
    violations.push(
      ...body({ body: request.body, mediaType: request.headers['content-type'], contentLength: request.headers['content-length'] }),
      ...headers(request.headers),
      ...query(request.query),
      ...path(pathValues(request.path) ?? {}),
    );
    return violations;
  }

  return {
    validate,
    mock(request, preferences) {
      const violations = validate(request);
      const kind = violations.some((violation) => violation.severity === 0) ? invalidKind(violations) : undefined;
      const output = kind === undefined ? responses.forValid(preferences) : responses.forInvalid(kind, preferences, violations);
      return output instanceof Error ? output : { output, input: violations };
    },
  };
}

function invalidKind(violations: Violation[]): InvalidKind {
  if (violations.some((violation) => violation.code === 401)) return 'security';
  if (violations.some((violation) => violation.code === 415)) return 'media-type';
  return 'other';
}
