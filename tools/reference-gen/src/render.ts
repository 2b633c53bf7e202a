import { annotateBehaviour, listBehaviour } from './behaviour.ts';
import { escapeHtml, inferredNote } from './html.ts';
import { fidelityReport, listInferred, type InferredElement } from './inferred.ts';

/** What the reference says of one API besides its spec. */
export interface ReferenceApi {
  /** The folder name under specs/, e.g. `centili-payments`. */
  name: string;
  /** The bundled OpenAPI document. */
  document: Record<string, unknown>;
}

/** The files of the reference site, by path relative to its root (`index.html`, `<api>/index.html`...). */
export type ReferenceFiles = Record<string, string>;

/**
 * Redoc hides `x-` extensions, so an inferred element would read as the vendor's word. Every
 * element that carries `x-inferred` and that Redoc renders with a description gets a visible
 * "Inferred" note at the top of it; the document's own description gets the whole list (servers,
 * links and security schemes included, which Redoc shows nowhere or only in a drop-down). The
 * `x-inferred` of an operation's `x-behaviour` is listed there too, but shown on the operation by
 * {@link annotateBehaviour}'s section, not as a note of its own.
 *
 * @returns a copy of `document`; the input is not changed.
 */
export function annotateInferred(document: Record<string, unknown>, inferred: InferredElement[] = listInferred(document)): Record<string, unknown> {
  const copy = structuredClone(document);
  for (const element of inferred) {
    const target = element.kind === 'behaviour' ? undefined : resolve(copy, element.pointer);
    if (!target) continue;
    const note = inferredNote(element.reason);
    target.description = typeof target.description === 'string' && target.description !== '' ? `${note}\n\n${target.description}` : note;
  }
  const info = (copy.info ?? {}) as Record<string, unknown>;
  info.description = `${String(info.description ?? '')}\n\n${inferredSection(inferred)}`;
  copy.info = info;
  return copy;
}

/** The list of inferred elements as a Markdown section of `info.description`. */
function inferredSection(inferred: InferredElement[]): string {
  if (inferred.length === 0) return '## Inferred by carrier-api\n\nNothing: every element of this spec is stated by the vendor document.';
  const rows = inferred.map((element) => `| ${element.kind}: ${escapeCell(element.label)} | ${escapeCell(element.reason)} |`);
  return [
    '## Inferred by carrier-api',
    '',
    `<p class="carrier-inferred"><strong>Inferred</strong>: ${inferred.length} element(s) below are not stated by the vendor document; they were decided by carrier-api and say why. Each is also marked where it appears.</p>`,
    '',
    '| element | why |',
    '| --- | --- |',
    ...rows,
  ].join('\n');
}

/**
 * The whole offline site: a landing page, one Redoc page per API (the spec inline, Redoc from a
 * local file: no request leaves the machine; each operation's sandbox behaviour shown), and each
 * API's fidelity report in Markdown.
 *
 * @param apis - the APIs, in the order the landing page lists them.
 * @param redocScript - the contents of redoc's `bundles/redoc.standalone.js`.
 */
export function renderReference(apis: ReferenceApi[], redocScript: string): ReferenceFiles {
  // Redoc's sidebar loads its logo from a CDN: the one request a page would send off the machine.
  const files: ReferenceFiles = { 'redoc.standalone.js': redocScript.replaceAll(redocLogoUrl, redocLogoInline) };
  const rows: string[] = [];
  for (const api of apis) {
    const inferred = listInferred(api.document);
    const behaviours = listBehaviour(api.document);
    const info = api.document.info as { title: string; version: string; description?: string };
    const source = /Source: ([^\n]+)/.exec(info.description ?? '')?.[1] ?? 'not named';
    files[`${api.name}/index.html`] = apiPage(info.title, annotateBehaviour(annotateInferred(api.document, inferred), behaviours));
    files[`${api.name}/fidelity.md`] = fidelityReport(info.title, source, inferred);
    files[`${api.name}/openapi.json`] = `${JSON.stringify(api.document, null, 2)}\n`;
    rows.push(
      `<tr><td><a href="${api.name}/index.html">${escapeHtml(info.title)}</a></td><td>${escapeHtml(info.version)}</td>` +
        `<td><code>@carrier-api/${api.name}</code><br><code>@carrier-api/${api.name}-sdk</code></td>` +
        `<td><code>npx carrier-mock ${api.name} --sandbox</code><br>${behaviours.length} behaviour rule(s)</td>` +
        `<td><a href="${api.name}/fidelity.md">${inferred.length} inferred</a></td><td><a href="${api.name}/openapi.json">openapi.json</a></td></tr>`,
    );
  }
  files['index.html'] = landingPage(rows);
  return files;
}

