import { XMLBuilder } from 'fast-xml-parser';

/**
 * An answer's body as the bytes on the wire, by its Content-Type, as Prism's server writes them
 * (prism-http-server `serialize`): JSON (`application/json`, `application/*+json`) as JSON text,
 * XML from an object, text as it is; any other type takes only a string.
 *
 * @param body - The answer's body; undefined writes none.
 * @param contentType - Its Content-Type header.
 * @returns The text to send, or undefined for no body.
 * @throws Error when the body cannot be written in that type (a mock failure, answered 500).
 */
export function serializeBody(body: unknown, contentType: string | undefined): string | undefined {
  if (body === undefined) return undefined;
  // The mock's static answers are the same object every time: their text is made once.
  const cacheable = typeof body === 'object' && body !== null;
  if (cacheable) {
    const cached = texts.get(body)?.get(contentType);
    if (cached !== undefined) return cached;
  }
  const text = serializeOnce(body, contentType);
  if (cacheable && text !== undefined) {
    let byType = texts.get(body);
    if (!byType) texts.set(body, (byType = new Map()));
    byType.set(contentType, text);
  }
  return text;
}

/** Serialised bodies by body object (and Content-Type). Bodies are never changed once answered. */
const texts = new WeakMap<object, Map<string | undefined, string>>();

function serializeOnce(body: unknown, contentType: string | undefined): string | undefined {
  const essence = contentType?.split(';')[0]!.trim().toLowerCase();
  let text: unknown;
  if (essence === undefined) {
    if (!body) return undefined;
    if (typeof body !== 'string') throw new Error(`Cannot find serializer for ${contentType}`);
    text = body;
  } else if (essence === 'application/json' || /^application\/[^/]+\+json$/.test(essence)) text = JSON.stringify(body);
  else if (essence === 'application/xml' || /^application\/[^/]+\+xml$/.test(essence)) text = typeof body === 'string' ? body : xml.build({ xml: body });
  else if (essence.startsWith('text/')) {
    if (typeof body !== 'string') throw new Error('Cannot serialise complex objects as text');
    text = body;
  } else if (typeof body === 'string') text = body;
  else throw new Error(`Cannot find serializer for ${contentType}`);
  return text === undefined || text === null ? undefined : typeof text === 'string' ? text : JSON.stringify(text);
}

const xml = new XMLBuilder({});
