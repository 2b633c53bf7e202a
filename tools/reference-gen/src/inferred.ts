/** One element of a spec that the vendor document does not state: where it is, and why it is there. */
export interface InferredElement {
  /** JSON pointer into the bundle, e.g. `/paths/~1auth~1transactions/post`. */
  pointer: string;
  /** What kind of element it is, in a reader's words: operation, parameter, field, server... */
  kind: string;
  /** A short name for the element: `POST /auth/transactions`, `header Idempotency-Key`, `Transaction.transactionStatus`. */
  label: string;
  /** The `x-inferred` text: why the spec says what the document leaves open. */
  reason: string;
}

/** The keys of an OpenAPI path item that are operations. */
export const methods = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/** `a/b` → `a~1b`: a JSON pointer token (RFC 6901). */
export const token = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Every element of a bundled OpenAPI document that carries `x-inferred`, in document order.
 * Walks the document once; `$ref`s are not followed, so an element shared through components is
 * listed once, where it is defined.
 *
 * @param document - a bundled OpenAPI 3.0 document (as parsed JSON).
 * @throws {TypeError} when an `x-inferred` is not a non-empty string (the lint rule `carrier/x-inferred-reason` refuses those too).
 */
export function listInferred(document: Record<string, unknown>): InferredElement[] {
  const found: InferredElement[] = [];
  const walk = (node: unknown, path: string[]): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach((item, index) => walk(item, [...path, String(index)]));
    const record = node as Record<string, unknown>;
    if ('x-inferred' in record) {
      const reason = record['x-inferred'];
      const pointer = path.map(token).map((segment) => `/${segment}`).join('');
      if (typeof reason !== 'string' || reason.trim() === '') throw new TypeError(`x-inferred at ${pointer || '/'} must say why, got ${JSON.stringify(reason)}`);
      found.push({ pointer, reason, ...describe(path, record) });
    }
    for (const [key, value] of Object.entries(record)) if (key !== 'x-inferred' && key !== 'examples' && key !== 'example') walk(value, [...path, key]);
  };
  walk(document, []);
  return found;
}

/** The kind and label of the element at `path`, from the shape of the OpenAPI document. */
function describe(path: string[], element: Record<string, unknown>): { kind: string; label: string } {
  const [top, name, third] = path;
  if (path.length === 0) return { kind: 'document', label: 'the whole document' };
  if (top === 'info') return { kind: 'info', label: path.slice(1).join('.') || 'info' };
  if (top === 'servers') return { kind: 'server', label: String(element.url ?? `server ${name}`) };
  if (top === 'paths' && name !== undefined) {
    const operation = third !== undefined && methods.has(third) ? `${third.toUpperCase()} ${name}` : undefined;
    if (!operation) return { kind: 'path', label: name };
    const rest = path.slice(3);
    if (rest.length === 0) return { kind: 'operation', label: operation };
    if (rest[0] === 'parameters') return { kind: 'parameter', label: `${operation} ${String(element.in ?? '')} ${String(element.name ?? '')}`.trim() };
    if (rest[0] === 'responses' && rest[1] !== undefined) {
      if (rest[2] === 'links' && rest[3] !== undefined) return { kind: 'link', label: `${operation} ${rest[1]} → ${rest[3]}` };
      return { kind: 'response', label: `${operation} ${rest[1]}` };
    }
    // Shown on the page in the operation's behaviour section (behaviour.ts), not as a note of its own.
    if (rest[0] === 'x-behaviour') return { kind: 'behaviour', label: `${operation} behaviour (sandbox)` };
    if (rest[0] === 'requestBody') return { kind: 'request body', label: `${operation} request body` };
    return { kind: 'operation part', label: `${operation} ${rest.join('.')}` };
  }
  if (top === 'components' && name !== undefined && third !== undefined) {
    const kinds: Record<string, string> = { schemas: 'schema', parameters: 'parameter', responses: 'response', securitySchemes: 'security scheme', headers: 'header', requestBodies: 'request body' };
    const properties = path.slice(3).filter((segment, index, all) => all[index - 1] === 'properties');
    if (name === 'schemas' && properties.length > 0) return { kind: 'field', label: `${third}.${properties.join('.')}` };
    if (name === 'parameters') return { kind: 'parameter', label: `${String(element.in ?? '')} ${String(element.name ?? third)}`.trim() };
    return { kind: kinds[name] ?? name, label: [third, ...path.slice(4)].join('.') };
  }
  return { kind: 'element', label: path.join('.') };
}

/**
 * The fidelity report of one spec, in Markdown: a table of every inferred element with its
 * reason, so that a reviewer sees at a glance what is the vendor's word and what is ours.
 *
 * @param title - the API's title (`info.title`).
 * @param source - the vendor document the spec is written from, as the spec names it.
 */
export function fidelityReport(title: string, source: string, inferred: InferredElement[]): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
  const lines = [
    `# ${title}: fidelity report`,
    '',
    `Source: ${source}`,
    '',
    inferred.length === 0
      ? 'Every element of this spec is stated by the vendor document.'
      : `${inferred.length} element(s) of this spec are not stated by the vendor document and were decided here (\`x-inferred\`). Everything else is the document's word.`,
  ];
  if (inferred.length > 0) {
    lines.push('', '| kind | element | why | where |', '| --- | --- | --- | --- |');
    // The whole document's pointer is empty, and an empty code span shows as two backticks.
    for (const element of inferred) lines.push(`| ${element.kind} | ${cell(element.label)} | ${cell(element.reason)} | ${element.pointer ? `\`${element.pointer}\`` : '(the root)'} |`);
  }
  return `${lines.join('\n')}\n`;
}
