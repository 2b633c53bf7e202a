import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveReference, type RunningReference } from '../dist/index.js';

let reference: RunningReference;
beforeAll(async () => {
  reference = await serveReference();
});
afterAll(() => reference?.close());

/** Sends a raw request path (no URL normalisation by the client) and resolves with status and content type. */
function send(method: string, path: string): Promise<{ status: number; type: string | undefined }> {
  const { port } = new URL(reference.url);
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, method, path }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode!, type: response.headers['content-type'] }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

describe('serveReference', () => {
  // Rows: what is asked, and what a reader (or a probe for files outside the site) gets.
  it.each([
    ['GET', '/', 200, 'text/html; charset=utf-8'],
    ['GET', '/centili-payments/', 200, 'text/html; charset=utf-8'],
    ['GET', '/centili-payments/fidelity.md', 200, 'text/markdown; charset=utf-8'],
    ['GET', '/centili-payments/openapi.json', 200, 'application/json; charset=utf-8'],
    ['GET', '/redoc.standalone.js', 200, 'text/javascript; charset=utf-8'],
    ['HEAD', '/', 200, 'text/html; charset=utf-8'],
    ['GET', '/no-such-api/', 404, 'text/plain; charset=utf-8'],
    ['GET', '/../package.json', 404, 'text/plain; charset=utf-8'],
    ['GET', '/%2e%2e/%2e%2e/package.json', 404, 'text/plain; charset=utf-8'],
    ['GET', '/%E0%A4%A', 400, 'text/plain; charset=utf-8'],
    ['POST', '/', 405, 'text/plain; charset=utf-8'],
  ] as const)('%s %s → %i', async (method, path, status, type) => {
    expect(await send(method, path)).toEqual({ status, type });
  });
});
