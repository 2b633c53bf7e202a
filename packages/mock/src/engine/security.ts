import type { HttpSecurityScheme, IHttpOperation } from '@stoplight/types';
import type { Violation } from './validation.js';

/**
 * The plain mock's credential check, as Prism 5.12 does it (prism-http
 * `validator/validators/security`): credentials must be present and well-formed for one of the
 * operation's `security` alternatives (every scheme of that alternative), never valid; the
 * sandbox checks validity on top. A failure is one 401 violation whose tags are the
 * `WWW-Authenticate` challenges of every scheme that failed.
 */

/** What a security check reads of a request. */
export interface SecurityInput {
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  query: Record<string, string | string[]>;
}

type Outcome = { ok: true } | { ok: false; violation: Violation };
type Handler = (input: SecurityInput) => Outcome;

const ok: Outcome = { ok: true };
const unauthorised = (challenge?: string): Outcome => ({ ok: false, violation: { severity: 0, message: 'Invalid security scheme used', code: 401, tags: challenge ? [challenge] : [] } });
const when = (condition: boolean, challenge?: string): Outcome => (condition ? ok : unauthorised(challenge));
const escapeRegExp = (text: string) => text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');

/** The bytes of a base64 text as Node's lenient decoder reads them (unknown characters skipped, URL-safe ones taken). */
function decodeBase64(text: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let bits = 0;
  let value = 0;
  const bytes: number[] = [];
  for (const character of text) {
    if (character === '=') break;
    const index = alphabet.indexOf(character === '-' ? '+' : character === '_' ? '/' : character);
    if (index < 0) continue;
    value = (value << 6) | index;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((value >> bits) & 0xff);
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

const bearer =
  (challenge: string): Handler =>
  (input) =>
    when(/^Bearer\s.+$/.test(input.headers.authorization ?? ''), challenge);

function schemeCheck(scheme: 'basic' | 'digest', challenge: string, credentialsGiven: (info: string[]) => boolean): Handler {
  return (input) => {
    const header = input.headers.authorization ?? '';
    if (!header) return unauthorised(challenge);
    const [name, ...info] = header.split(' ');
    if (name!.toLowerCase() !== scheme) return unauthorised(challenge);
    return when(credentialsGiven(info));
  };
}

const basic = schemeCheck('basic', 'Basic realm="*"', ([token]) => !!token && decodeBase64(token).split(':').length === 2);
const digest = schemeCheck('digest', 'Digest realm="*", nonce="abc123"', (info) => {
  const text = info.join('');
  return ['username=', 'realm=', 'nonce=', 'uri=', 'response='].every((part) => text.includes(part)) && info.every((part) => /(?:'|")([a-z0-9]*)(?:'|")/.test(part));
});

function handlerOf(scheme: HttpSecurityScheme): Handler | Violation {
  switch (scheme.type) {
    case 'oauth2':
      return bearer('OAuth2');
    case 'openIdConnect':
      return bearer('OpenID');
    case 'http':
      if (scheme.scheme === 'bearer') return bearer('Bearer');
      if (scheme.scheme === 'basic') return basic;
      if (scheme.scheme === 'digest') return digest;
      return { message: `We currently do not support this type of security scheme: http/${scheme.scheme}`, severity: 1 };
    case 'apiKey': {
      const name = scheme.name;
      if (scheme.in === 'header') return (input) => when(!!input.headers[name.toLowerCase()]);
      if (scheme.in === 'query') return (input) => when(!!input.query[name]);
      if (scheme.in === 'cookie') {
        const pattern = new RegExp(`${escapeRegExp(name)}=.+`);
        return (input) => when(input.headers.cookie !== undefined && pattern.test(input.headers.cookie));
      }
      return { message: `We currently do not support this type of security scheme: apiKey/${String(scheme.in)}`, severity: 1 };
    }
    default:
      return { message: `We currently do not support this type of security scheme: ${(scheme as { type: string }).type}`, severity: 1 };
  }
}

/** `security: [{}]` (an alternative without schemes): passes only without an Authorization header. */
const none: Handler = (input) => when(input.headers.authorization === undefined, 'None');

/**
 * The operation's credential check, compiled once.
 *
 * @param operation - Prism's model of the operation (`security`: alternatives of schemes).
 * @returns A check giving undefined when one alternative is satisfied, else the violation
 *   (401, with every failed scheme's challenge in `tags`; a Warning for a scheme Prism does not support).
 */
export function compileSecurity(operation: IHttpOperation): (input: SecurityInput) => Violation | undefined {
  const alternatives = (operation.security ?? []).map((schemes) => (schemes.length === 0 ? [none] : schemes.map(handlerOf)));
  if (alternatives.length === 0) return () => undefined;
  return (input) => {
    const failures: Violation[] = [];
    for (const alternative of alternatives) {
      const failed: Violation[] = [];
      for (const handler of alternative) {
        if (typeof handler !== 'function') failed.push(handler);
        else {
          const outcome = handler(input);
          if (!outcome.ok) failed.push(outcome.violation);
        }
      }
      if (failed.length === 0) return undefined;
      failures.push(...failed);
    }
    return { ...failures[0]!, tags: failures.flatMap((failure) => failure.tags ?? []) };
  };
}
