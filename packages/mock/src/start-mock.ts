import { readFileSync } from 'node:fs';
import type { IHttpOperation } from '@stoplight/types';
import { listBundledApis } from '@carrier-api/specs';
import { loadDynamicGenerator, operationsFromDocument } from './engine/index.js';
import { MockStartError } from './errors.js';
import { createMockHttpServer, type MockHttpServer } from './node-server.js';
import { createResponder, type MockCapabilities, type Responder } from './responder.js';
import { createSandboxLayer, SandboxAdminError, securitySchemesOf, type SandboxControl, type SandboxSessionsControl } from './sandbox/sandbox.js';
import type { SessionOptions } from './sandbox/sessions.js';
import { resolveSettings } from './sandbox/settings.js';
import { RedisStore, type RedisStoreOptions } from './sandbox/redis-store.js';
import { MemoryStore, type SandboxStore } from './sandbox/store.js';
import type { FaultSpec, JournalEntry, RequestFilter, SandboxOptions, SandboxSeed } from './sandbox/types.js';

export interface StartMockOptions {
  /** Which APIs to serve (names as in @carrier-api/specs); default all. */
  apis?: string[];
  /** Port of the first API, the next ones count up from it; 0 (default) picks free ports. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Generate responses from the schemas instead of returning the spec's examples. */
  dynamic?: boolean;
  /** Serve these spec files instead of the bundled ones (name → path); for testing a spec of your own. */
  specs?: Record<string, string>;
  /** What the mock logs (to stderr): `info` a line per request, `error` its own failures; default silent. */
  logLevel?: 'silent' | 'error' | 'warn' | 'info' | 'debug';
  /**
   * Answer a request that breaks the spec with the API's documented error body and a message
   * naming the field and the rule (`{"code":"BAD_REQUEST","message":"Request body property pin
   * must be string (request.body.pin: type)"}`) instead of the documented example. Default false
   * for the plain mock (Prism's behaviour); always on in the sandbox. `sl-violations` is sent either way.
   */
  describeViolations?: boolean;
  /**
   * Serve sandboxes instead of plain mocks: Prism still validates every request, and then the
   * behaviour the vendor documents describe answers from state (real tokens, transactions, PIN
   * attempts, Idempotency-Key replay...), with a journal, faults and an admin surface under
   * `/__admin/` on each API's port. `true` takes every default.
   */
  sandbox?: boolean | SandboxOptions;
}

export interface RunningMock {
  /** Base URL of each API's mock, by API name. */
  urls: Record<string, string>;
  /** The mocked Centili token endpoint of an API's mock: pass it as `auth.tokenUrl`. */
  tokenUrl(api: string): string;
  close(): Promise<void>;
  /**
   * Sandbox only: the journal of an API's requests, oldest first, secrets masked; `filter`
   * keeps those matching every field given. Rejects with SandboxAdminError on a plain mock.
   */
  requests(api: string, filter?: RequestFilter): Promise<JournalEntry[]>;
  /** Sandbox only: empties an API's journal. */
  clearRequests(api: string): Promise<void>;
  /**
   * Sandbox only: injects a fault into an API (`status` answers without executing, `delayMs`
   * waits that many milliseconds first, `drop` closes the connection before or after executing),
   * for `times` requests or until reset. Rejects with SandboxAdminError on a bad spec.
   */
  fault(api: string, spec: FaultSpec): Promise<{ id: string }>;
  /** Sandbox only: state, journal, faults and admin seeds of one API (or of all) back to the seed of the options. */
  reset(api?: string): Promise<void>;
  /** Sandbox only: replaces the seed of one API until reset (e.g. `{ dataPools: [...] }`). */
  seed(api: string, seed: SandboxSeed): Promise<void>;
  /**
   * Sandbox only: a session (`POST /__admin/sessions`), whose requests, sent with its `headers`
   * (`X-Sandbox-Session`), see only its own state: tokens, transactions, PIN counters,
   * Idempotency-Keys, pools, faults, journal and seed. Shared by every instance on one Redis.
   * Rejects with SandboxAdminError naming the field of a bad option.
   */
  createSession(options?: SessionOptions): Promise<SandboxSession>;
}

/** One session of a sandbox: its header, and the admin verbs scoped to it. */
export interface SandboxSession {
  id: string;
  /** ISO 8601. */
  expiresAt: string;
  /** Send these with every request of the session. */
  headers: { 'X-Sandbox-Session': string };
  requests(api: string, filter?: RequestFilter): Promise<JournalEntry[]>;
  clearRequests(api: string): Promise<void>;
  fault(api: string, spec: FaultSpec): Promise<{ id: string }>;
  /** The session's state of one API (or of all) back to its seed; other sessions keep theirs. */
  reset(api?: string): Promise<void>;
  seed(api: string, seed: SandboxSeed): Promise<void>;
  /** Deletes the session and all its state. */
  delete(): Promise<void>;
}

