import { describe, expect, it } from 'vitest';
import { createCarrierFetch, discardBody } from '../src/index.js';
import { credentials, paymentsDefinition } from './fixtures.js';
import { tokenBody, tokenPath } from './fault-server.js';

/**
 * A body the client lets go of unread is cancelled, never awaited: a fetch whose stream cancel
 * never settles (MSW 2's mocked responses in Node are such a fetch) must not hang the call. Each
 * row is a path through the client that discards a body, answered by such a fetch.
 */
const origin = 'https://api.example.test';

/** A JSON body whose cancel() never settles, as a mocked response's in MSW 2 under Node. */
function stuckOnCancel(text: string): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    // Given when read (the stream is still open until then, so a cancel reaches the source).
    pull(controller) {
      controller.enqueue(new TextEncoder().encode(text));
      controller.close();
    },
    cancel: () => new Promise<void>(() => undefined),
  });
}

type Answer = { status: number; body: string; length?: boolean };

/** A carrier fetch for the payments definition: token requests get tokens, the rest `answers` in turn. */
function carrierFetch(answers: Answer[], options: Record<string, unknown> = {}) {
  let tokens = 0;
  let next = 0;
  const sent: string[] = [];
  const fetch = createCarrierFetch({
    definition: paymentsDefinition(origin),
    auth: credentials,
    retry: { sleep: async () => undefined },
    ...options,
    fetch: async (input: Request | string | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      const path = new URL(request.url).pathname;
      if (path === tokenPath) return new Response(JSON.stringify(tokenBody(`access-${++tokens}`)), { status: 200, headers: { 'Content-Type': 'application/json' } });
      sent.push(`${request.method} ${path} ${request.headers.get('authorization')}`);
      const answer = answers[Math.min(next++, answers.length - 1)]!;
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if (answer.length) headers['Content-Length'] = String(answer.body.length);
      return new Response(stuckOnCancel(answer.body), { status: answer.status, headers });
    },
  });
  return { fetch, sent };
}

const unauthorized: Answer = { status: 401, body: '{"code":"UNAUTHORIZED","message":"Invalid credentials"}' };
const unavailable: Answer = { status: 503, body: '{"code":"UNAVAILABLE","message":"try later"}' };
const found: Answer = { status: 200, body: '{"transactionId":"t-1","transactionStatus":"PENDING"}' };
const big = JSON.stringify({ filler: 'x'.repeat(4096) });

describe('a body let go of unread does not hang the call when its cancel never settles', () => {
  it.each([
    { row: 'a 401 sent once more with a renewed token', answers: [unauthorized, found], options: {}, status: 200, sends: 2 },
    { row: 'a 503 retried (a GET is safe to send again)', answers: [unavailable, found], options: {}, status: 200, sends: 2 },
    { row: 'a second 401 returned as it is', answers: [unauthorized, unauthorized], options: {}, status: 401, sends: 2 },
  ])('$row', async ({ answers, options, status, sends }) => {
    const { fetch, sent } = carrierFetch(answers, options);
    const response = await fetch(`${origin}/auth/transactions/t-1`);
    expect(response.status).toBe(status);
    expect(sent).toHaveLength(sends);
  });

  it.each([
    { row: 'announced by its Content-Length', length: true },
    { row: 'streamed without a length', length: false },
  ])('a body beyond maxResponseBytes, $row, is a CarrierParseError (too-large)', async ({ length }) => {
    const { fetch } = carrierFetch([{ status: 200, body: big, length }], { maxResponseBytes: 1024 });
    await expect(fetch(`${origin}/auth/transactions/t-1`)).rejects.toMatchObject({ name: 'CarrierParseError', reason: 'too-large' });
  });

  it('discardBody returns at once, for a stream, a reader, a locked stream and no body', () => {
    const locked = stuckOnCancel('{}');
    const reader = locked.getReader();
    expect(discardBody(stuckOnCancel('{}'))).toBeUndefined();
    expect(discardBody(reader)).toBeUndefined();
    // cancel() of a locked stream rejects: caught, not an unhandled rejection.
    expect(discardBody(locked)).toBeUndefined();
    expect(discardBody(null)).toBeUndefined();
  });
});
