import { http, type HttpHandler } from 'msw';
import type { IHttpOperation } from '@stoplight/types';
import { bundledDocuments } from '@carrier-api/specs/documents';
import { operationsFromDocument } from './engine/index.js';
import { MockStartError } from './errors.js';
import { fromFetchRequest, toFetchResponse } from './fetch-adapter.js';
import { createResponder, type Responder } from './responder.js';
import { behaviourOf } from './sandbox/rules/index.js';
import { createSandboxLayer, SandboxAdminError, type SandboxControl } from './sandbox/sandbox.js';
import { resolveSettings } from './sandbox/settings.js';
import { MemoryStore, type SandboxStore, type StoreHealth } from './sandbox/store.js';
import type { FaultSpec, JournalEntry, RequestFilter, SandboxOptions, SandboxSeed } from './sandbox/types.js';

/**
 * The sandbox in-process: MSW 2 request handlers that keep the vendor documents' promises (real
 * tokens, one execution per Idempotency-Key, 409 in flight, the PIN limit, data pools, MTN's
 * transactionId echo) with no port. They run the very responder, engine, rules and store of
 * `carrier-mock --sandbox`, through the Fetch adapter: the same request gets the same answer.
 */

/** Options of {@link createSandboxHandlers}: the sandbox's options, which APIs, and where they are reached. */
export interface SandboxHandlersOptions extends Omit<SandboxOptions, 'store'> {
  /** Which APIs (names as in @carrier-api/specs); default every one. */
  apis?: string[];
  /**
   * More base URLs per API, e.g. `{ 'centili-payments': 'http://localhost:8080/payments' }`, besides
   * its spec's servers (`https://api.centili.com` ...). The spec's paths are served under each.
   */
  baseUrls?: Record<string, string | string[]>;
  /** Documents of your own (an OpenAPI 3.0 object, self-contained) by API name, instead of the bundled ones. */
  specs?: Record<string, object>;
  /** The state store; default a new in-memory one per call. A `RedisStore` (Node) shares state with other sandboxes. */
  store?: SandboxStore;
}

/** The admin surface as functions: the verbs of `/__admin/` on a port, for every API of the handler set at once or one. */
export interface InProcessSandbox {
  /** The APIs served, and the base URLs each is bound to. */
  readonly baseUrls: Readonly<Record<string, readonly string[]>>;
  /** The journal, oldest first, secrets masked; `filter.api` keeps one API's requests. */
  requests(filter?: RequestFilter & { api?: string }): Promise<Array<JournalEntry & { api: string }>>;
  /** Empties the journal of one API, or of all. */
  clearRequests(api?: string): Promise<void>;
  /** State, journal, faults and seeds of one API, or of all, back to the seed of the options. */
  reset(api?: string): Promise<void>;
  /**
   * Injects a fault (`status`, `delayMs`, `drop`, `times`). `api` may be left out when only one
   * API has `operationId`.
   * @throws SandboxAdminError naming the field and the rule.
   */
  fault(spec: FaultSpec & { api?: string }): Promise<{ id: string }>;
  /** Replaces the seed of one API, or of all, until reset. @throws SandboxAdminError naming the field. */
  seed(seed: SandboxSeed, api?: string): Promise<void>;
  /** Whether the store answers; never throws. */
  health(): Promise<StoreHealth>;
}

export interface SandboxHandlers {
  /** For `setupServer(...handlers)` (msw/node) or `setupWorker(...handlers)` (msw/browser). */
  handlers: HttpHandler[];
  sandbox: InProcessSandbox;
}

interface ServedApi {
  name: string;
  responder: Responder;
  control: SandboxControl;
  operations: IHttpOperation[];
}

/**
 * MSW handlers of the sandbox of every API (or `options.apis`), bound to each API's server URLs
 * from its spec and to `options.baseUrls`. Two calls share nothing (each has its own store unless
 * you pass one). APIs reached through one host share the token endpoint there, as the Centili
 * APIs do: a token from it works on each of them.
 *
 * @param options - The sandbox's options (`pin`, `maxPinAttempts`, `tokenTtlSeconds`, `seed`,
 *   `apiKeys`, `users`, `clock`, `store`...), `apis`, `baseUrls`, `specs`.
 * @returns The handlers and the admin surface as functions.
 * @throws MockStartError `UNKNOWN_API` for a name no spec has, `INVALID_OPTIONS` for a bad option,
 *   seed or base URL (naming it).
 */