/** Where the Centili APIs' shared OAuth2 token endpoint lives (specs/shared/paths/token.yaml). */
export const centiliTokenPath = '/auth/realms/api/protocol/openid-connect/token';

/**
 * Starts a Prism mock of each API on its own port (the Centili APIs share the token path, so one
 * port cannot serve them all). Requests are validated, credentials checked, and `Prefer: code=`
 * / `Prefer: example=` select documented responses. With `sandbox`, a stateful sandbox instead.
 *
 * @param options - Which APIs, where (host, first port), plain or `sandbox`; every field optional.
 * @returns The URL of each API, its token URL, `close()`, and (sandbox) the journal, faults, reset and seeds.
 * @throws MockStartError `UNKNOWN_API`, `PORT_IN_USE`, `INVALID_SPEC`, `LISTEN_FAILED`, `INVALID_OPTIONS` (a bad sandbox option or seed, a store URL that is not `redis://`), `STORE_UNAVAILABLE` (`sandbox.store.url` did not answer within its `connectTimeoutMs`, default 2000 ms, twice over); ports taken before the failure are released.
 */
export async function startMock(options: StartMockOptions = {}): Promise<RunningMock> {
  const specFiles = resolveSpecFiles(options);
  const host = options.host ?? '127.0.0.1';
  const log = logger(options.logLevel ?? 'silent');

  const sandboxOptions: SandboxOptions | undefined = options.sandbox === true ? {} : options.sandbox || undefined;
  const settings = sandboxOptions ? resolveSettings(sandboxOptions) : undefined;
  const ownedStore = sandboxOptions && isRedisOptions(sandboxOptions.store) ? await connectRedis(sandboxOptions.store) : undefined;
  const store: SandboxStore | undefined = sandboxOptions ? (ownedStore ?? (sandboxOptions.store as SandboxStore | undefined) ?? new MemoryStore(settings!.clock)) : undefined;
  const controls: Record<string, SandboxControl> = {};
  const sessionControls: Record<string, SandboxSessionsControl> = {};
  // faker.js is large: loaded only for a dynamic mock.
  const dynamicGenerator = options.dynamic ? await loadDynamicGenerator() : undefined;

  const servers: MockHttpServer[] = [];
  const urls: Record<string, string> = {};
  const closeAll = () => Promise.all([...servers.map((server) => server.close().catch(() => undefined)), ownedStore?.close()]).then(() => undefined);
  try {
    let index = 0;
    for (const [api, spec] of Object.entries(specFiles)) {
      const operations = await loadOperations(spec).catch((error: unknown) => {
        throw new MockStartError('INVALID_SPEC', `${api}: cannot read ${spec.file}: ${error instanceof Error ? error.message : String(error)}`);
      });
      if (operations.length === 0) throw new MockStartError('INVALID_SPEC', `${api}: ${spec.file} has no operations`);
      let layer;
      // The plain mock is Prism's: credentials present, examples, no state.
      let capabilities: MockCapabilities = { server: 'carrier-mock', mode: 'mock', api, credentials: Object.fromEntries(securitySchemesOf(operations).map((scheme) => [scheme.key, 'presence'])), behaviour: [], idempotency: false };
      if (sandboxOptions) {
        const sandbox = createSandboxLayer(api, operations, { store: store!, settings: settings!, seed: sandboxOptions.seed ?? {} });
        controls[api] = sandbox.control;
        sessionControls[api] = sandbox.sessions;
        layer = sandbox.layer;
        capabilities = sandbox.capabilities;
      }
      const responder = createResponder(operations, { layer, capabilities, describeViolations: sandboxOptions !== undefined || options.describeViolations === true, dynamic: options.dynamic ?? false, dynamicGenerator });
      const server = createMockHttpServer(log.info ? logged(responder, api, log.info) : responder, (error) => log.error?.(`${api}: request failed: ${String(error)}`));
      const port = options.port ? options.port + index : 0;
      index += 1;
      const address = await server.listen(port, host).catch((reason: unknown) => {
        const text = String(reason);
        throw /EADDRINUSE/.test(text)
          ? new MockStartError('PORT_IN_USE', `${api}: port ${port} on ${host} is already in use; pass another --port`)
          : new MockStartError('LISTEN_FAILED', `${api}: cannot listen on ${host}:${port}: ${text}`);
      });
      servers.push(server);
      urls[api] = address.replace(/\/$/, '');
    }
  } catch (error) {
    await closeAll();
    throw error;
  }
  const tokenUrl = (api: string) => {
    const url = urls[api];
    if (!url) throw new MockStartError('UNKNOWN_API', `The mock does not serve "${api}"; it serves ${Object.keys(urls).join(', ')}.`);
    return `${url}${centiliTokenPath}`;
  };
  const control = async (api: string): Promise<SandboxControl> => {
    if (!sandboxOptions) throw new SandboxAdminError('This is a plain mock; start it with { sandbox: true } for the journal, faults, reset and seeds.');
    const found = controls[api];
    if (!found) throw new SandboxAdminError(`The sandbox does not serve "${api}"; it serves ${Object.keys(controls).join(', ')}.`);
    return found;
  };
  /** The admin verbs over the control of each API that `controlOf` gives: the default session's, or one session's. */
  const verbs = (controlOf: (api: string) => Promise<SandboxControl>) => ({
    requests: async (api: string, filter?: RequestFilter) => (await controlOf(api)).requests(filter),
    clearRequests: async (api: string) => (await controlOf(api)).clearRequests(),
    fault: async (api: string, spec: FaultSpec) => (await controlOf(api)).fault(spec),
    reset: async (api?: string) => {
      for (const name of api === undefined ? Object.keys(urls) : [api]) await (await controlOf(name)).reset();
    },
    seed: async (api: string, seed: SandboxSeed) => (await controlOf(api)).seed(seed),
  });
  return {
    urls,
    tokenUrl,
    close: closeAll,
    ...verbs(control),
    createSession: async (sessionOptions) => {
      const first = Object.keys(urls)[0]!;
      await control(first);
      // Sessions are the store's, shared by every API: any API's sandbox creates one for all.
      const created = await sessionControls[first]!.create(sessionOptions);
      return {
        id: created.id,
        expiresAt: created.expiresAt,
        headers: created.header,
        // Each API's sandbox gives the session's scope of it.
        ...verbs(async (api) => (await control(api), sessionControls[api]!.control(created.id))),
        delete: () => sessionControls[first]!.delete(created.id),
      };
    },
  };
}

