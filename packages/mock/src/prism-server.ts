import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInstance, ProblemJsonError, type IHttpConfig, type IHttpRequest } from '@stoplight/prism-http';
import { getHttpConfigFromRequest } from '@stoplight/prism-http-server/dist/getHttpConfigFromRequest.js';
import { serialize } from '@stoplight/prism-http-server/dist/serialize.js';
import type { createLogger } from '@stoplight/prism-core';
import type { IHttpOperation } from '@stoplight/types';

const maxBodyBytes = 10 * 1024 * 1024;

export interface PrismHttpServer {
  listen(port: number, host: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * The HTTP layer around a Prism instance. Prism's own (prism-http-server) writes request text
 * into the `sl-violations` header without awaiting the write: a non-Latin-1 character in a
 * request then throws where nobody can catch it, and the process dies. Here validation,
 * security checks, negotiation and examples stay Prism's; headers are written safely, and
 * anything unexpected is answered with a 500 problem body instead of crashing the mock.
 */
export function createPrismHttpServer(operations: IHttpOperation[], config: IHttpConfig, logger: ReturnType<typeof createLogger>): PrismHttpServer {
  const prism = createInstance(config, { logger });

  const server = createServer((request, reply) => {
    handle(request, reply).catch((error: unknown) => {
      logger.error({ error: String(error) }, 'carrier-mock: request failed');
      sendProblem(reply, 500, 'Mock failure', error instanceof Error ? error.message : String(error));
    });
  });

  async function handle(request: IncomingMessage, reply: ServerResponse): Promise<void> {
    setCorsHeaders(request, reply);
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method']) {
      reply.writeHead(204, { 'Access-Control-Allow-Methods': String(request.headers['access-control-request-method']), Vary: 'origin', 'Content-Length': '0' });
      reply.end();
      return;
    }
    const { pathname, searchParams } = new URL(request.url ?? '/', 'http://mock.invalid');
    const input: IHttpRequest = {
      method: (request.method ?? 'GET').toLowerCase() as IHttpRequest['method'],
      url: { path: pathname, query: queryOf(searchParams) },
      headers: request.headers as Record<string, string>,
      body: await readBody(request),
    };
    const preferences = getHttpConfigFromRequest(input);
    if (preferences._tag === 'Left') return sendProblemError(reply, preferences.left);
    const requestConfig = { ...config, mock: { ...config.mock, ...preferences.right } } as IHttpConfig;

    const result = await prism.request(input, operations, requestConfig)();
    if (result._tag === 'Left') {
      const error = result.left as ProblemJsonError;
      // RFC 9110: a 405 names the methods the resource has.
      if (error.status === 405) reply.setHeader('Allow', allowedMethods(pathname).join(', '));
      return sendProblemError(reply, error);
    }
    const { output, validations } = result.right;
    const violations = [
      ...validations.input.map((violation) => ({ ...violation, path: ['request', ...(violation.path ?? [])] })),
      ...validations.output.map((violation) => ({ ...violation, path: ['response', ...(violation.path ?? [])] })),
    ].map((violation) => ({ location: violation.path, severity: severityNames[violation.severity] ?? 'Error', code: violation.code, message: violation.message }));
    if (violations.length > 0) reply.setHeader('sl-violations', violationsHeader(violations));
    logger.info(`${request.method} ${pathname} → ${output.statusCode}`);
    for (const [name, value] of Object.entries(output.headers ?? {})) reply.setHeader(name, typeof value === 'string' ? headerSafe(value) : (value as number));
    reply.statusCode = output.statusCode;
    const payload = serialize(output.body, reply.getHeader('content-type') as string | undefined);
    reply.end(payload === undefined || payload === null ? undefined : typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload));
  }

  const templates = operations.map((operation) => ({
    method: operation.method.toUpperCase(),
    pattern: new RegExp(`^${operation.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
  }));
  function allowedMethods(pathname: string): string[] {
    return [...new Set(templates.filter((template) => template.pattern.test(pathname)).map((template) => template.method))];
  }

  return {
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          resolve(`http://${address.address}:${address.port}`);
        });
      }),
    close: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

// Prism's DiagnosticSeverity, by value, as its own server names them in sl-violations.
const severityNames = ['Error', 'Warning', 'Information', 'Hint'];
const maxHeaderLength = 8 * 1024 - 100;

/** The violations as JSON, or, past a safe header length, Prism's "Too many violations!" prefix. */
function violationsHeader(violations: unknown[]): string {
  const value = headerSafe(JSON.stringify(violations));
  return value.length > maxHeaderLength ? `Too many violations! ${value.slice(0, maxHeaderLength)}` : value;
}

/** JSON text stays valid JSON with every non-ASCII character written as \uXXXX: a legal header. */
function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The body as Prism expects it: parsed JSON, or the raw text (invalid JSON then fails validation with the documented 400). */
async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) throw new Error('request body over 10 MB');
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  const text = Buffer.concat(chunks).toString('utf8');
  if (/json/i.test(request.headers['content-type'] ?? '')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

function queryOf(searchParams: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(searchParams.keys())) {
    const values = searchParams.getAll(key);
    query[key] = values.length === 1 ? values[0]! : values;
  }
  return query;
}

function setCorsHeaders(request: IncomingMessage, reply: ServerResponse): void {
  reply.setHeader('Access-Control-Allow-Origin', headerSafe(String(request.headers.origin ?? '*')));
  reply.setHeader('Access-Control-Allow-Headers', headerSafe(String(request.headers['access-control-request-headers'] ?? '*')));
  reply.setHeader('Access-Control-Allow-Credentials', 'true');
  reply.setHeader('Access-Control-Expose-Headers', '*');
}

function sendProblemError(reply: ServerResponse, error: ProblemJsonError): void {
  for (const [name, value] of Object.entries(error.additional?.headers ?? {})) reply.setHeader(name, headerSafe(String(value)));
  const problem = ProblemJsonError.toProblemJson(error);
  sendJson(reply, error.status ?? 500, problem);
}

function sendProblem(reply: ServerResponse, status: number, title: string, detail: string): void {
  if (reply.headersSent) return void reply.end();
  sendJson(reply, status, { type: 'https://carrier-api.dev/mock/errors#internal', title, status, detail });
}

function sendJson(reply: ServerResponse, status: number, body: unknown): void {
  if (reply.headersSent) return void reply.end();
  reply.writeHead(status, { 'Content-Type': 'application/problem+json' });
  reply.end(JSON.stringify(body));
}
