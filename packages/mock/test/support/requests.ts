import { request as httpRequest } from 'node:http';
import { getHttpOperationsFromSpec } from '@stoplight/prism-http';
import type { IHttpOperation } from '@stoplight/types';
import { createSpecValidator, formatIssues } from '@carrier-api/schema-validator';
import { bundledSpecPath, listBundledApis, loadBundledSpec } from '@carrier-api/specs';

/** A request as it goes on the wire; header names in lower case. */
export interface WireRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer | string;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The parsed body when it is JSON; undefined otherwise. */
  json: unknown;
}

export interface SampleOperation {
  api: string;
  operationId: string;
  operation: IHttpOperation;
  /** A valid request of this operation, with credentials. */
  request: WireRequest;
}

export const apiNames = listBundledApis().map((api) => api.name);

export const credentialsFor = (api: string): Record<string, string> => (api.startsWith('mtn-') ? { 'x-api-key': 'key' } : { authorization: 'Bearer token' });

function exampleOf(value: { examples?: Array<{ value?: unknown }>; schema?: { examples?: unknown[]; example?: unknown } } | undefined): unknown {
  return value?.examples?.[0]?.value ?? value?.schema?.examples?.[0] ?? value?.schema?.example;
}

/** One valid request per operation of every bundled API, from the spec's own examples. */
export async function sampleOperations(apis = apiNames): Promise<SampleOperation[]> {
  const samples: SampleOperation[] = [];
  for (const api of apis) {
    for (const operation of await getHttpOperationsFromSpec(bundledSpecPath(api))) {
      let path = operation.path;
      for (const parameter of operation.request?.path ?? []) path = path.replace(`{${parameter.name}}`, encodeURIComponent(String(exampleOf(parameter as never) ?? 'x1')));
      const query = new URLSearchParams();
      for (const parameter of operation.request?.query ?? []) if (parameter.required) query.set(parameter.name, String(exampleOf(parameter as never) ?? 'x'));
      const content = operation.request?.body?.contents?.[0];
      const headers: Record<string, string> = operation.security?.length ? credentialsFor(api) : {};
      let body: string | undefined;
      if (content) {
        headers['content-type'] = content.mediaType;
        const example = exampleOf(content as never);
        body = content.mediaType.includes('json') ? JSON.stringify(example ?? {}) : new URLSearchParams(example as Record<string, string>).toString();
      }
      samples.push({ api, operationId: operation.iid!, operation, request: { method: operation.method.toUpperCase(), path: `${path}${query.size > 0 ? `?${query}` : ''}`, headers, body } });
    }
  }
  return samples;
}

/** Sends a request as is (node:http: no header is refused the way fetch refuses some). */
export function send(base: string, wire: WireRequest): Promise<WireResponse> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const headers = wire.body === undefined ? wire.headers : { 'content-length': String(Buffer.byteLength(wire.body)), ...wire.headers };
    const outgoing = httpRequest({ host: url.hostname, port: url.port, method: wire.method, path: wire.path, headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('error', reject);
      incoming.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text === '' ? undefined : JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, text, json });
      });
    });
    outgoing.on('error', reject);
    outgoing.end(wire.body);
  });
}

const documents = new Map<string, Record<string, unknown>>();

/** Follows $refs from a response to the pointer of its schema in the bundled document. */
function schemaPointer(api: string, responsePointer: string, mediaType: string): string {
  let document = documents.get(api);
  if (!document) documents.set(api, (document = loadBundledSpec(api)));
  const at = (pointer: string) =>
    pointer
      .slice(2)
      .split('/')
      .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')], document);
  let pointer = responsePointer;
  for (let hops = 0; hops < 10; hops++) {
    const ref = (at(pointer) as { $ref?: string }).$ref;
    if (!ref) break;
    pointer = ref;
  }
  const schemaAt = `${pointer}/content/${pointerPart(mediaType)}/schema`;
  return (at(schemaAt) as { $ref?: string }).$ref ?? schemaAt;
}

const validators = new Map<string, ReturnType<typeof createSpecValidator>>();
const pointerPart = (text: string) => text.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Problems of a response against the spec: its status documented for the operation (else, for
 * the HTTP-level 404/405/406/413/415, the operation's 400 body), its body valid against that
 * status's schema. [] when it conforms.
 */
export function responseProblems(api: string, operation: IHttpOperation, response: WireResponse): string[] {
  let validator = validators.get(api);
  if (!validator) validators.set(api, (validator = createSpecValidator(loadBundledSpec(api))));
  const documented = operation.responses.some((candidate) => candidate.code === String(response.status));
  const status = documented ? String(response.status) : '400';
  if (!documented && ![404, 405, 406, 413, 415, 431].includes(response.status)) return [`status ${response.status} is not documented for ${operation.iid}`];
  const content = operation.responses.find((candidate) => candidate.code === status)?.contents?.[0];
  if (!content) return [];
  if (response.json === undefined) return [`the body of ${response.status} is not JSON: ${response.text.slice(0, 100)}`];
  const pointer = schemaPointer(api, `#/paths/${pointerPart(operation.path)}/${operation.method}/responses/${status}`, content.mediaType);
  const issues = validator.validate(pointer, response.json);
  return issues.length === 0 ? [] : [`${operation.iid} ${response.status}: ${formatIssues(issues)}`];
}
