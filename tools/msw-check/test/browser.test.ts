import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';

/**
 * `@carrier-api/mock/msw` in a browser: a page served from loopback starts MSW's service worker
 * with the sandbox's handlers and runs a payments flow through the light client, in Debian's
 * chromium. Nothing leaves the machine: the API's own URLs (https://api.centili.com) are
 * answered by the worker.
 */
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const require = createRequire(import.meta.url);

let server: Server;
let origin: string;
let browser: Browser;

beforeAll(async () => {
  // The page as a bundler of a web app makes it: ESM for the browser, every dependency inlined.
  const bundled = await build({ entryPoints: [new URL('../src/page.ts', import.meta.url).pathname], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, logLevel: 'silent' });
  const files: Record<string, { type: string; body: string | Buffer }> = {
    '/': { type: 'text/html', body: '<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>payments</title></head><body><script type="module" src="/page.js"></script></body></html>' },
    '/page.js': { type: 'text/javascript', body: bundled.outputFiles[0]!.text },
    '/mockServiceWorker.js': { type: 'text/javascript', body: readFileSync(require.resolve('msw/mockServiceWorker.js')) },
  };
  server = createServer((request, reply) => {
    const file = files[new URL(request.url ?? '/', 'http://x').pathname];
    reply.writeHead(file ? 200 : 404, { 'Content-Type': file?.type ?? 'text/plain' });
    reply.end(file?.body ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
});
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

it('runs start, three wrong PINs into 429 and an Idempotency-Key replay in chromium, with no outside request and no console error', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  page.on('pageerror', (error) => errors.push(error.message));
  // Every request of the page and its worker: those the worker answered are the sandbox's; anything else must stay on loopback.
  // Each check is kept and awaited before the context closes: a response read after it closed
  // rejects ("Worker closed", the worker's own requests).
  const outside: string[] = [];
  const inspected: Promise<void>[] = [];
  context.on('requestfinished', (request) => {
    if (request.url().startsWith(origin)) return;
    inspected.push(
      request.response().then(
        (response) => void (response?.fromServiceWorker() || outside.push(request.url())),
        (error: Error) => void outside.push(`${request.url()} (its response could not be read: ${error.message})`),
      ),
    );
  });
  context.on('requestfailed', (request) => !request.url().startsWith(origin) && outside.push(`${request.url()} (failed)`));
  await page.goto(`${origin}/`);
  // A bounded wait for the page's own verdict.
  const outcome = await page
    .waitForFunction(() => window.outcome, undefined, { timeout: 45_000 })
    .then((handle) => handle.jsonValue())
    .catch((error: Error) => {
      throw new Error(`${error.message}; the page said: ${errors.join(' | ') || 'nothing'}`);
    });
  if (!outcome) throw new Error('no outcome');
  expect(outcome.error).toBeUndefined();
  expect(outcome.started).toMatch(/^[0-9a-f-]{36}$/);
  expect(outcome.pinStatuses).toEqual([400, 400, 400, 429]);
  expect(outcome.replayed).toEqual({ sameId: true, header: 'true' });
  expect(outcome.startsInJournal).toBe(2);
  await Promise.all(inspected);
  expect(outside).toEqual([]);
  // Chromium logs each 4xx answer a page fetched as a console error of its own: the three wrong
  // PINs and the 429 the flow expects, and nothing else.
  const statusLines = errors.filter((line) => /^Failed to load resource: the server responded with a status of \d+/.test(line));
  expect(statusLines.map((line) => /status of (\d+)/.exec(line)![1])).toEqual(['400', '400', '400', '429']);
  expect(errors.filter((line) => !statusLines.includes(line))).toEqual([]);
  await context.close();
});