export function createSandboxHandlers(options: SandboxHandlersOptions = {}): SandboxHandlers {
  const documents = options.specs ?? bundledDocuments;
  const known = Object.keys(documents);
  const wanted = options.apis && options.apis.length > 0 ? options.apis : known;
  const unknown = wanted.filter((name) => !known.includes(name));
  if (unknown.length > 0) throw new MockStartError('UNKNOWN_API', `Unknown API ${unknown.map((name) => `"${name}"`).join(', ')}. Known APIs: ${known.join(', ')}.`);
  for (const api of Object.keys(options.baseUrls ?? {})) if (!wanted.includes(api)) throw new MockStartError('INVALID_OPTIONS', `baseUrls.${api}: the handlers do not serve "${api}"; they serve ${wanted.join(', ')}.`);
  const settings = resolveSettings(options);
  const store = options.store ?? new MemoryStore(settings.clock);

  const served: ServedApi[] = [];
  const bases = new Map<string, ServedApi[]>();
  const baseUrls: Record<string, string[]> = {};
  for (const name of wanted) {
    const operations = operationsFromDocument(documents[name]!);
    const tokenRealm = tokenEndpointOf(name, operations);
    const sandbox = createSandboxLayer(name, operations, { store, settings, seed: options.seed ?? {}, ...(tokenRealm ? { tokenRealm } : {}) });
    const api: ServedApi = { name, operations, control: sandbox.control, responder: createResponder(operations, { layer: sandbox.layer, capabilities: sandbox.capabilities, describeViolations: true }) };
    served.push(api);
    const extra = options.baseUrls?.[name];
    const urls = [...serverUrlsOf(operations), ...(extra === undefined ? [] : Array.isArray(extra) ? extra : [extra]).map((url) => checkedBaseUrl(name, url))];
    baseUrls[name] = [...new Set(urls)];
    for (const url of baseUrls[name]!) {
      const list = bases.get(url) ?? [];
      list.push(api);
      bases.set(url, list);
    }
  }

  const handlers = [...bases].map(([base, apis]) => {
    const basePath = new URL(base).pathname.replace(/\/$/, '');
    const pattern = new RegExp(`^${base.replace(/\/$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:[/?#]|$)`);
    return http.all(pattern, async ({ request }) => {
      const mockRequest = await fromFetchRequest(request, basePath);
      const pathname = mockRequest.target.split('?')[0]!;
      // The API with an operation at this path; an unknown path gets the first API's 404. Several
      // APIs share a host (api.centili.com): its /__admin/ answers for the one `?api=` names.
      const named = pathname.startsWith('/__admin/') ? new URL(request.url).searchParams.get('api') : null;
      const api = apis.find((candidate) => candidate.name === named) ?? apis.find((candidate) => candidate.responder.serves(pathname)) ?? apis[0]!;
      return toFetchResponse(api.responder, mockRequest);
    });
  });

  const controlOf = (api: string | undefined): SandboxControl[] => {
    if (api === undefined) return served.map((candidate) => candidate.control);
    const found = served.find((candidate) => candidate.name === api);
    if (!found) throw new SandboxAdminError(`"api" must be one of ${wanted.join(', ')}; got ${JSON.stringify(api)}.`);
    return [found.control];
  };

  const sandbox: InProcessSandbox = {
    baseUrls,
    async requests(filter = {}) {
      const { api, ...rest } = filter;
      if (api !== undefined) controlOf(api);
      const lists = await Promise.all(served.filter((candidate) => api === undefined || candidate.name === api).map(async (candidate) => (await candidate.control.requests(rest)).map((entry) => ({ ...entry, api: candidate.name }))));
      return lists.flat().sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
    },
    async clearRequests(api) {
      for (const control of controlOf(api)) await control.clearRequests();
    },
    async reset(api) {
      for (const control of controlOf(api)) await control.reset();
    },
    async fault(spec) {
      const { api, ...fault } = (spec ?? {}) as FaultSpec & { api?: string };
      if (api !== undefined) return controlOf(api)[0]!.fault(fault);
      const owners = served.filter((candidate) => candidate.operations.some((operation) => operation.iid === fault.operationId));
      if (owners.length !== 1) {
        throw new SandboxAdminError(owners.length === 0 ? `"operationId" must be an operation of ${wanted.join(', ')}; got ${JSON.stringify(fault.operationId)}.` : `"api" is needed: ${owners.map((owner) => owner.name).join(', ')} all have "${fault.operationId}".`);
      }
      return owners[0]!.control.fault(fault);
    },
    async seed(seed, api) {
      for (const control of controlOf(api)) await control.seed(seed);
    },
    health: () => served[0]?.control.health() ?? Promise.resolve({ up: true, store: 'memory' }),
  };
  return { handlers, sandbox };
}

/** A server's URL with its variables at their defaults; relative ones against the page's origin (none in Node). */
function resolveServer(server: { url: string; variables?: Record<string, { default?: unknown }> }): string | undefined {
  const url = server.url.replace(/\{([^}]+)\}/g, (_whole, name: string) => String(server.variables?.[name]?.default ?? ''));
  try {
    return new URL(url, (globalThis as { location?: { origin?: string } }).location?.origin).href.replace(/\/$/, '');
  } catch {
    return undefined;
  }
}

/** Every server an operation of the API may be reached at (the document's, a path's or an operation's own). */
function serverUrlsOf(operations: IHttpOperation[]): string[] {
  return operations.flatMap((operation) => (operation.servers ?? []).map(resolveServer).filter((url): url is string => url !== undefined));
}

function checkedBaseUrl(api: string, url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http(s)');
    return parsed.href.replace(/\/$/, '');
  } catch {
    throw new MockStartError('INVALID_OPTIONS', `baseUrls.${api} must be an absolute http(s) URL such as http://localhost:8080/payments; got ${JSON.stringify(url)}.`);
  }
}

/** The token endpoint an API's sandbox issues tokens at (its absolute URL names the realm APIs behind it share). */
function tokenEndpointOf(api: string, operations: IHttpOperation[]): string | undefined {
  if (!behaviourOf(api).rules.createToken) return undefined;
  const token = operations.find((operation) => operation.iid === 'createToken');
  const server = token?.servers?.[0];
  const base = server ? resolveServer(server) : undefined;
  return token && base ? `${base}${token.path}` : undefined;
}
