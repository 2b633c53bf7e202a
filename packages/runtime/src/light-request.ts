/** Marks the request objects of createLightRequests, read field by field by the carrier fetch. */
export const LIGHT_REQUEST: unique symbol = Symbol.for('@carrier-api/runtime/light-request') as never;

/** What the carrier fetch reads of a light request: what openapi-fetch gave the Request constructor. */
export interface LightRequest {
  readonly [LIGHT_REQUEST]: true;
  readonly url: string;
  readonly method: string;
  readonly headers: Headers | Record<string, string> | undefined;
  readonly body: unknown;
  readonly signal: AbortSignal | undefined;
  readonly redirect: 'follow' | 'error' | 'manual' | undefined;
}

/** A request object built by createLightRequests (what a light client hands its carrier fetch). */
export function isLightRequest(value: unknown): value is LightRequest {
  return typeof value === 'object' && value !== null && (value as { [LIGHT_REQUEST]?: unknown })[LIGHT_REQUEST] === true;
}

const methods = ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE'] as const;

/**
 * What a light client's plain calls need to skip openapi-fetch's request plumbing: its own URL
 * builder (so paths and queries are serialised exactly as openapi-fetch does) and the carrier fetch.
 */
export interface DirectCalls {
  /** openapi-fetch's `createFinalURL(schemaPath, { baseUrl, params, querySerializer, pathSerializer })` with the client's base URL and default serialisers. */
  finalUrl: (schemaPath: string, params: Record<string, unknown>) => string;
  /** The client's carrier fetch. */
  fetch: (input: string, init: RequestInit) => Promise<Response>;
}

/** The call options a direct call understands; any other (middleware, fetch, parseAs, a serialiser, RequestInit extras) goes through openapi-fetch. */
const directOptions = new Set(['params', 'body', 'headers', 'signal']);

function isPlainCall(init: Record<string, unknown> | undefined): boolean {
  if (init === undefined) return true;
  for (const key in init) if (!directOptions.has(key) && init[key] !== undefined) return false;
  return true;
}

type HeaderSource = Headers | Record<string, unknown> | undefined | null;

/** openapi-fetch's mergeHeaders into a plain record: null removes, an array repeats, undefined is skipped. */
function mergeInto(target: Record<string, string>, source: HeaderSource): void {
  if (!source || typeof source !== 'object') return;
  if (source instanceof Headers) {
    source.forEach((value, name) => (target[name] = value));
    return;
  }
  for (const name in source) {
    const value = source[name];
    const key = name.toLowerCase();
    if (value === null) delete target[key];
    // Trimmed as Headers (what openapi-fetch builds) trims them.
    else if (Array.isArray(value)) for (const item of value) target[key] = target[key] === undefined ? String(item).trim() : `${target[key]}, ${String(item).trim()}`;
    else if (value !== undefined) target[key] = String(value).trim();
  }
}

/**
 * A plain call (no middleware, no fetch, parseAs or serialiser of its own), with what
 * openapi-fetch 0.17's coreFetch would send and resolve with: the same URL (its own builder),
 * headers (a JSON Content-Type when there is a body), body (JSON, or the form its Content-Type
 * asks for) and `{ data | error, response }`. Without a Request, a Headers and the closures
 * openapi-fetch makes per call: the light client's per-request cost.
 */
async function directCall(direct: DirectCalls, method: string, schemaPath: string, init: Record<string, unknown> | undefined) {
  const params = (init?.params ?? {}) as Record<string, unknown>;
  const url = direct.finalUrl(schemaPath, params);
  const headers: Record<string, string> = {};
  const body = init?.body;
  let serialized: BodyInit | undefined;
  if (body !== undefined) {
    if (typeof FormData === 'function' && body instanceof FormData) serialized = body;
    else {
      headers['content-type'] = 'application/json';
      // openapi-fetch serialises with the caller's headers only: a form when they ask for one.
      const asked = contentTypeOf(init!.headers as HeaderSource, params.header as HeaderSource);
      serialized = asked === 'application/x-www-form-urlencoded' ? new URLSearchParams(body as Record<string, string>).toString() : JSON.stringify(body);
    }
  }
  mergeInto(headers, init?.headers as HeaderSource);
  mergeInto(headers, params.header as HeaderSource);
  const requestInit: RequestInit = { method, headers, redirect: 'follow' };
  if (serialized !== undefined) requestInit.body = serialized;
  if (init?.signal) requestInit.signal = init.signal as AbortSignal;
  const response = await direct.fetch(url, requestInit);
  const contentLength = response.headers.get('content-length');
  if (response.status === 204 || method === 'HEAD' || (contentLength === '0' && !response.headers.get('transfer-encoding')?.includes('chunked'))) {
    return response.ok ? { data: undefined, response } : { error: undefined, response };
  }
  if (response.ok) {
    if (!contentLength) {
      const raw = await response.text();
      return { data: raw ? JSON.parse(raw) : undefined, response };
    }
    return { data: await response.json(), response };
  }
  let error: unknown = await response.text();
  try {
    error = JSON.parse(error as string);
  } catch {
    // Not JSON: the text, as openapi-fetch gives it.
  }
  return { error, response };
}

