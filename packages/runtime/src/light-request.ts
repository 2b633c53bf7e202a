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
 * For a light client: openapi-fetch builds a full Request per call (URL parsing, a Headers copy,
 * an AbortController) that the carrier fetch would only take apart again. `Request` (passed to
 * openapi-fetch's `createClient`) builds a plain object instead, which only the carrier fetch
 * receives. Whenever someone else could see the request (a middleware added with `use()`, a
 * call's own `middleware` or `fetch`), it builds a real Request, so nothing changes for them.
 * `adopt(client)` watches the client for those.
 *
 * @returns `Request` for `createClient`, and `adopt` to apply to the client it returns.
 */
export function createLightRequests() {
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

  function adopt<C extends object>(client: C): C {
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
