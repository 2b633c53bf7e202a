import type { BehaviourCheck } from './behaviour.js';
import type { Sender } from './http.js';

/**
 * What a carrier-api mock says it checks and keeps (`GET /__admin/capabilities`, the mock's
 * `MockCapabilities`): read so that a check whose premise the server does not keep is skipped
 * with the reason, never failed. A real vendor has no such endpoint: every check runs.
 */
export interface ServerCapabilities {
  server: string;
  /** The API it serves there. */
  api?: string;
  /** `mock`: the spec's examples, no state; `sandbox`: state and the documents' behaviour. */
  mode: 'mock' | 'sandbox';
  /** Per security scheme: `presence` (any value passes), `any` non-empty value, only `listed` ones, or only tokens it `issued`. */
  credentials: Record<string, 'presence' | 'any' | 'listed' | 'issued'>;
  /** The operations whose documented behaviour it keeps. */
  behaviour: string[];
  /** Whether it keeps Idempotency-Key replays. */
  idempotency: boolean;
}

const credentialChecks = new Set(['presence', 'any', 'listed', 'issued']);

/**
 * The server's capabilities, or undefined for a server that does not state them (any server but
 * ours: a 404, another body, no answer). Sent through the run's sender, so `--rate` paces it and
 * `--timeout` bounds it; sent without credentials, as it asks nothing of the API. Never throws.
 *
 * @param send - The run's sender.
 * @param api - The API checked (the spec's name).
 */
export async function readCapabilities(send: Sender, api: string): Promise<ServerCapabilities | undefined> {
  try {
    // `api` picks one where several APIs share the host (the MSW sandbox at api.centili.com); a port serves one and ignores it.
    const answer = await send({ method: 'GET', path: '/__admin/capabilities', query: { api }, auth: 'none' });
    if (answer.status !== 200) return undefined;
    const body = answer.json as Partial<ServerCapabilities> | undefined;
    const valid =
      typeof body === 'object' && body !== null &&
      body.server === 'carrier-mock' &&
      (body.mode === 'mock' || body.mode === 'sandbox') &&
      typeof body.credentials === 'object' && body.credentials !== null &&
      Object.values(body.credentials).every((value) => credentialChecks.has(value)) &&
      Array.isArray(body.behaviour) && typeof body.idempotency === 'boolean';
    return valid && (body.api === undefined || body.api === api) ? (body as ServerCapabilities) : undefined;
  } catch {
    return undefined;
  }
}

type SchemeKinds = { token: string[]; apiKey: string[] };

/** The security schemes of the document by what they take: bearer tokens (OAuth2, HTTP bearer) and header API keys. */
function schemesByKind(document: object): SchemeKinds {
  const schemes = (document as { components?: { securitySchemes?: Record<string, { type?: string; scheme?: string; in?: string }> } }).components?.securitySchemes ?? {};
  const kinds: SchemeKinds = { token: [], apiKey: [] };
  for (const [name, scheme] of Object.entries(schemes)) {
    if (scheme.type === 'oauth2' || (scheme.type === 'http' && scheme.scheme?.toLowerCase() === 'bearer')) kinds.token.push(name);
    if (scheme.type === 'apiKey' && scheme.in === 'header') kinds.apiKey.push(name);
  }
  return kinds;
}

/**
 * Why `check` cannot be expected of a server with these capabilities, or undefined when it can:
 * a wrong credential is refused only where the server checks more than presence (a sandbox
 * started without `--api-key` takes any key: "any"); flows, Idempotency-Key replays and the
 * documented 404/400/429 need state (`mode: "sandbox"`) and the operation's behaviour.
 */
export function capabilitySkip(check: BehaviourCheck, capabilities: ServerCapabilities | undefined, document: object): string | undefined {
  if (!capabilities) return undefined;
  const said = (what: string) => `${what} (the server says so at /__admin/capabilities)`;
  if (check.kind === 'auth') {
    const schemes = schemesByKind(document);
    const names = check.id.endsWith('/wrong-api-key') ? schemes.apiKey : check.id.endsWith('-token') ? schemes.token : [];
    const lax = names.filter((name) => capabilities.credentials[name] === 'presence' || capabilities.credentials[name] === 'any');
    if (names.length > 0 && lax.length === names.length) {
      const how = capabilities.credentials[lax[0]!];
      const hint = check.id.endsWith('/wrong-api-key') && capabilities.mode === 'sandbox' ? '; start it with --api-key K to have only K pass' : '';
      return said(`the server takes ${how === 'presence' ? 'any credential that is present' : 'any non-empty value'} for ${lax.join(', ')}, so a wrong one is not refused${hint}`);
    }
    return undefined;
  }
  if (check.kind === 'flow' || check.kind === 'idempotency' || check.kind === 'negative') {
    if (capabilities.mode === 'mock') return said('the plain mock answers the spec\'s examples and keeps no state; run it with --sandbox for this check');
    if (check.kind === 'idempotency' && !capabilities.idempotency) return said('the server keeps no Idempotency-Key replays');
    if (!capabilities.behaviour.includes(check.operationId)) return said(`the server keeps no documented behaviour for ${check.operationId}`);
  }
  return undefined;
}
