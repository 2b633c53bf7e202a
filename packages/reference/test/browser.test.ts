import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The built package, as a consumer gets it: the site is build output (pnpm build).
import { referenceDir, serveReference, type RunningReference } from '../dist/index.js';

/**
 * How long a poll waits for the page to settle (Redoc renders and scrolls after a hash change):
 * vitest's default of 1 s failed on a fresh clone with turbo running other suites on the same two
 * cores. A bound that only says something is wrong when passed, never a speed target.
 */
const pollMs = 20_000;

/** Debian's chromium, which the project's install step provides (`.ci/run`): a browser download is not possible here. */
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Screenshots of every page at every width, kept as artefacts of the run (gitignored). */
const artefacts = join(import.meta.dirname, '..', 'test-results');
const specsDir = join(import.meta.dirname, '..', '..', '..', 'specs');

/**
 * A phone (the CSS width of most current iPhones: Redoc's one-column layout, its menu behind a
 * floating button), a laptop (Redoc's right panel beside the text; the window of the issue's
 * screenshot) and a desktop.
 */
const viewports = [
  { width: 390, height: 844 },
  { width: 1280, height: 1600 },
  { width: 1920, height: 1080 },
];

interface Operation {
  operationId?: string;
  'x-behaviour'?: { implements: string; 'x-inferred'?: string };
}
interface Spec {
  info: { title: string };
  paths: Record<string, Record<string, Operation>>;
}
interface Api {
  name: string;
  title: string;
  operations: Operation[];
  /** Every `x-inferred` of the spec, one per inferred element (the summary lists each). */
  inferred: string[];
}

