import { expect } from 'vitest';
import type { RunningMock } from '../../src/index.js';
import { responseProblems, sampleOperations, send, type SampleOperation, type WireResponse } from './requests.js';

export interface CallOptions {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
  /** The bearer token; default the client's own; null sends none. */
  token?: string | null;
  /** `body` is the text to send as it is (JSON key order, spacing), not a value to serialise. */
  raw?: boolean;
}

/**
 * Calls operations of one sandboxed API by operationId, and checks that every response it gets
 * validates against the spec (its status documented, its body valid).
 */
export async function sandboxClient(mock: RunningMock, api: string) {
  const operations = new Map((await sampleOperations([api])).map((sample) => [sample.operationId, sample] as const));
  let ownToken: string | undefined;

  async function call(operationId: string, options: CallOptions = {}): Promise<WireResponse> {
    const sample = operations.get(operationId) as SampleOperation;
    let path = sample.operation.path;
    for (const [name, value] of Object.entries(options.params ?? {})) path = path.replace(`{${name}}`, encodeURIComponent(value));
    const query = new URLSearchParams(options.query ?? {});
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    const token = options.token === undefined ? ownToken : options.token;
    if (token && !api.startsWith('mtn-') && operationId !== 'createToken') headers.authorization = `Bearer ${token}`;
    if (api.startsWith('mtn-') && headers['x-api-key'] === undefined) headers['x-api-key'] = 'sandbox-key';
    let body: string | undefined;
    if (options.body !== undefined) {
      const form = operationId === 'createToken';
      headers['content-type'] ??= form ? 'application/x-www-form-urlencoded' : 'application/json';
      body = options.raw ? String(options.body) : form ? new URLSearchParams(options.body as Record<string, string>).toString() : JSON.stringify(options.body);
    }
    const response = await send(mock.urls[api]!, { method: sample.operation.method.toUpperCase(), path: `${path}${query.size > 0 ? `?${query}` : ''}`, headers, body });
    expect(responseProblems(api, sample.operation, response), `${operationId} → ${response.status} ${response.text}`).toEqual([]);
    return response;
  }

  async function login(username = 'merchant', password = 'secret'): Promise<{ access_token: string; refresh_token: string; expires_in: number }> {
    const response = await call('createToken', { body: { client_id: 'app', grant_type: 'password', username, password } });
    expect(response.status, response.text).toBe(200);
    const token = response.json as { access_token: string; refresh_token: string; expires_in: number };
    ownToken = token.access_token;
    return token;
  }

  return { call, login, base: mock.urls[api]! };
}

/** Waits, in a bounded loop over the journal, until a request of `operationId` is executing. */
export async function untilInFlight(mock: RunningMock, api: string, operationId: string): Promise<void> {
  for (let attempt = 0; attempt < 2000; attempt++) {
    const entries = await mock.requests(api, { operationId });
    if (entries.some((entry) => entry.status === null)) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`no ${operationId} request in flight after 2000 journal reads`);
}
