import { faultedText, headerSafe, maxBodyBytes, type Answer, type MockRequest, type Responder } from './responder.js';
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
  const body = faultedText(serializeBody(outcome.body, headers.get('content-type') ?? undefined), outcome.transport);
  // 204, 304 and the like carry no body (the Fetch API refuses one).
  const withoutBody = outcome.status === 204 || outcome.status === 205 || outcome.status === 304 || request.method.toUpperCase() === 'HEAD';
  const bytes = withoutBody || body === undefined ? null : new TextEncoder().encode(body);
  // As Node writes it on a port: the length of a body that is sent whole.
  if (bytes && !headers.has('content-length')) headers.set('content-length', String(bytes.length));
  if (bytes && (outcome.transport?.truncate || outcome.transport?.dribble)) return new Response(damagedStream(bytes, outcome.transport), { status: outcome.status, headers });
  return new Response(bytes, { status: outcome.status, headers });
}

/** A fault's damage as a body stream: half the bytes, then an error (the connection cut); or the bytes in chunks over time. */
function damagedStream(bytes: Uint8Array, transport: NonNullable<Answer['transport']>): ReadableStream<Uint8Array> {
  if (transport.truncate) {
    return new ReadableStream({
      start(controller) {
        controller.enqueue(bytes.subarray(0, Math.floor(bytes.length / 2)));
        controller.error(new TypeError('terminated: the connection closed before the body was complete'));
      },
    });
  }
  const { durationMs, chunks } = transport.dribble!;
  const size = Math.ceil(bytes.length / chunks);
  let sent = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  return new ReadableStream({
    pull(controller) {
      return new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          const part = bytes.subarray(sent, sent + size);
          sent += part.length;
          controller.enqueue(part);
          if (sent >= bytes.length) controller.close();
          resolve();
        }, sent === 0 ? 0 : durationMs / chunks);
      });
    },
    cancel() {
      clearTimeout(timer);
    },
  });
}
