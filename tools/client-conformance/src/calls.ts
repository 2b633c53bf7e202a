import type { ApiUnderTest } from './apis.ts';
import type { OperationCase } from './operations.ts';

/** The two kinds of client every row runs against. */
export type Kind = 'light' | 'sdk';
export const kinds: readonly Kind[] = ['light', 'sdk'];

const FORM = 'application/x-www-form-urlencoded';

/** How typescript-fetch names a parameter or form field, compared loosely: `Idempotency-Key`, `client_id` → `idempotencykey`, `clientid`. */
const loose = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * Calls `operation` through a light client: `expectData(client.METHOD(template, { params, body }))`.
 * @returns The data it resolves with; rejects with what the client throws.
 */
export function callLight(api: ApiUnderTest, client: Record<string, unknown>, operation: OperationCase): Promise<unknown> {
  const init: Record<string, unknown> = { params: { path: operation.pathParams, query: operation.query, header: operation.headers } };
  if (operation.body !== undefined) init.body = operation.body;
  const send = client[operation.method] as (path: string, init: unknown) => Promise<unknown>;
  return api.light.expectData(send.call(client, operation.template, init));
}

/**
 * Calls `operation` through an SDK: `sdk[operationId](requestParameters)`. The request parameters
 * are read by name as typescript-fetch generated them (camelCase of the spec's names), so they
 * are served by a Proxy that matches names loosely; a JSON body is the example mapped by the
 * model's own `…FromJSON` (the key typescript-fetch reads it under is the model's name).
 * @returns The data it resolves with; rejects with what the SDK throws.
 */
export function callSdk(api: ApiUnderTest, sdk: Record<string, unknown>, operation: OperationCase): Promise<unknown> {
  const byName = new Map<string, unknown>();
  for (const source of [operation.pathParams, operation.query, operation.headers]) for (const [name, value] of Object.entries(source)) byName.set(loose(name), value);
  const formBody = operation.requestMediaType === FORM && operation.body && typeof operation.body === 'object';
  if (formBody) for (const [name, value] of Object.entries(operation.body as Record<string, unknown>)) byName.set(loose(name), value);
  const parameters = new Proxy(
    {},
    {
      get(_, key) {
        if (typeof key !== 'string') return undefined;
        if (byName.has(loose(key))) return byName.get(loose(key));
        const fromJson = api.sdk.module[`${key.charAt(0).toUpperCase()}${key.slice(1)}FromJSON`];
        if (!formBody && operation.body !== undefined && typeof fromJson === 'function') return (fromJson as (json: unknown) => unknown)(operation.body);
        return undefined;
      },
    },
  );
  const method = sdk[operation.operationId] as ((parameters: unknown) => Promise<unknown>) | undefined;
  if (typeof method !== 'function') throw new Error(`${api.name}-sdk has no method ${operation.operationId}`);
  return method.call(sdk, parameters);
}

/** Calls `operation` through the client of `kind`. */
export function callOperation(kind: Kind, api: ApiUnderTest, client: Record<string, unknown>, operation: OperationCase): Promise<unknown> {
  return kind === 'light' ? callLight(api, client, operation) : callSdk(api, client, operation);
}

/** Makes the client of `kind` of `api` with `options`. */
export function createClientOf(kind: Kind, api: ApiUnderTest, options: Record<string, unknown>): Record<string, unknown> {
  return kind === 'light' ? api.light.createClient(options) : api.sdk.createSdk(options);
}
