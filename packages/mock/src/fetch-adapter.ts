import { headerSafe, maxBodyBytes, type MockRequest, type Responder } from './responder.js';
import { serializeBody } from './serialize.js';

/**
 * The Fetch API adapter of a {@link Responder} (what the MSW handlers run): a WHATWG `Request`
 * in, a `Response` out, the same answers as the node:http adapter gives on a port. Runs wherever
 * Fetch does (Node, browsers, service workers).
 */

/**
 * The request as the responder reads it, with the base path of the URL it was sent to taken off
 * (the mock serves the spec's paths, as on a port).
 *
 * @param request - The intercepted request.
 * @param basePath - The path of the base URL the handler is bound to (`/v1`), or `''`.
 */
export async function fromFetchRequest(request: Request, basePath: string): Promise<MockRequest> {
  const url = new URL(request.url);
  const path = basePath !== '' && url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) || '/' : url.pathname;
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const body = request.body === null ? new Uint8Array(0) : new Uint8Array(await request.arrayBuffer());
  // Over a socket a client states the body's length; an in-process request does not, so it is stated here.
  if (body.length > 0 && headers['content-length'] === undefined && headers['transfer-encoding'] === undefined) headers['content-length'] = String(body.length);
  const tooLarge = body.length > maxBodyBytes;
  return { method: request.method, target: `${path}${url.search}`, headers, body: tooLarge ? new Uint8Array(0) : body, bodyTooLarge: tooLarge, bodyDrained: true };
}

/**
 * The responder's answer as a `Response`; a dropped connection is a network error
 * (`Response.error()`: the caller's fetch rejects, as it does when a socket closes unanswered).
 *
 * @param responder - The API's responder.
 * @param request - What `fromFetchRequest` made.
 */
export async function toFetchResponse(responder: Responder, request: MockRequest): Promise<Response> {
  const outcome = await responder.respond(request);
  if (outcome === 'drop') return Response.error();
  const headers = new Headers();
  for (const [name, value] of Object.entries(outcome.headers)) headers.set(name, typeof value === 'string' ? headerSafe(value) : String(value));
  const body = serializeBody(outcome.body, headers.get('content-type') ?? undefined);
  // 204, 304 and the like carry no body (the Fetch API refuses one).
  const withoutBody = outcome.status === 204 || outcome.status === 205 || outcome.status === 304 || request.method.toUpperCase() === 'HEAD';
  const bytes = withoutBody || body === undefined ? null : new TextEncoder().encode(body);
  // As Node writes it on a port: the length of a body that is sent whole.
  if (bytes && !headers.has('content-length')) headers.set('content-length', String(bytes.length));
  return new Response(bytes, { status: outcome.status, headers });
}
