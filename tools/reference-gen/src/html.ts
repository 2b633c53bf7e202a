/** Text as HTML: `&`, `<`, `>` and `"` escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Text for one line of raw HTML inside a Markdown description: escaped, and its whitespace
 * (newlines included) collapsed, so that no blank line ends the HTML block and lets Markdown parse
 * the rest (`|`, `*`, backticks stay as they are written).
 */
export function inlineHtml(text: string): string {
  return escapeHtml(text.trim().replace(/\s+/g, ' '));
}

/**
 * The visible "Inferred" note the reference puts wherever the spec decides what the vendor
 * document leaves open.
 *
 * @param anchor - the note's `data-section-id`, which the summary of inferences links to (Redoc
 *   scrolls to it on a hash change; an element shown in several operations repeats it, and the
 *   link goes to the first).
 */
export function inferredNote(reason: string, anchor?: string): string {
  const section = anchor === undefined ? '' : ` data-section-id="${escapeHtml(anchor)}"`;
  return `<p class="carrier-inferred"${section}><strong>Inferred</strong>: ${inlineHtml(reason)}</p>`;
}
