/** What a secret is replaced with in messages, bodies, causes and log events. */
export const REDACTED = '[REDACTED]';

/** A source of the secrets in play right now (tokens change as they are renewed). */
export type SecretSource = () => readonly string[];

/**
 * The forms in which a secret can come back from a server or a library: as sent, JSON-escaped,
 * percent-encoded (a URL or a form body echoed back) and form-encoded (spaces as `+`).
 */
export function variants(secret: string): string[] {
  const forms = new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)]);
  return [...forms].filter((form) => form.length > 0);
}

/**
 * Secrets this long or longer are masked wherever they occur. A shorter one is masked only where
 * it stands alone, not inside a word: with a one-letter token, masking by value alone turned
 * `releaseTransaction` into `releaseTransac[REDACTED]ion` and `Bad Request` into
 * `Bad Reques[REDACTED]`. Fields and headers that hold credentials are masked by position,
 * whatever their length ({@link redactValue}, {@link redactHeaders}).
 */
export const MIN_SECRET_LENGTH_ANYWHERE = 8;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Replaces each secret (in any of its encoded forms) in `text` by `[REDACTED]`: everywhere when
 * it is at least {@link MIN_SECRET_LENGTH_ANYWHERE} characters, else only where no letter or
 * digit touches it on either side (`Bearer t`, `"t"`, `password=t&`). Longer secrets first, so
 * that a secret containing another is masked whole.
 *
 * @param text - Any string: a message, a stack, a header value.
 * @param secrets - The secrets to mask; empty strings are ignored.
 * @returns `text` without any of them.
 */
export function redactText(text: string, secrets: readonly string[]): string {
  if (secrets.length === 0 || text.length === 0) return text;
  let result = text;
  const forms = secrets.flatMap(variants).sort((a, b) => b.length - a.length);
  for (const form of forms) {
    if (!result.includes(form)) continue;
    result = form.length >= MIN_SECRET_LENGTH_ANYWHERE ? result.split(form).join(REDACTED) : result.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(form)}(?![\\p{L}\\p{N}])`, 'gu'), REDACTED);
  }
  return result;
}

/** Body fields whose values are credentials, whatever they hold (compared in lower case). */
const credentialFields = new Set(['password', 'access_token', 'refresh_token', 'id_token', 'client_secret', 'api_key', 'apikey', 'x-api-key', 'token', 'pin']);

/**
 * A deep copy of `value` whose strings (keys included) have every secret masked, and whose
 * credential fields (`password`, `access_token`, `refresh_token`, `client_secret`, `pin`...)
 * are masked by position whatever they hold. Plain data only
 * (what JSON.parse gives); anything else is turned into its redacted string form. Bounded depth.
 *
 * @param value - A parsed body, or any value a server sent back.
 * @param secrets - The secrets to mask.
 */
export function redactValue<T>(value: T, secrets: readonly string[], depth = 0): T {
  // With no secrets in play, only the credential fields (by position) can need masking.
  if (secrets.length === 0 && (typeof value !== 'object' || value === null)) return value;
  if (typeof value === 'string') return redactText(value, secrets) as T;
  if (value === null || typeof value !== 'object') return value;
  if (depth > 32) return REDACTED as T;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, secrets, depth + 1)) as T;
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return redactText(String(value), secrets) as T;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[redactText(key, secrets)] = credentialFields.has(key.toLowerCase()) && typeof item === 'string' && item !== '' ? REDACTED : redactValue(item, secrets, depth + 1);
  return copy as T;
}

/**
 * A stand-in for an error caught from below (fetch, a socket): same name, redacted message,
 * stack and nested cause, so that util.inspect of our error shows nothing secret.
 */
export function redactCause(cause: unknown, secrets: readonly string[], depth = 0): unknown {
  if (!(cause instanceof Error)) return typeof cause === 'string' ? redactText(cause, secrets) : redactValue(cause, secrets);
  const nested = depth < 4 && cause.cause !== undefined ? { cause: redactCause(cause.cause, secrets, depth + 1) } : undefined;
  const copy = new Error(redactText(cause.message, secrets), nested);
  copy.name = cause.name;
  const code = (cause as { code?: unknown }).code;
  if (typeof code === 'string') Object.assign(copy, { code });
  copy.stack = cause.stack === undefined ? undefined : redactText(cause.stack, secrets);
  return copy;
}

/** Header names whose values are credentials, whatever they hold. */
const credentialHeaders = new Set(['authorization', 'proxy-authorization', 'x-api-key', 'api-key', 'cookie', 'set-cookie']);

/**
 * Headers fit for a log line: credential headers (Authorization, X-API-Key, cookies and the
 * API's own key header) become `[REDACTED]`, and any other value has the secrets masked.
 *
 * @param headers - Request or response headers.
 * @param secrets - The secrets in play.
 * @param extraSensitive - More header names to mask entirely (lower case), e.g. the API key header.
 */
export function redactHeaders(headers: Headers | Record<string, string>, secrets: readonly string[], extraSensitive?: string): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (value: string, name: string) => {
    const lower = name.toLowerCase();
    out[lower] = credentialHeaders.has(lower) || lower === extraSensitive ? REDACTED : redactText(value, secrets);
  };
  if (headers instanceof Headers) headers.forEach(add);
  else for (const name of Object.keys(headers)) add(headers[name]!, name);
  return out;
}