const redocLogoUrl = 'https://cdn.redoc.ly/redoc/logo-mini.svg';
const redocLogoInline = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/%3E";

const style = `body{font-family:system-ui,sans-serif;margin:0}
.carrier-inferred{border-left:4px solid #b45309;background:#fffbeb;color:#78350f;padding:4px 8px;margin:4px 0}
.carrier-inferred strong{text-transform:uppercase;font-size:0.85em;letter-spacing:0.05em}
.carrier-behaviour{border-left:4px solid #1d4ed8;background:#eff6ff;color:#1e3a8a;padding:4px 8px;margin:8px 0}`;

function apiPage(title: string, document: Record<string, unknown>): string {
  // Inline JSON must not close its <script>; \u003c is the same string to JSON.parse.
  const spec = JSON.stringify(document).replace(/</g, '\\u003c');
  const options = { expandResponses: 'all', schemaExpansionLevel: 'all', jsonSampleExpandLevel: 'all', hideDownloadButton: true, nativeScrollbars: true };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · carrier-api reference</title>
<style>${style}</style>
</head>
<body>
<nav style="padding:8px 16px;border-bottom:1px solid #ddd"><a href="../index.html">carrier-api reference</a> › ${escapeHtml(title)}</nav>
<div id="redoc"></div>
<script id="spec" type="application/json">${spec}</script>
<script src="../redoc.standalone.js"></script>
<script>
Redoc.init(JSON.parse(document.getElementById('spec').textContent), ${JSON.stringify(options)}, document.getElementById('redoc'), function () {
  document.body.setAttribute('data-rendered', 'true');
});
</script>
</body>
</html>
`;
}

function landingPage(rows: string[]): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>carrier-api reference</title>
<style>${style}
main{max-width:1100px;margin:24px auto;padding:0 16px}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:6px 8px;text-align:left;vertical-align:top}</style>
</head>
<body>
<main>
<h1>carrier-api reference</h1>
<p>Hand-authored OpenAPI 3.0.3 contracts of mobile-carrier APIs, from the vendors' documents. What a document leaves open is decided in the spec and shown as <span class="carrier-inferred"><strong>Inferred</strong></span> with its reason, on each page and in each API's fidelity report. Each operation the sandbox keeps a promise for shows its <span class="carrier-behaviour"><strong>Behaviour (sandbox)</strong></span>: the vendor sentence it implements.</p>
<table>
<thead><tr><th>API</th><th>version</th><th>packages (light client, SDK)</th><th>sandbox</th><th>fidelity</th><th>spec</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
<p>Start every sandbox (stateful mock) at once with <code>pnpm start</code> in the repository, or <code>npx carrier-mock --sandbox</code>; <code>startMock({ sandbox: true })</code> from <code>@carrier-api/mock</code> in a test.</p>
</main>
</body>
</html>
`;
}

function resolve(document: Record<string, unknown>, pointer: string): Record<string, unknown> | undefined {
  let node: unknown = document;
  for (const segment of pointer.split('/').slice(1)) {
    const key = segment.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node !== null && typeof node === 'object' && !Array.isArray(node) ? (node as Record<string, unknown>) : undefined;
}

function escapeCell(text: string): string {
  return escapeHtml(text).replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}
