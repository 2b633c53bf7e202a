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
