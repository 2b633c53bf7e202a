import { discardBody } from '@carrier-api/runtime';
import type { CredentialSource } from './credentials.js';

/** One request of a check, before credentials and encoding. */
export interface OutgoingRequest {
  method: string;
  /** The path, filled and URL-encoded. */
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  contentType?: string;
  body?: unknown;
  /** `given`: the run's credentials (default); `none`: no credentials; an object: exactly these headers. */
  auth?: 'given' | 'none' | Record<string, string>;
}

/** A server's answer, read whole. */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, `undefined` when it is not JSON. */
  json: unknown;
}

/** Options of {@link createSender}. */
export interface SenderOptions {
  baseUrl: string;
  fetch: typeof globalThis.fetch;
  credentials: CredentialSource;
  /** Per request, ms. */
  timeoutMs: number;
  /** At most this many requests per second (none: unpaced). */
  rate?: number;
}

/** Sends requests of the checks: paced, with the run's credentials, each 401 of a refused fresh token retried once. */
export type Sender = (request: OutgoingRequest) => Promise<Answer>;

/**
 * @param options - Where to send, how, and how fast.
 * @returns A function that sends one request and reads its answer whole.
 */
export function createSender(options: SenderOptions): Sender {
  const pace = pacer(options.rate);
  return async (request) => {
    const url = new URL(`${options.baseUrl}${request.path}`);
    for (const [name, value] of Object.entries(request.query ?? {})) url.searchParams.set(name, value);
    const headers: Record<string, string> = { Accept: 'application/json', ...request.headers };
    let body: string | undefined;
    if (request.body !== undefined) {
      headers['Content-Type'] = request.contentType ?? 'application/json';
      body = headers['Content-Type'] === 'application/x-www-form-urlencoded' ? new URLSearchParams(request.body as Record<string, string>).toString() : JSON.stringify(request.body);
    }
    const auth = request.auth ?? 'given';
    const sendOnce = async () => {
      const credentials = auth === 'given' ? await options.credentials.headers() : auth === 'none' ? {} : auth;
      await pace();
      const response = await options.fetch(url, { method: request.method, headers: { ...headers, ...credentials }, body, signal: AbortSignal.timeout(options.timeoutMs) });
      return { response, credentials };
    };
    let attempt = await sendOnce();
    // At most one retry: a token of ours the server refused although it was fresh here (clock skew).
    if (attempt.response.status === 401 && auth === 'given' && options.credentials.refused(attempt.credentials)) {
      discardBody(attempt.response.body);
      attempt = await sendOnce();
    }
    const text = await attempt.response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: attempt.response.status, headers: attempt.response.headers, text, json };
  };
}

/** Spaces request starts at least 1/rate s apart, measured from when the previous one was let go; callers queue. */
function pacer(rate: number | undefined): () => Promise<void> {
  if (!rate) return async () => {};
  const interval = 1000 / rate;
  let next = 0;
  let queue: Promise<void> = Promise.resolve();
  return () => {
    const turn = queue.then(async () => {
      const wait = next - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      next = Date.now() + interval;
    });
    queue = turn;
    return turn;
  };
}

/**
 * Evaluates an OpenAPI runtime expression on an answer: `$response.body#/pointer`,
 * `$response.header.<name>`, `$statusCode`.
 *
 * @returns The value, or `undefined` when the answer has none there.
 */
export function evaluate(expression: string, answer: Answer): unknown {
  if (expression === '$statusCode') return answer.status;
  if (expression.startsWith('$response.header.')) return answer.headers.get(expression.slice('$response.header.'.length)) ?? undefined;
  if (expression.startsWith('$response.body')) {
    const pointer = expression.slice('$response.body'.length).replace(/^#/, '');
    return pointer.split('/').slice(1).reduce<unknown>((value, segment) => {
      if (value === null || typeof value !== 'object') return undefined;
      return (value as Record<string, unknown>)[segment.replace(/~1/g, '/').replace(/~0/g, '~')];
    }, answer.json);
  }
  return undefined;
}

/** Same status and the same body (as JSON when both are JSON, else byte for byte). */
export function sameAnswer(a: Answer, b: Answer): boolean {
  if (a.status !== b.status) return false;
  if (a.json !== undefined && b.json !== undefined) return deepEqual(a.json, b.json);
  return a.text === b.text;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  return keysA.length === keysB.length && keysA.every((key) => deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}
