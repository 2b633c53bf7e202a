import type { JournalEntry } from './types.js';

/** The smallest `journalEntryMaxBytes`: room for an entry's fields and the truncation markers. */
export const MIN_JOURNAL_ENTRY_BYTES = 1024;

/** A header value or path longer than this many bytes is cut before the body is, when the entry does not fit. */
const maxHeadPartBytes = 256;

// TextEncoder, not Buffer: the sandbox runs in browsers too (the MSW handlers).
const encoder = new TextEncoder();
const bytesOf = (text: string) => encoder.encode(text).length;
const sizeOf = (entry: JournalEntry) => bytesOf(JSON.stringify(entry));
const marker = (bytes: number) => `… [truncated: ${bytes} bytes]`;

/** The start of `text` that is at most `budget` bytes as JSON text (escapes counted), cut on a character. */
function cut(text: string, budget: number): string {
  let end = Math.min(text.length, Math.max(0, budget));
  // Each pass removes at least the overshoot; JSON escapes make a char at most 6 bytes, so few passes.
  while (end > 0 && bytesOf(JSON.stringify(text.slice(0, end))) - 2 > budget) end -= Math.max(1, Math.ceil((bytesOf(JSON.stringify(text.slice(0, end))) - 2 - budget) / 6));
  // Never half a surrogate pair.
  if (end > 0 && /[\uD800-\uDBFF]/.test(text[end - 1]!)) end--;
  return text.slice(0, end);
}

/** `text` cut to `budget` bytes with the marker of its full size appended, or as it is when it fits. */
function truncated(text: string, budget: number): string {
  const bytes = bytesOf(text);
  if (bytesOf(JSON.stringify(text)) - 2 <= budget) return text;
  return cut(text, budget - bytesOf(marker(bytes))) + marker(bytes);
}

/**
 * The entry as the journal keeps it: at most `maxBytes` bytes as JSON (issue 27, input 3: ten
 * 4 MB bodies made a 40 MB journal). An entry that fits is kept as it is, byte for byte. One that
 * does not has its header values and path cut to 256 bytes each first, then its body cut to what
 * is left; a cut part ends in `… [truncated: N bytes]` (N its full size in UTF-8 bytes), and a cut
 * body is the start of its JSON text (a string), with `bodyBytes` set to its full size. Entries
 * are masked before they are bounded: a cut never shows part of a secret.
 *
 * @param entry - The masked entry.
 * @param maxBytes - The bound, in bytes; at least {@link MIN_JOURNAL_ENTRY_BYTES}.
 */
export function boundJournalEntry(entry: JournalEntry, maxBytes: number): JournalEntry {
  if (sizeOf(entry) <= maxBytes) return entry;
  const bodyText = typeof entry.body === 'string' ? entry.body : entry.body === undefined ? '' : JSON.stringify(entry.body);
  const bodyBytes = bytesOf(bodyText);
  const headers = Object.fromEntries(Object.entries(entry.headers).map(([name, value]) => [name, truncated(value, maxHeadPartBytes)]));
  const head: JournalEntry = { ...entry, path: truncated(entry.path, maxHeadPartBytes), headers, body: '', bodyBytes };
  // Many headers may still not fit: the last ones go, and a marker says how many.
  const names = Object.keys(headers);
  while (sizeOf(head) > maxBytes - 64 && names.length > 0) {
    delete head.headers[names.pop()!];
    head.headers['…'] = `[${Object.keys(headers).length - names.length} more headers]`;
  }
  const budget = maxBytes - sizeOf(head);
  head.body = bytesOf(JSON.stringify(bodyText)) - 2 <= budget ? bodyText : truncated(bodyText, budget);
  if (head.body === bodyText && typeof entry.body !== 'string') head.body = entry.body;
  if (head.body === entry.body) delete head.bodyBytes;
  return head;
}