const apiNames = readdirSync(referenceDir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
const apis: Api[] = apiNames.map((name) => {
  const spec = JSON.parse(readFileSync(join(referenceDir, name, 'openapi.json'), 'utf8')) as Spec;
  const operations = Object.values(spec.paths).flatMap((item) => Object.values(item).filter((operation) => operation.operationId));
  const inferred: string[] = [];
  JSON.stringify(spec, (key, value: unknown) => (key === 'x-inferred' && typeof value === 'string' && inferred.push(value), value));
  return { name, title: spec.info.title, operations, inferred };
});

/** Whitespace as the browser shows it: one space. */
const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

let browser: Browser;
let reference: RunningReference;
beforeAll(async () => {
  expect(existsSync(executablePath), `${executablePath} is missing: install Debian's chromium (apt-get install chromium; .ci/run does)`).toBe(true);
  // Only this run's screenshots: one per page and width.
  rmSync(artefacts, { recursive: true, force: true });
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

/** Opens a page of the reference at a viewport, recording console errors and every request that leaves the reference server. */
async function open(path: string, viewport: { width: number; height: number }) {
  const page = await browser.newPage({ viewport });
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

/**
 * Each shown element of `selector`, scrolled to the middle of the viewport as a reader would,
 * vertically only (`scrollIntoView` would also scroll a sideways-scrolling box, which is the very
 * thing a reader does not find): either readable (its box inside the viewport, and the element
 * itself, not a panel drawn over it, at the left, centre and right of its middle line), or a
 * problem saying what is wrong. Elements in a closed drop-down are not shown and are skipped.
 */
function measure(page: Page, selector: string): Promise<{ readable: string[]; problems: string[] }> {
  return page.evaluate((selector) => {
    const readable: string[] = [];
    const problems: string[] = [];
    const describe = (element: Element | null) => (element ? `${element.tagName.toLowerCase()}.${String(element.className).split(' ')[0]} "${(element.textContent ?? '').trim().slice(0, 30)}"` : 'nothing');
    for (const element of Array.from(document.querySelectorAll(selector))) {
      if (!element.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
      const before = element.getBoundingClientRect();
      scrollBy(0, before.top - Math.max((innerHeight - before.height) / 2, 0));
      const box = element.getBoundingClientRect();
      const y = (Math.max(box.top, 0) + Math.min(box.bottom, innerHeight)) / 2;
      // 2 px in from each side: the edges themselves are sub-pixel.
      const points = { left: box.left + 2, centre: (box.left + box.right) / 2, right: box.right - 2 };
      const wrong = Object.entries(points).flatMap(([side, x]) => {
        const hit = document.elementFromPoint(x, y);
        return hit && element.contains(hit) ? [] : [`its ${side} is ${describe(hit)}`];
      });
      if (box.left < 0 || box.right > innerWidth) wrong.unshift(`it spans x ${Math.round(box.left)}..${Math.round(box.right)} of ${innerWidth}`);
      const text = (element.textContent ?? '').replace(/\s+/g, ' ').trim();
      if (wrong.length === 0) readable.push(text);
      else problems.push(`"${text.slice(0, 70)}": ${wrong.join(', ')}`);
    }
    return { readable, problems };
  }, selector);
}

/**
 * Where each entry of the summary of inferences links to (the section id, and how far down the
 * page it is), and what is wrong with each link: its target missing, hidden, or neither the
 * element's note nor an operation.
 */
function followSummary(page: Page): Promise<{ targets: { id: string; top: number }[]; problems: string[] }> {
  return page.evaluate(() => {
    const targets: { id: string; top: number }[] = [];
    const problems: string[] = [];
    const sections = Array.from(document.querySelectorAll('[data-section-id]'));
    for (const entry of Array.from(document.querySelectorAll('.carrier-summary .carrier-entry'))) {
      const why = (entry.querySelector('.carrier-why')?.textContent ?? '').replace(/\s+/g, ' ');
      const href = entry.querySelector('a')?.getAttribute('href') ?? '';
      // What Redoc scrolls to on the hash change: the first element with that section id.
      const id = decodeURIComponent(href.slice(1));
      const target = href.startsWith('#') ? sections.find((element) => element.getAttribute('data-section-id') === id) : undefined;
      const note = target?.classList.contains('carrier-inferred') && (target.textContent ?? '').replace(/\s+/g, ' ').includes(why);
      if (!target || !target.checkVisibility()) problems.push(`"${why.slice(0, 50)}" links to ${href ? id : 'nothing'}, which is not shown`);
      else if (!note && !id.startsWith('operation/')) problems.push(`"${why.slice(0, 50)}" links to ${id}, neither its note nor an operation`);
      targets.push({ id, top: target ? target.getBoundingClientRect().top + scrollY : 0 });
    }
    return { targets, problems };
  });
}

const rows = <T>(items: T[]) => items.flatMap((item) => viewports.map((viewport) => [item, viewport.width, viewport] as const));

describe('the reference in a real browser (Debian chromium)', () => {
  it('has a page for each API in specs/', () => {
    const specs = readdirSync(specsDir, { withFileTypes: true }).filter((entry) => entry.isDirectory() && existsSync(join(specsDir, entry.name, 'openapi.yaml')));
    expect([...apiNames].sort()).toEqual(specs.map((entry) => entry.name).sort());
  });

  it.each(rows(['landing page']))('%s at %i px: every API listed and readable, no sideways scrolling, no console error, nothing fetched from outside', async (_, width, viewport) => {
    const { page, errors, outside } = await open('/', viewport);
    for (const api of apis) {
      const row = page.locator('tbody tr', { has: page.locator(`a[href="${api.name}/index.html"]`) });
      await expect.poll(() => row.count(), { timeout: pollMs }).toBe(1);
      const text = await row.innerText();
      expect(text).toContain(api.title);
      expect(text).toContain(`@carrier-api/${api.name}-sdk`);
      expect(text).toContain(`npx carrier-mock ${api.name} --sandbox`);
      expect(text).toContain(`${api.operations.filter((operation) => operation['x-behaviour']).length} behaviour rule(s)`);
      expect(text).toContain(`${api.inferred.length} inferred`);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth - innerWidth), 'sideways scrolling (px)').toBeLessThanOrEqual(0);
    const { readable, problems } = await measure(page, 'tbody tr, .carrier-inferred, .carrier-behaviour');
    expect(problems).toEqual([]);
    // One card or row per API, and the legend's Inferred and Behaviour (sandbox) marks.
    expect(readable.length).toBe(apis.length + 2);
    await page.screenshot({ path: join(artefacts, `index-${width}.png`), fullPage: true });
    expect(errors).toEqual([]);
    expect(outside).toEqual([]);
    await page.close();
  });

  it.each(rows(apis.map((api) => api.name)))('%s at %i px: every inference and behaviour readable where it is shown and in the summary, which links to each', async (name, width, viewport) => {
    const api = apis.find((candidate) => candidate.name === name)!;
    const { page, errors, outside } = await open(`/${api.name}/index.html`, viewport);
    await page.waitForSelector('body[data-rendered="true"]', { timeout: 60_000 });
    for (const { operationId } of api.operations) {
      await expect.poll(() => page.locator(`[data-section-id="operation/${operationId}"]`).count(), { message: operationId, timeout: pollMs }).toBe(1);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth - innerWidth), 'sideways scrolling (px)').toBeLessThanOrEqual(0);

    // Redoc shows a server's or a security scheme's description only once a reader opens an
    // operation's URL list or its Authorizations: the summary links to that operation; open them
    // there, as a reader would, and the notes must be shown (and, below, readable).
    const closed = await page.$$eval('.carrier-summary .carrier-entry', (entries) =>
      entries.flatMap((entry) => {
        const kind = entry.querySelector('.carrier-kind')?.textContent;
        const href = entry.querySelector('a')?.getAttribute('href') ?? '';
        return (kind === 'server' || kind === 'security scheme') && href.startsWith('#operation/') ? [{ kind, operation: decodeURIComponent(href.slice(1)), why: entry.querySelector('.carrier-why')?.textContent ?? '' }] : [];
      }),
    );
    const opened = new Set<string>();
    for (const { kind, operation, why } of closed) {
      const section = page.locator(`[data-section-id="${operation}"]`);
      const toggle = kind === 'server' ? section.locator('.http-verb').first() : section.getByText('Authorizations:');
      if (!opened.has(`${kind} ${operation}`)) await toggle.click();
      opened.add(`${kind} ${operation}`);
      await expect.poll(() => section.locator('.carrier-inferred', { hasText: why }).first().isVisible(), { message: `${kind}: ${why}`, timeout: pollMs }).toBe(true);
    }

    const { readable, problems } = await measure(page, '.carrier-inferred, .carrier-behaviour, .carrier-entry');
    expect(problems).toEqual([]);
    for (const reason of api.inferred) expect(readable.some((text) => text.includes(squash(reason))), reason).toBe(true);

    // Each operation the sandbox keeps a promise for shows its behaviour: the vendor sentences, and the sandbox's own decision marked Inferred.
    for (const operation of api.operations.filter((candidate) => candidate['x-behaviour'])) {
      const behaviour = page.locator(`[data-section-id="operation/${operation.operationId}"] .carrier-behaviour`);
      expect(await behaviour.count(), operation.operationId).toBe(1);
      const text = squash((await behaviour.textContent()) ?? '');
      const [, vendorDocument, sentences] = /^(\d{3}(?:\/\d{3})*):?\s+([\s\S]*)$/.exec(operation['x-behaviour']!.implements.trim())!;
      expect(text).toContain(`Implements (vendor document ${vendorDocument}): ${squash(sentences!)}`);
      const inferred = operation['x-behaviour']!['x-inferred'];
      if (inferred) expect(squash((await behaviour.locator('.carrier-inferred').textContent()) ?? '')).toBe(`Inferred: ${squash(inferred)}`);
    }

    // The summary: one entry per inferred element, each linking to where it is shown.
    const summary = await followSummary(page);
    expect(summary.targets.length).toBe(api.inferred.length);
    expect(summary.problems).toEqual([]);
    // Following the entry whose element is lowest on the page brings that element into view (Redoc scrolls on the hash change).
    if (summary.targets.length > 0) {
      const farthest = summary.targets.reduce((lowest, target) => (target.top > lowest.top ? target : lowest));
      const target = page.locator(`[data-section-id="${farthest.id.replace(/["\\]/g, '\\$&')}"]`).first();
      const inView = () => target.evaluate((element) => { const box = element.getBoundingClientRect(); return box.bottom > 0 && box.top < innerHeight; });
      const link = page.locator('.carrier-summary .carrier-entry a').nth(summary.targets.indexOf(farthest));
      await link.scrollIntoViewIfNeeded();
      expect(await inView(), `${farthest.id} before following its link`).toBe(false);
      await link.click();
      await expect.poll(inView, { message: farthest.id, timeout: pollMs }).toBe(true);
    }

    // The artefact shows the top of the summary, as a reader opening the page's first section sees it.
    await page.evaluate(() => {
      const top = document.querySelector('.carrier-summary')?.closest('[data-section-id]')?.getBoundingClientRect().top;
      scrollTo(0, top === undefined ? 0 : top + scrollY);
    });
    await page.screenshot({ path: join(artefacts, `${api.name}-${width}.png`) });
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
