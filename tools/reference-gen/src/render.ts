import { annotateBehaviour, listBehaviour } from './behaviour.ts';
import { escapeHtml, inferredNote, inlineHtml } from './html.ts';
import { fidelityReport, listInferred, type InferredElement } from './inferred.ts';
import { anchorHref, noteAnchor, placeInferred, type Place } from './place.ts';

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
 * "Inferred" note at the top of it (the whole document's at the top of `info.description`); the
 * document's own description gets the whole list (servers, links and security schemes included,
 * which Redoc shows nowhere or only in a drop-down), one entry per element linking to where it is
 * shown ({@link placeInferred}). The `x-inferred` of an operation's `x-behaviour` is listed there
 * too, but shown on the operation by {@link annotateBehaviour}'s section, not as a note of its own.
 *
 * @returns a copy of `document`; the input is not changed.
 */
export function annotateInferred(document: Record<string, unknown>, inferred: InferredElement[] = listInferred(document)): Record<string, unknown> {
  const copy = structuredClone(document);
  const info = (copy.info ?? {}) as Record<string, unknown>;
  copy.info = info;
  for (const element of inferred) {
    // Redoc shows no description of the document itself: its note goes where the page starts.
    const target = element.kind === 'behaviour' ? undefined : element.pointer === '' ? info : resolve(copy, element.pointer);
    if (!target) continue;
    const note = inferredNote(element.reason, noteAnchor(element.pointer));
    target.description = typeof target.description === 'string' && target.description !== '' ? `${note}\n\n${target.description}` : note;
  }
  info.description = `${String(info.description ?? '')}\n\n${inferredSection(inferred, placeInferred(document, inferred))}`;
  return copy;
}

/**
 * The list of inferred elements as a section of `info.description`: one entry per element (its
 * kind, its name linking to where it is shown, its reason), which the page's style lays out as
 * cards in a narrow column and as two columns in a wide one. Raw HTML, not a Markdown table: a
 * table's "why" column ran out of a phone's screen and under Redoc's right panel.
 */
function inferredSection(inferred: InferredElement[], places: (Place | undefined)[]): string {
  if (inferred.length === 0) return '## Inferred by carrier-api\n\nNothing: every element of this spec is stated by the vendor document.';
  const entries = inferred.map((element, index) => {
    const place = places[index];
    const label = inlineHtml(element.label);
    const name = place ? `<a href="${escapeHtml(anchorHref(place.anchor))}">${label}</a>` : label;
    const where = place?.where ? ` <span class="carrier-where">in ${inlineHtml(place.where)}</span>` : place ? '' : ' <span class="carrier-where">used by no operation</span>';
    return `<li class="carrier-entry"><p class="carrier-element"><span class="carrier-kind">${inlineHtml(element.kind)}</span> ${name}${where}</p><p class="carrier-why">${inlineHtml(element.reason)}</p></li>`;
  });
  return [
    '## Inferred by carrier-api',
    '',
    `<p class="carrier-inferred"><strong>Inferred</strong>: ${inferred.length} element(s) below are not stated by the vendor document; they were decided by carrier-api and say why. Each is also marked where it appears: follow its name.</p>`,
    '',
    '<ol class="carrier-summary">',
    ...entries,
    '</ol>',
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
      // data-label: each cell's column name, shown before it where a narrow screen turns the rows into cards.
      `<tr><td><a href="${api.name}/index.html">${escapeHtml(info.title)}</a></td><td data-label="version">${escapeHtml(info.version)}</td>` +
        `<td data-label="packages"><code>@carrier-api/${api.name}</code><br><code>@carrier-api/${api.name}-sdk</code></td>` +
        `<td data-label="sandbox"><code>npx carrier-mock ${api.name} --sandbox</code><br>${behaviours.length} behaviour rule(s)</td>` +
        `<td data-label="fidelity"><a href="${api.name}/fidelity.md">${inferred.length} inferred</a></td><td data-label="spec"><a href="${api.name}/openapi.json">openapi.json</a></td></tr>`,
    );
  }
  files['index.html'] = landingPage(rows);
  return files;
}

const redocLogoUrl = 'https://cdn.redoc.ly/redoc/logo-mini.svg';
const redocLogoInline = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/%3E";

// Each note and summary entry fits the column it is in, at any width: a long URL or JSON pointer
// wraps anywhere rather than running past a phone's screen or under Redoc's right panel. Inside
// #redoc, Redoc's own list and paragraph rules (a class and an element) would win over one class.
const style = `body{font-family:system-ui,sans-serif;margin:0}
.carrier-inferred,.carrier-behaviour,.carrier-summary{overflow-wrap:anywhere}
.carrier-inferred{border-left:4px solid #b45309;background:#fffbeb;color:#78350f;padding:4px 8px;margin:4px 0}
.carrier-inferred strong,.carrier-kind{text-transform:uppercase;font-size:0.85em;letter-spacing:0.05em}
.carrier-behaviour{border-left:4px solid #1d4ed8;background:#eff6ff;color:#1e3a8a;padding:4px 8px;margin:8px 0}
#redoc .carrier-summary{list-style:none;margin:8px 0 16px;padding:0;container-type:inline-size}
#redoc .carrier-entry{border-left:4px solid #b45309;background:#fffbeb;color:#78350f;padding:6px 10px;margin:6px 0}
#redoc .carrier-entry p{margin:0}
.carrier-element{font-weight:600}
.carrier-kind{margin-right:4px}
.carrier-where{font-weight:normal;font-style:italic}
@container (min-width:36rem){#redoc .carrier-entry{display:grid;grid-template-columns:minmax(0,2fr) minmax(0,3fr);gap:16px}}`;

function apiPage(title: string, document: Record<string, unknown>): string {
  // Inline JSON must not close its <script>; \u003c is the same string to JSON.parse.
  const spec = JSON.stringify(document).replace(/</g, '\\u003c');
  const options = { expandResponses: 'all', schemaExpansionLevel: 'all', jsonSampleExpandLevel: 'all', hideDownloadButton: true, nativeScrollbars: true };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
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
<link rel="icon" href="data:,">
<title>carrier-api reference</title>
<style>${style}
main{max-width:1100px;margin:24px auto;padding:0 16px;overflow-wrap:anywhere}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:6px 8px;text-align:left;vertical-align:top}
main .carrier-inferred,main .carrier-behaviour{display:inline-block;margin:2px 0}
@media (max-width:48rem){thead{display:none}table,tbody,tr,td{display:block}tr{border:1px solid #ddd;margin:12px 0;padding:4px 0}td{border:0;padding:4px 8px}td[data-label]::before{content:attr(data-label) ": ";font-weight:600}td:first-child{font-size:1.1em;font-weight:600}}</style>
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
