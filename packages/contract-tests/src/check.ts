import { createSpecValidator } from '@carrier-api/schema-validator';
import type { ContractCase } from './cases.js';

/** One way a response broke the contract. */
export interface ContractFailure {
  /** The rule broken: expected-status, documented-status, required-header, content-type, json, or a JSON Schema keyword. */
  rule: string;
  /** JSON pointer into the response body (or `#/headers/<name>`, `#/status`). */
  pointer: string;
  message: string;
}

type Document = { paths: Record<string, Record<string, { responses?: Record<string, unknown> }>> } & Record<string, unknown>;

/** The contract's checks of one answer: status, required headers, content type, body schema. */
export function createResponseChecker(document: object) {
  const spec = document as Document;
  const validator = createSpecValidator(document);

  return function checkResponse(testCase: ContractCase, operationPath: string, method: string, status: number, headers: Headers, bodyText: string): ContractFailure[] {
    const failures: ContractFailure[] = [];
    const statusText = String(status);
    if (!testCase.expect.statuses.includes(statusText)) {
      failures.push({ rule: 'expected-status', pointer: '#/status', message: `expected ${testCase.expect.statuses.join(' or ')}, got ${status}` });
    }
    const responses = spec.paths[operationPath]?.[method.toLowerCase()]?.responses ?? {};
    const documentedKey = [statusText, `${statusText[0]}XX`, 'default'].find((candidate) => candidate in responses);
    if (!documentedKey) {
      failures.push({ rule: 'documented-status', pointer: '#/status', message: `${status} is not a documented status (${Object.keys(responses).join(', ')})` });
      return failures;
    }
    const { pointer: responsePointer, response } = resolveResponse(spec, `#/paths/${escape(operationPath)}/${method.toLowerCase()}/responses/${documentedKey}`);

    for (const [name, header] of Object.entries(response.headers ?? {})) {
      if ((header as { required?: boolean }).required && !headers.has(name)) {
        failures.push({ rule: 'required-header', pointer: `#/headers/${name}`, message: `required response header ${name} is missing` });
      }
    }
    const mediaTypes = Object.keys(response.content ?? {});
    if (mediaTypes.length === 0) return failures;
    const contentType = (headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const mediaType = mediaTypes.find((candidate) => candidate.toLowerCase() === contentType);
    if (!mediaType) {
      failures.push({ rule: 'content-type', pointer: '#/headers/content-type', message: `expected ${mediaTypes.join(' or ')}, got "${contentType}"` });
      return failures;
    }
    if (!/json/.test(mediaType)) return failures;
    let body: unknown;
    try {
      body = JSON.parse(bodyText);
    } catch {
      failures.push({ rule: 'json', pointer: '/', message: 'the body is not JSON' });
      return failures;
    }
    for (const issue of validator.validate(`${responsePointer}/content/${escape(mediaType)}/schema`, body)) {
      failures.push({ rule: issue.rule, pointer: issue.instancePath, message: issue.message });
    }
    return failures;
  };
}

/** Follows the response's $ref, so that the schema is addressed where it is defined. */
function resolveResponse(spec: Document, pointer: string): { pointer: string; response: { headers?: Record<string, unknown>; content?: Record<string, unknown> } } {
  let current = pointer;
  for (let hops = 0; hops < 8; hops++) {
    const node = current.slice(2).split('/').reduce<unknown>((value, segment) => (value as Record<string, unknown>)?.[unescape(segment)], spec) as Record<string, unknown>;
    if (typeof node?.$ref !== 'string') return { pointer: current, response: node ?? {} };
    current = node.$ref;
  }
  throw new Error(`$ref cycle at ${pointer}`);
}

const escape = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');
const unescape = (segment: string) => segment.replace(/~1/g, '/').replace(/~0/g, '~');
