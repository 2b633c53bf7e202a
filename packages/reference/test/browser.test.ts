import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The built package, as a consumer gets it: the site is build output (pnpm build).
import { referenceDir, serveReference, type RunningReference } from '../dist/index.js';

/** Debian's chromium, which the project's install step provides (`.ci/run`): a browser download is not possible here. */
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Screenshots of every page, kept as artefacts of the run (gitignored). */
const artefacts = join(import.meta.dirname, '..', 'test-results');

interface Api {
  name: string;
  title: string;
  operations: string[];
  inferredReasons: string[];
  /** The operations that carry `x-behaviour` (what the sandbox promises). */
  behaviours: string[];
}

const apiNames = readdirSync(referenceDir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
const apis: Api[] = apiNames.map((name) => {
  const spec = JSON.parse(readFileSync(join(referenceDir, name, 'openapi.json'), 'utf8')) as { info: { title: string }; paths: Record<string, Record<string, { operationId?: string; 'x-behaviour'?: unknown }>> };
  const title = spec.info.title;
  const operations = Object.values(spec.paths).flatMap((item) => Object.values(item).flatMap((operation) => (operation.operationId ? [operation.operationId] : [])));
  const inferredReasons: string[] = [];
  JSON.stringify(spec, (key, value: unknown) => (key === 'x-inferred' && typeof value === 'string' && inferredReasons.push(value), value));
  const behaviours = Object.values(spec.paths).flatMap((item) => Object.values(item).flatMap((operation) => (operation.operationId && operation['x-behaviour'] ? [operation.operationId] : [])));
  return { name, title, operations, inferredReasons: [...new Set(inferredReasons)], behaviours };
});

let browser: Browser;
let reference: RunningReference;
beforeAll(async () => {
  expect(existsSync(executablePath), `${executablePath} is missing: install Debian's chromium (apt-get install chromium; .ci/run does)`).toBe(true);
  mkdirSync(artefacts, { recursive: true });
  reference = await serveReference();
  browser = await chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
afterAll(async () => {
  await browser?.close();
  await reference?.close();
});

/** Opens a page of the reference, recording console errors and every request that leaves the reference server. */
async function open(path: string) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors: string[] = [];
  const outside: string[] = [];
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  page.on('pageerror', (error) => errors.push(error.message));
  const origin = new URL(reference.url).origin;
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    outside.push(url);
    return route.abort();
  });
  await page.goto(new URL(path, reference.url).href);
  return { page, errors, outside };
}

describe('the reference in a real browser (Debian chromium)', () => {
  it('has a page for each of the five APIs', () => {
    expect(apis.map((api) => api.name)).toEqual(['centili-data-gifting', 'centili-packages', 'centili-payments', 'centili-services', 'mtn-ng-data-gifting']);
  });

  it('the landing page lists every API with its version, packages and sandbox command', async () => {
    const { page, errors, outside } = await open('/');
    for (const api of apis) {
      const row = page.locator('tr', { has: page.locator(`a[href="${api.name}/index.html"]`) });
      await expect.poll(() => row.count()).toBe(1);
      const text = await row.innerText();
      expect(text).toContain(api.title);
      expect(text).toContain(`@carrier-api/${api.name}-sdk`);
      expect(text).toContain(`npx carrier-mock ${api.name} --sandbox`);
      expect(text).toContain(`${api.behaviours.length} behaviour rule(s)`);
      expect(text).toMatch(new RegExp(`${api.inferredReasons.length > 0 ? '[1-9]\\d*' : '0'} inferred`));
    }
    await page.screenshot({ path: join(artefacts, 'index.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(outside).toEqual([]);
  });

  it.each(apis.map((api) => [api.name, api] as const))('%s: every operation rendered, every inferred reason visible, no console error, nothing fetched from outside', async (_, api) => {
    const { page, errors, outside } = await open(`/${api.name}/index.html`);
    await page.waitForSelector('body[data-rendered="true"]', { timeout: 60_000 });
    for (const operationId of api.operations) {
      await expect.poll(() => page.locator(`[data-section-id="operation/${operationId}"]`).count(), { message: operationId }).toBe(1);
    }
    // Every reason appears in a visible "Inferred" note (at least in the list at the top of the page).
    const notes = page.locator('.carrier-inferred');
    expect(await notes.count()).toBeGreaterThan(api.inferredReasons.length > 0 ? 1 : 0);
    const visibleText = await page.locator('#redoc').innerText();
    for (const reason of api.inferredReasons) expect(visibleText.replace(/\s+/g, ' '), reason).toContain(reason.replace(/\s+/g, ' ').slice(0, 60));
    // Each operation the sandbox keeps a promise for shows its behaviour section (x-behaviour).
    for (const operationId of api.behaviours) {
      expect(await page.locator(`[data-section-id="operation/${operationId}"] .carrier-behaviour`).count(), operationId).toBe(1);
    }
    for (const operationId of api.operations.slice(0, 3)) {
      expect(await page.locator(`[data-section-id="operation/${operationId}"]`).isVisible(), operationId).toBe(true);
    }
    await page.screenshot({ path: join(artefacts, `${api.name}.png`), fullPage: false });
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('centili-payments: submitPin shows its behaviour visibly, the vendor sentence quoted and the sandbox\'s decision marked Inferred', async () => {
    const { page, errors, outside } = await open('/centili-payments/index.html');
    await page.waitForSelector('body[data-rendered="true"]', { timeout: 60_000 });
    const behaviour = page.locator('[data-section-id="operation/submitPin"] .carrier-behaviour');
    await expect.poll(() => behaviour.count()).toBe(1);
    await behaviour.scrollIntoViewIfNeeded();
    expect(await behaviour.isVisible()).toBe(true);
    const text = (await behaviour.innerText()).replace(/\s+/g, ' ');
    expect(text).toContain('Behaviour (sandbox)');
    expect(text).toContain('Implements (vendor document 001): "Submit PIN" … "Status 200 PIN correct";');
    expect(text).toContain('"429 | Number of attempts over the max retry limit, request can not be retried."');
    expect(await behaviour.locator('.carrier-inferred').innerText()).toMatch(/^inferred: The correct PIN is the `pin` of the seed/i);
    await behaviour.screenshot({ path: join(artefacts, 'centili-payments-submitPin-behaviour.png') });
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
  });
});