/** The Content-Type the caller's own headers set (what openapi-fetch's body serialiser reads). */
function contentTypeOf(...sources: HeaderSource[]): string | undefined {
  const merged: Record<string, string> = {};
  for (const source of sources) mergeInto(merged, source);
  return merged['content-type'];
}

/**
 * For a light client: openapi-fetch builds a full Request per call (URL parsing, a Headers copy,
 * an AbortController) that the carrier fetch would only take apart again. `Request` (passed to
 * openapi-fetch's `createClient`) builds a plain object instead, which only the carrier fetch
 * receives. Whenever someone else could see the request (a middleware added with `use()`, a
 * call's own `middleware` or `fetch`), it builds a real Request, so nothing changes for them.
 * `adopt(client)` watches the client for those.
 *
 * @returns `Request` for `createClient`, and `adopt` to apply to the client it returns.
 */
export function createLightRequests(): { Request: typeof Request; adopt: <C extends object>(client: C, direct?: DirectCalls) => C } {
  let globalMiddleware = false;
  let light = true;

  class CarrierLightRequest {
    /** openapi-fetch checks what middleware returns with `instanceof` its Request: a real Request is one. */
    static [Symbol.hasInstance](value: unknown): boolean {
      return value instanceof Request || isLightRequest(value);
    }

    constructor(input: string | URL | Request, init: RequestInit = {}) {
      if (!light || typeof input !== 'string') return new Request(input, init) as never;
      const request: LightRequest = {
        [LIGHT_REQUEST]: true,
        url: input,
        method: (init.method ?? 'GET').toUpperCase(),
        headers: init.headers as LightRequest['headers'],
        body: init.body ?? undefined,
        signal: init.signal ?? undefined,
        redirect: init.redirect as LightRequest['redirect'],
      };
      return request as never;
    }
  }

  /**
   * @param client - What openapi-fetch's createClient returned (with `Request` from here).
   * @param direct - When given, plain calls skip openapi-fetch's request plumbing (see directCall).
   */
  function adopt<C extends object>(client: C, direct?: DirectCalls): C {
    const target = client as Record<string, unknown>;
    const use = target.use as ((...middleware: unknown[]) => unknown) | undefined;
    if (typeof use === 'function') {
      target.use = (...middleware: unknown[]) => {
        globalMiddleware = true;
        light = false;
        return use.apply(client, middleware);
      };
    }
    const wrap = (name: string, initIndex: number) => {
      const original = target[name] as ((...args: unknown[]) => unknown) | undefined;
      if (typeof original !== 'function') return;
      target[name] = (...args: unknown[]) => {
        const init = args[initIndex] as { middleware?: unknown[]; fetch?: unknown; Request?: unknown } | undefined;
        if (direct !== undefined && !globalMiddleware && isPlainCall(init as Record<string, unknown> | undefined)) {
          const method = name === 'request' ? String(args[0]).toUpperCase() : name;
          return directCall(direct, method, String(args[initIndex - 1]), init as Record<string, unknown> | undefined);
        }
        if (globalMiddleware || !init || (!init.middleware?.length && init.fetch === undefined && init.Request === undefined)) return original.apply(client, args);
        // openapi-fetch builds the Request synchronously inside this call: real ones for it only.
        light = false;
        try {
          return original.apply(client, args);
        } finally {
          light = !globalMiddleware;
        }
      };
    };
    for (const method of methods) wrap(method, 1);
    wrap('request', 2);
    return client;
  }

  return { Request: CarrierLightRequest as unknown as typeof Request, adopt };
}
