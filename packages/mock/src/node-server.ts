import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { faultedText, headerSafe, maxBodyBytes, type Answer, type MockRequest, type Responder } from './responder.js';
import { serializeBody } from './serialize.js';

/** Past this many bytes an oversized body is no longer drained: the 413 is sent and the connection closed. */
const drainLimitBytes = 64 * 1024 * 1024;

/** One API's mock on a port. */
export interface MockHttpServer {
  /** @returns The base URL, e.g. `http://127.0.0.1:4010`. */
  listen(port: number, host: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * The node:http adapter of a {@link Responder}: reads the request (at most 10 MB of body, the
 * rest drained up to 64 MB so that the client can read its 413), writes the answer, closes the
 * connection for a `drop`. What Node's HTTP parser refuses (broken framing, headers over 16 KB)
 * gets the API's JSON error body too, not Node's bare 400.
 *
 * @param responder - The API's responder.
 * @param onFailure - Told of a request the responder failed on (its answer is already a 500).
 */
export function createMockHttpServer(responder: Responder, onFailure: (error: unknown) => void = () => undefined): MockHttpServer {
  const server = createServer((request, reply) => {
    handle(request, reply).catch((error: unknown) => {
      onFailure(error);
      if (!reply.headersSent) reply.writeHead(500, { 'Content-Type': 'application/problem+json' });
      reply.end(JSON.stringify({ type: 'https://carrier-api.dev/mock/errors#internal', title: 'Mock failure', status: 500, detail: error instanceof Error ? error.message : String(error) }));
    });
  });

  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return void socket.destroy();
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const body = JSON.stringify(responder.unreadable(status, `The request is not valid HTTP/1.1 (${error.code ?? 'parse error'}).`).body);
    socket.end(`HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });

  async function handle(request: IncomingMessage, reply: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const mockRequest: MockRequest = { method: request.method ?? 'GET', target: request.url ?? '/', headers: request.headers, body: body.bytes, bodyTooLarge: body.tooLarge, bodyDrained: body.drained };
    const outcome = await responder.respond(mockRequest);
    if (outcome === 'drop') return void request.socket.destroy();
    write(reply, outcome);
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

/** The body's bytes, up to 10 MB; past that `tooLarge`, drained (up to 64 MB) so that the 413 can be read by the client. */
function readBody(request: IncomingMessage): Promise<{ bytes: Uint8Array; tooLarge: boolean; drained: boolean }> {
  const declared = Number(request.headers['content-length'] ?? 0);
  // Nothing to wait for: no body was announced (a GET), so no stream events to pay for.
  if (!(declared > 0) && request.headers['transfer-encoding'] === undefined) return Promise.resolve({ bytes: new Uint8Array(0), tooLarge: false, drained: true });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = declared > maxBodyBytes;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) tooLarge = true;
      if (size > drainLimitBytes) {
        request.removeAllListeners('data');
        request.pause();
        resolve({ bytes: new Uint8Array(0), tooLarge: true, drained: false });
        return;
      }
      if (!tooLarge) chunks.push(chunk);
    });
    request.once('end', () => resolve({ bytes: tooLarge ? new Uint8Array(0) : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), tooLarge, drained: true }));
    request.once('error', reject);
  });
}

function write(reply: ServerResponse, answer: Answer): void {
  if (reply.headersSent) return void reply.end();
  for (const [name, value] of Object.entries(answer.headers)) reply.setHeader(name, typeof value === 'string' ? headerSafe(value) : value);
  reply.statusCode = answer.status;
  const payload = faultedText(serializeBody(answer.body, reply.getHeader('content-type') as string | undefined), answer.transport);
  const transport = answer.transport;
  if (!payload || (!transport?.truncate && !transport?.dribble)) return void reply.end(payload);
  // A fault's damage: the whole body's length is announced, then less of it, or all of it slowly.
  const bytes = Buffer.from(payload);
  reply.setHeader('Content-Length', bytes.length);
  if (transport.truncate) {
    reply.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => reply.socket?.destroy());
    return;
  }
  const { durationMs, chunks } = transport.dribble!;
  const size = Math.ceil(bytes.length / chunks);
  let sent = 0;
  const next = () => {
    if (reply.destroyed) return;
    const part = bytes.subarray(sent, sent + size);
    sent += part.length;
    if (sent >= bytes.length) return void reply.end(part);
    reply.write(part);
    setTimeout(next, durationMs / chunks);
  };
  next();
}
