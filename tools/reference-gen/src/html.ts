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

/** The visible "Inferred" note the reference puts wherever the spec decides what the vendor document leaves open. */
export function inferredNote(reason: string): string {
  return `<p class="carrier-inferred"><strong>Inferred</strong>: ${inlineHtml(reason)}</p>`;
}
