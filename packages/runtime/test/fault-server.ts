import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** What the server does with one request: answer, answer late, drop the connection, or never answer. */
export type Fault =
  | { status: number; body?: unknown; headers?: Record<string, string>; delayMs?: number }
  | { drop: true }
  | { hang: true };

type Handler = (request: RecordedRequest) => Fault;

/**
 * A loopback HTTP server whose answers a test scripts, recording every request it gets.
 * Routes map "METHOD /path" (or a prefix ending in *) to a handler.
 */
export async function startFaultServer(routes: Record<string, Handler>) {
  const requests: RecordedRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const recorded = { method: req.method!, path: req.url!, headers: req.headers, body };
      requests.push(recorded);
      const key = `${req.method} ${new URL(req.url!, 'http://x').pathname}`;
      const handler = routes[key] ?? Object.entries(routes).find(([route]) => route.endsWith('*') && key.startsWith(route.slice(0, -1)))?.[1];
      const fault: Fault = handler ? handler(recorded) : { status: 404, body: { code: 'NOT_FOUND', message: 'no route' } };
      if ('drop' in fault) {
        req.socket.destroy();
        return;
      }
      if ('hang' in fault) return; // closed by close()
      const send = () => {
        res.writeHead(fault.status, { 'Content-Type': 'application/json', ...fault.headers });
        res.end(fault.body === undefined ? '' : JSON.stringify(fault.body));
      };
      if (fault.delayMs) setTimeout(send, fault.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    count: (method: string, path: string) => requests.filter((r) => r.method === method && new URL(r.path, 'http://x').pathname === path).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Answers from a list, one per call; the last one repeats. */
export function sequence(...faults: Fault[]): Handler {
  let index = 0;
  return () => faults[Math.min(index++, faults.length - 1)]!;
}

export const tokenPath = '/auth/realms/api/protocol/openid-connect/token';

export function tokenBody(accessToken: string, expiresIn = 300, refreshToken = `refresh-of-${accessToken}`) {
  return { access_token: accessToken, expires_in: expiresIn, refresh_expires_in: 1800, refresh_token: refreshToken, token_type: 'Bearer' };
}

/** What undici's fetch calls on a dispatcher (undici's Dispatcher interface, in part). */
export type Dispatcher = { dispatch(options: Record<string, unknown>, handler: unknown): boolean };

/**
 * Runs `body` with the process's global dispatcher replaced by `wrap(original)`, as a caller's
 * `setGlobalDispatcher` (a proxy, undici's MockAgent) would, and puts the original back after.
 */
export async function withGlobalDispatcher<T>(wrap: (original: Dispatcher) => Dispatcher, body: () => Promise<T>): Promise<T> {
  // Node's fetch creates its global dispatcher on first use.
  await fetch('http://127.0.0.1:1/').catch(() => undefined);
  const registry = globalThis as unknown as Record<symbol, Dispatcher | undefined>;
  const key = Symbol.for('undici.globalDispatcher.1');
  const original = registry[key]!;
  registry[key] = wrap(original);
  try {
    return await body();
  } finally {
    registry[key] = original;
  }
}