function isRedisOptions(store: SandboxOptions['store']): store is RedisStoreOptions {
  return typeof store === 'object' && store !== null && typeof (store as { url?: unknown }).url === 'string' && typeof (store as { get?: unknown }).get !== 'function';
}

/** A RedisStore of `startMock`'s own, connected. */
async function connectRedis(options: RedisStoreOptions): Promise<RedisStore> {
  let store: RedisStore;
  try {
    store = new RedisStore(options);
  } catch (error) {
    throw new MockStartError('INVALID_OPTIONS', `sandbox.store: ${(error as Error).message}`);
  }
  try {
    await store.ready(2 * (options.connectTimeoutMs ?? 2000));
  } catch (error) {
    await store.close();
    throw new MockStartError('STORE_UNAVAILABLE', `sandbox.store: ${(error as Error).message}`);
  }
  return store;
}

/** Where an API's spec comes from: a bundle of @carrier-api/specs (self-contained JSON), or a file of yours. */
interface SpecSource {
  file: string;
  bundled: boolean;
}

function resolveSpecFiles(options: StartMockOptions): Record<string, SpecSource> {
  if (options.specs) return Object.fromEntries(Object.entries(options.specs).map(([api, file]) => [api, { file, bundled: false }]));
  const bundled = listBundledApis();
  const known = bundled.map((api) => api.name);
  const wanted = options.apis && options.apis.length > 0 ? options.apis : known;
  const unknown = wanted.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new MockStartError('UNKNOWN_API', `Unknown API ${unknown.map((name) => `"${name}"`).join(', ')}. Known APIs: ${known.join(', ')}.`);
  }
  return Object.fromEntries(bundled.filter((api) => wanted.includes(api.name)).map((api) => [api.name, { file: api.json, bundled: true }]));
}

/**
 * The operations of a spec in Prism's model: a bundle is read as it is (self-contained JSON); a
 * file of yours (YAML, `$ref`s to other files) through Prism's loader, which resolves them.
 */
async function loadOperations(spec: SpecSource): Promise<IHttpOperation[]> {
  if (spec.bundled) return operationsFromDocument(JSON.parse(readFileSync(spec.file, 'utf8')) as object);
  // Prism's loader (json-schema-ref-parser, and all of prism-http with it) only for a file of yours.
  const { getHttpOperationsFromSpec } = await import('@stoplight/prism-http');
  return getHttpOperationsFromSpec(spec.file);
}

/** Level-filtered lines to stderr. */
function logger(level: NonNullable<StartMockOptions['logLevel']>): { info?: (line: string) => void; error?: (line: string) => void } {
  const rank = { silent: 0, error: 1, warn: 2, info: 3, debug: 4 }[level];
  const write = (line: string) => process.stderr.write(`carrier-mock ${new Date().toISOString()} ${line}\n`);
  return { ...(rank >= 3 ? { info: write } : {}), ...(rank >= 1 ? { error: write } : {}) };
}

/** A responder that logs `<api> <method> <target> -> <status>` per request. */
function logged(responder: Responder, api: string, info: (line: string) => void): Responder {
  return {
    respond: async (request) => {
      const outcome = await responder.respond(request);
      info(`${api} ${request.method} ${request.target.split('?')[0]} -> ${outcome === 'drop' ? 'dropped' : outcome.status}`);
      return outcome;
    },
    unreadable: responder.unreadable,
    serves: responder.serves,
  };
}
