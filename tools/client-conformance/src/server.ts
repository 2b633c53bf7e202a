import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a row's server answers: status, headers, body; `cutAfterBytes` ends the connection mid-body. */
export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Sends this many bytes of `body` (under a Content-Length of the whole), then destroys the socket. */
  cutAfterBytes?: number;
}

/** A request the server received. */
export interface ReceivedRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  contentType: string | undefined;
  body: string;
}

/**
 * Where the clients' TokenManager asks for tokens (`auth.tokenUrl`): a path of its own, so that
 * the token endpoint the rows call as an operation (createToken) gets the row's answer.
 */
export const TOKEN_MANAGER_PATH = '/__conformance/token';

/** Where the redirect rows send the client: an operator's login page (HTML, 200). */
export const LOGIN_PAGE_PATH = '/__conformance/login';
const loginPage: Answer = { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<!doctype html><html><body><form action="/login">Operator portal: sign in</form></body></html>' };

/** A token response as Keycloak sends it. */
export const tokenAnswer: Answer = {
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ access_token: 'conformance-access-token-0123456789', expires_in: 300, refresh_expires_in: 1800, refresh_token: 'conformance-refresh-token-0123456789', token_type: 'Bearer' }),
};

/**
 * A loopback server (127.0.0.1, port 0) that answers every request with the current answer, and
 * the TokenManager's requests (TOKEN_MANAGER_PATH) with a token.
 * Each answer carries `X-Request-Id` (the row's id when the answer does not set one).
 */
export async function startAnswerServer() {
  let current: { answer: Answer; requestId: string } = { answer: { status: 500 }, requestId: 'unset' };
  let tokenRequests = 0;
  const received: ReceivedRequest[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (request.url === TOKEN_MANAGER_PATH) {
        tokenRequests += 1;
        return send(response, tokenAnswer, 'token');
      }
      if (request.url === LOGIN_PAGE_PATH) return send(response, loginPage, current.requestId);
      received.push({ method: request.method ?? '', url: request.url ?? '', contentType: request.headers['content-type'], body });
      send(response, current.answer, current.requestId);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    /** Every later request (but token requests of the runtime) gets `answer`, tagged `requestId`. */
    answerWith(answer: Answer, requestId: string) {
      current = { answer, requestId };
      received.length = 0;
    },
    received,
    get tokenRequests() {
      return tokenRequests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(response: ServerResponse, answer: Answer, requestId: string): void {
  const headers: Record<string, string> = { 'x-request-id': requestId, ...answer.headers };
  const body = Buffer.from(answer.body ?? '', 'utf8');
  if (answer.cutAfterBytes !== undefined) {
    response.writeHead(answer.status, { ...headers, 'content-length': String(body.length) });
    response.write(body.subarray(0, answer.cutAfterBytes), () => response.socket?.destroy());
    return;
  }
  response.writeHead(answer.status, headers);
  response.end(answer.status === 204 || answer.status === 304 ? undefined : body);
}
