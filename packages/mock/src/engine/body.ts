import type { IHttpEncoding, IHttpOperation, IMediaTypeContent } from '@stoplight/types';
import { formBodyStyles } from './parameters.js';
import { mediaTypesMatch } from './responses.js';
import { compileSchema, normaliseSchema, violationsOf, type JsonSchema, type Violation } from './validation.js';

/**
 * The request body check of Prism 5.12 (prism-http `validator/index` `validateInputBody` and
 * `validators/body`): a required body present; a non-empty body in a documented media type; a
 * JSON body against its schema as sent, a form body split, decoded and deserialised by its
 * `encoding` first, then against its schema with types coerced. Schemas compiled once.
 */

/** What the body check reads of a request. */
export interface BodyInput {
  /** Parsed JSON, the raw text (a form, or JSON that did not parse), or undefined. */
  body: unknown;
  /** The Content-Type's essence (our HTTP layer keeps only that), or undefined. */
  mediaType: string | undefined;
  /** The Content-Length header as sent. */
  contentLength: string | undefined;
}

interface CompiledContent {
  content: IMediaTypeContent;
  /** undefined: nothing to check (no schema, a readOnly one, or one ajv cannot compile). */
  validate: ReturnType<typeof compileSchema>;
  form: boolean;
  properties?: Record<string, JsonSchema>;
  encodings: IHttpEncoding[];
}

const isForm = (mediaType: string) => mediaType === 'application/x-www-form-urlencoded' || mediaType === 'multipart/form-data';

/**
 * @param operation - Prism's model of the operation.
 * @returns The operation's body check: its violations (Errors and Warnings), [] when it passes.
 */
export function compileBody(operation: IHttpOperation): (input: BodyInput) => Violation[] {
  const requestBody = operation.request?.body;
  const bundle = (operation as { __bundled__?: unknown }).__bundled__;
  const contents = requestBody?.contents ?? [];
  const compiledByMediaType = new Map<IMediaTypeContent, Map<boolean, CompiledContent>>();
  const compile = (content: IMediaTypeContent, form: boolean): CompiledContent => {
    let byKind = compiledByMediaType.get(content);
    if (!byKind) compiledByMediaType.set(content, (byKind = new Map()));
    let compiled = byKind.get(form);
    if (!compiled) {
      const schema = content.schema ? normaliseSchema(content.schema as JsonSchema, 'input') : undefined;
      // Prism validates a form body without the operation's bundle.
      compiled = { content, validate: schema ? compileSchema(schema, form, form ? undefined : bundle) : undefined, form, properties: schema?.properties as Record<string, JsonSchema> | undefined, encodings: content.encodings ?? [] };
      byKind.set(form, compiled);
    }
    return compiled;
  };
  // Compile what a request in each documented media type (and one without any) is checked with, up front.
  for (const content of contents) compile(content, isForm(content.mediaType.toLowerCase()));
  if (contents[0]) compile(contents[0], false);

  return ({ body, mediaType, contentLength }) => {
    if (requestBody?.required && !body) return [{ code: 'required', message: 'Body parameter is required', severity: 0 }];
    const supported = requestBody !== undefined && (mediaType === undefined || requestBody.contents === undefined || contents.some((content) => !content.mediaType || mediaTypesMatch(mediaType, content.mediaType)));
    if ((Number.parseInt(contentLength ?? '', 10) || 0) !== 0 && !supported) {
      const message = requestBody && contents.length > 0 ? `Supported content types: ${contents.map((content) => content.mediaType).join(',')}` : 'No supported content types, but request included a non-empty body';
      return [{ message, code: 415, severity: 0 }];
    }
    if (body === undefined || body === null || !requestBody) return [];
    const found = mediaType === undefined ? undefined : (contents.find((content) => mediaTypesMatch(mediaType, content.mediaType)) ?? contents[0]);
    const content = found ?? contents[0];
    if (!content) return [];
    const form = found !== undefined && isForm(mediaType!);
    const compiled = compile(content, form);
    if (!compiled.validate) return [];
    if (!form) return violationsOf(compiled.validate, body, 'Request', 'body');
    if (typeof body !== 'string') return [{ message: 'Target is not a string', code: '422', severity: 0 }];
    return formViolations(compiled, body);
  };
}

/** A form body: split at `&` and the first `=`, reserved characters checked, decoded, deserialised by `encoding`, validated. */
function formViolations(compiled: CompiledContent, body: string): Violation[] {
  // What decoding takes `+` for follows the documented media type, not the request's.
  const urlEncoded = compiled.content.mediaType.toLowerCase() === 'application/x-www-form-urlencoded';
  if (compiled.content.mediaType === 'multipart/form-data') {
    return [{ message: 'Boundary parameter for multipart/form-data is not defined or generated in the request header. Try removing manually defined content-type from your request header if it exists.', code: 415, severity: 0 }];
  }
  const encoded: Record<string, string> = {};
  for (const pair of body.split('&')) {
    const [key, ...rest] = pair.split('=');
    encoded[key!] = rest.join('=');
  }
  const reserved: Violation[] = [];
  for (const encoding of compiled.encodings) {
    const value = encoded[encoding.property];
    if (!encoding.allowReserved && /[/?#[\]@!$&'()*+,;=]/.test(String(value))) reserved.push({ path: ['body', encoding.property], message: 'Reserved characters used in request body', severity: 0 });
  }
  if (reserved.length > 0) return reserved;
  const decoded: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(encoded)) {
    const value = urlEncoded ? raw.replaceAll('+', '%20') : raw;
    try {
      decoded[decodeURIComponent(key)] = decodeURIComponent(value);
    } catch {
      decoded[decodeURIComponent(key)] = value;
    }
  }
  let target: Record<string, unknown> = decoded;
  if (compiled.properties) {
    target = {};
    for (const property of Object.keys(compiled.properties)) {
      target[property] = decoded[property];
      const encoding = compiled.encodings.find((candidate) => candidate.property === property);
      const schema = compiled.properties[property];
      if (!encoding?.style || !schema || typeof schema === 'boolean') continue;
      let values = formBodyStyles[encoding.style]!(property, decoded, schema, encoding.explode);
      const items = schema.items as JsonSchema | undefined;
      if (Array.isArray(values) && typeof items === 'object' && items.type === 'object') {
        const parsed: unknown[] = [];
        let pending = '';
        for (const item of values as string[]) {
          pending += (pending.length > 0 ? ',' : '') + item;
          try {
            parsed.push(JSON.parse(pending));
            pending = '';
          } catch {
            // not yet a whole JSON value
          }
        }
        if (pending.length > 0) return [{ message: 'Cannot deserialize JSON object array in form data request body. Make sure the array is in JSON', code: 415, severity: 0 }];
        values = parsed;
      }
      target[property] = values;
    }
  }
  return violationsOf(compiled.validate, target, 'Request', 'body');
}
