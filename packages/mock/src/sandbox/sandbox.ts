import type { HttpSecurityScheme, IHttpOperation } from '@stoplight/types';
import { errorBody } from '../http-support.js';
import type { Answer, AnswerTransport, MockCapabilities, MockRequest, PreparedRequest, ServerLayer } from '../responder.js';
import { boundJournalEntry } from './journal-bound.js';
import { behaviourOf } from './rules/index.js';
import { scopedStore, StoreUnavailableError, type SandboxStore, type StoreHealth } from './store.js';
import { createSessions, publicSession, sessionPrefix, type SandboxSessions, type SessionOptions, type SessionRecord } from './sessions.js';
import { checkBearer } from './rules/centili-token.js';
import type { FaultLatency, FaultSpec, JournalEntry, RequestFilter, ResolvedSandboxSettings, RuleContext, SandboxSeed } from './types.js';

/** Raised for a bad admin call or a bad `mock.fault()` spec. */
export class SandboxAdminError extends Error {
  override name = 'SandboxAdminError';
}

export interface SandboxControl {
  requests(filter?: RequestFilter): Promise<JournalEntry[]>;
  clearRequests(): Promise<void>;
  reset(): Promise<void>;
  fault(spec: FaultSpec): Promise<{ id: string }>;
  seed(seed: SandboxSeed): Promise<void>;
  /** Whether the store answers; never throws. */
  health(): Promise<StoreHealth>;
}

/**
 * An Idempotency-Key's record: `running` from the claim (its `owner` a random id of the request
 * that holds it; `writing` once the rule began to write), `done` with the key's answer.
 */
type IdempotencyRecord = { state: 'running'; fingerprint: string; owner: string; writing?: true } | { state: 'done'; fingerprint: string; answer: Answer };

/** The request's claim of its key ran out before its first write (the store stalled past the lease): nothing was executed, and it gets the store's 503. */
class ClaimLostError extends StoreUnavailableError {
  constructor() {
    super('the claim of the Idempotency-Key ran out while the store did not answer; nothing was executed');
  }
}

/** A request as the journal takes it (see ServerLayer.record). */
type JournalInput = { id: string; method: string; path: string; operationId?: string; headers: MockRequest['headers']; body: unknown; status: number | null; fault?: Answer['fault'] };

/** One session's sandbox of one API: its control, request handling, admin surface and journal. */
interface Scope {
  control: SandboxControl;
  handle(request: PreparedRequest, prism: () => Promise<Answer>): Promise<Answer | 'drop'>;
  admin(method: string, path: string, body: unknown): Promise<Answer>;
  record(entry: JournalInput): Promise<void>;
}

/** The sessions of a sandbox, and the control of one (rejects with SandboxAdminError for an unknown session). */
export type SandboxSessionsControl = SandboxSessions & { control(id: string): Promise<SandboxControl> };

/**
 * The store unreachable (Redis down): 503 in the API's error body, `Retry-After: 1`. A keyed
 * request cut off half-way is settled by its Idempotency-Key's lease (see `idempotent`).
 * @throws what it was given, when that is not a StoreUnavailableError.
 */
function storeDown(request: PreparedRequest, failure: unknown): Answer {
  if (!(failure instanceof StoreUnavailableError)) throw failure;
  const body = errorBody(request.errorContext, 503, `The sandbox's state store is unavailable; retry later. ${failure.message}`, 'SERVICE_UNAVAILABLE');
  // The token endpoint's OAuth2 error body has its own code for it (RFC 6749 5.2 / 4.1.2.1).
  if ('error_description' in body) body.error = 'temporarily_unavailable';
  return { status: 503, headers: { 'Content-Type': 'application/json', 'Retry-After': '1' }, body };
}

/** The answer as a fault sends it: its damage on the wire, and the fault's id and kinds for the journal. A replayed answer keeps no damage of its first sending. */
function damaged(answer: Answer, fault: FaultSpec & { id?: string; drawnLatencyMs?: number } | undefined): Answer {
  if (!fault?.id) return answer;
  const kinds = (['status', 'delayMs', 'latency', 'drop', 'body', 'dribble', 'retryAfterSeconds', 'probability'] as const).filter((name) => fault[name] !== undefined).map((name) => (name === 'body' ? String(fault.body) : name));
  const transport: AnswerTransport = {
    ...(fault.body === 'truncate' ? { truncate: true } : {}),
    ...(fault.body === 'malformed' ? { malformed: true } : {}),
    ...(fault.dribble ? { dribble: { durationMs: fault.dribble.durationMs, chunks: fault.dribble.chunks ?? 10 } } : {}),
  };
  return { ...answer, ...(Object.keys(transport).length > 0 ? { transport } : {}), fault: { id: fault.id, kinds } };
}

const mutating = new Set<keyof SandboxStore>(['set', 'setIfAbsent', 'compareAndSet', 'incr', 'delete', 'append', 'deletePrefix']);

/** `store`, with `before()` awaited ahead of every write (reads pass straight through). */
function writeGuarded(store: SandboxStore, before: () => Promise<void>): SandboxStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (!mutating.has(property as keyof SandboxStore)) return (value as (...args: unknown[]) => unknown).bind(target);
      return async (...args: unknown[]) => {
        await before();
        return (value as (...args: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/**
 * What makes two requests under one key "the same request": query and body, as values (JSON key
 * order and number spelling aside; a form by its decoded fields, in order of name). Method,
 * operation and path are already part of the key's slot. Up to {@link fingerprintTextLimit}
 * characters the canonical text itself (`=` and the text); longer, its SHA-256 digest (`sha256:`
 * and hex), so that a 10 MB body does not sit in the store twice. The two forms cannot be equal,
 * and the usual request (a few fields) skips Web Crypto's trip through the thread pool.
 */
export async function requestFingerprint(request: Pick<PreparedRequest, 'query' | 'body' | 'headers'>): Promise<string> {
  const contentType = String(request.headers['content-type'] ?? '');
  const body = typeof request.body === 'string' && contentType.includes('application/x-www-form-urlencoded') ? [...new URLSearchParams(request.body)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : request.body;
  const text = canonicalJson({ query: request.query, body: body ?? null });
  if (text.length <= fingerprintTextLimit) return `=${text}`;
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return `sha256:${[...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

/** Characters of canonical text kept as the fingerprint itself; a longer request is digested. */
export const fingerprintTextLimit = 512;

/** JSON with every object's keys sorted, so that equal values give equal text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.keys(value)
      .sort()
      .map((name) => `${JSON.stringify(name)}:${canonicalJson((value as Record<string, unknown>)[name])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

interface StoredFault extends FaultSpec {
  id: string;
}

/** Waits `ms` milliseconds (a plain timer: the sandbox runs in browsers too). */
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const secretHeaders = new Set(['authorization', 'x-api-key', 'token', 'cookie', 'proxy-authorization']);
const secretFields = new Set(['password', 'refresh_token', 'pin', 'client_secret', 'access_token']);
const mask = '***';

/**
 * The sandbox of one API on its port: Prism validates, then the API's behaviour rules answer
 * from state in the store; faults, the journal and the admin surface are here too.
 */
export function createSandboxLayer(
  api: string,
  operations: IHttpOperation[],
  shared: {
    store: SandboxStore;
    settings: ResolvedSandboxSettings;
    seed: SandboxSeed;
    /**
     * Where its tokens live: by default the API's own (a token works on the API that issued it);
     * APIs given the same realm take each other's tokens (the MSW handlers: APIs behind one
     * token endpoint, as the four Centili APIs are).
     */
    tokenRealm?: string;
  },
): { layer: ServerLayer; control: SandboxControl; capabilities: MockCapabilities; sessions: SandboxSessionsControl } {
  const behaviour = behaviourOf(api);
  const clock = shared.settings.clock;
  const operationIds = new Set(operations.map((operation) => operation.iid));
  // Only an API whose sandbox issues tokens (the Centili token endpoint) checks them; an API of your own keeps Prism's presence check.
  const hasTokenEndpoint = behaviour.rules.createToken !== undefined;
  const sessions = createSessions(shared.store, clock);

  // One scope per session (and '' for the default one), built on first use; bounded, the least recent dropped (it is only closures over the store).
  const scopes = new Map<string, Scope>();
  const scopeOf = (session: SessionRecord | undefined): Scope => {
    const id = session?.id ?? '';
    let scope = scopes.get(id);
    if (scope) scopes.delete(id);
    else scope = createScope(session);
    scopes.set(id, scope);
    if (scopes.size > 1024) scopes.delete(scopes.keys().next().value!);
    return scope;
  };
  const defaultScope = scopeOf(undefined);

  /** The scope of a request's `X-Sandbox-Session`, or a 400/404 answer naming the header. */
  async function scopeOfRequest(headers: MockRequest['headers'], errorContext?: PreparedRequest['errorContext']): Promise<Scope | Answer> {
    const header = headers['x-sandbox-session'];
    await sessions.sweep();
    if (header === undefined) return defaultScope;
    const found = await sessions.get(String(header));
    if (found) return scopeOf(found);
    const message = `X-Sandbox-Session: no session "${String(header)}" (it expired, was deleted, or was never created with POST /__admin/sessions)`;
    return errorContext
      ? { status: 400, headers: { 'Content-Type': 'application/json' }, body: errorBody(errorContext, 400, message, 'UNKNOWN_SESSION') }
      : { status: 404, headers: { 'Content-Type': 'application/json' }, body: { error: 'unknown_session', message } };
  }
  const isScope = (value: Scope | Answer): value is Scope => 'control' in value;

  async function handle(request: PreparedRequest, prism: () => Promise<Answer>): Promise<Answer | 'drop'> {
    const scope = await scopeOfRequest(request.headers, request.errorContext).catch((failure: unknown) => storeDown(request, failure));
    return isScope(scope) ? scope.handle(request, prism) : scope;
  }
  async function record(entry: JournalInput): Promise<void> {
    const scope = await scopeOfRequest(entry.headers).catch(() => undefined);
    // A request of an unknown session is journaled nowhere: there is no journal it could be read from.
    if (scope && isScope(scope)) await scope.record(entry);
  }
  async function admin(method: string, path: string, body: unknown, headers: MockRequest['headers'] = {}): Promise<Answer> {
    const json = (status: number, value: unknown): Answer => ({ status, headers: { 'Content-Type': 'application/json' }, body: value });
    try {
      if (path === '/__admin/sessions' && method === 'POST') return json(201, await sessions.create(body as SessionOptions));
      const one = /^\/__admin\/sessions\/([^/]+)$/.exec(path);
      if (one && method === 'GET') {
        const found = await sessions.get(decodeURIComponent(one[1]!));
        return found ? json(200, publicSession(found)) : json(404, { error: 'unknown_session', message: `No session "${decodeURIComponent(one[1]!)}".` });
      }
      if (one && method === 'DELETE') return (await sessions.delete(decodeURIComponent(one[1]!)), json(200, { deleted: true }));
      const scope = await scopeOfRequest(headers);
      return isScope(scope) ? scope.admin(method, path, body) : scope;
    } catch (failure) {
      if (failure instanceof SandboxAdminError) return json(400, { error: 'bad_request', message: failure.message });
      if (failure instanceof StoreUnavailableError) return json(503, { error: 'store_unavailable', message: failure.message });
      throw failure;
    }
  }

  /** Everything of one session of this API: its store's prefix, journal, faults, seed and rules' state. */
  function createScope(session: SessionRecord | undefined): Scope {
  const prefix = session ? sessionPrefix(session.id) : '';
  const store = scopedStore(shared.store, `${prefix}${api}:`);
  const tokens = shared.tokenRealm === undefined ? store : scopedStore(shared.store, `${prefix}realm:${shared.tokenRealm}:`);
  const seedNow = async (): Promise<SandboxSeed> => ({ ...behaviour.defaultSeed, ...shared.seed, ...(session?.seed ?? {}), ...((await store.get<SandboxSeed>('admin:seed')) ?? {}) });

  /** Entries journaled as their request started, until it is answered; bounded, oldest dropped (a request whose handling threw is never answered). */
  const journaling = new Map<string, JournalEntry>();
  const remember = (entry: JournalEntry) => {
    if (journaling.size >= 1024) journaling.delete(journaling.keys().next().value!);
    journaling.set(entry.id, entry);
  };

  const control: SandboxControl = {
    async requests(filter = {}) {
      const ids = await store.list<string>('journal');
      const entries = (await Promise.all(ids.map((id) => store.get<JournalEntry>(`journal:${id}`)))).filter((entry): entry is JournalEntry => entry !== undefined);
      return entries.filter(
        (entry) =>
          (filter.method === undefined || entry.method === filter.method.toUpperCase()) &&
          (filter.operationId === undefined || entry.operationId === filter.operationId) &&
          (filter.path === undefined || entry.path.split('?')[0] === filter.path) &&
          (filter.status === undefined || entry.status === filter.status),
      );
    },
    async clearRequests() {
      journaling.clear();
      await store.deletePrefix('journal');
    },
    async reset() {
      // Everything of this API: state, journal, faults, admin seed; then the seed of the options is in force again.
      journaling.clear();
      await store.deletePrefix('');
      // A shared realm's tokens are forgotten too: a reset sandbox has issued nothing.
      if (tokens !== store) await tokens.deletePrefix('');
    },
    async fault(spec) {
      const problem = faultProblem(spec, operationIds);
      if (problem) throw new SandboxAdminError(problem);
      const fault: StoredFault = { ...spec, id: globalThis.crypto.randomUUID() };
      await store.append('faults', fault);
      return { id: fault.id };
    },
    async seed(seed) {
      const problem = seedProblem(seed);
      if (problem) throw new SandboxAdminError(problem);
      await store.set('admin:seed', seed);
    },
    health: () => store.health!(),
  };

  /** The fault that hits this request, with its latency drawn (ms), or undefined. */
  async function claimFault(operationId: string): Promise<(StoredFault & { drawnLatencyMs?: number }) | undefined> {
    for (const fault of await store.list<StoredFault>('faults')) {
      if (fault.operationId !== operationId) continue;
      // The n-th request it matches, counted atomically over the instances: a seeded fault draws the same for it on every run.
      const draws = fault.probability !== undefined || fault.latency !== undefined;
      const n = draws && fault.seed !== undefined ? (await store.incr(`fault-seen:${fault.id}`))! : 0;
      const draw = (k: number) => (fault.seed !== undefined ? seededDraw(fault.seed + k, n) : Math.random());
      if (fault.probability !== undefined && draw(0) >= fault.probability) continue;
      // One atomic step: a fault with `times` hits exactly that many requests, whatever the instances.
      if (fault.times !== undefined && (await store.incr(`fault-used:${fault.id}`, 1, { max: fault.times })) === undefined) continue;
      return fault.latency ? { ...fault, drawnLatencyMs: latencyMs(fault.latency, draw(1), draw(2)) } : fault;
    }
    return undefined;
  }

  async function handle(request: PreparedRequest, prism: () => Promise<Answer>): Promise<Answer | 'drop'> {
    try {
      return await handleWithStore(request, prism);
    } catch (failure) {
      return storeDown(request, failure);
    }
  }

  async function handleWithStore(request: PreparedRequest, prism: () => Promise<Answer>): Promise<Answer | 'drop'> {
    const error = (status: number, message: string, code?: string): Answer => ({
      status,
      headers: { 'Content-Type': 'application/json' },
      body: errorBody(request.errorContext, status, message, code),
    });
    const fault = await claimFault(request.operationId);
    if (fault?.drop === 'before') return 'drop';
    if (fault?.status !== undefined) {
      if (fault.drawnLatencyMs || fault.delayMs) await sleep((fault.delayMs ?? 0) + (fault.drawnLatencyMs ?? 0));
      const answer = faultAnswer(request, fault.status, error);
      if (fault.retryAfterSeconds !== undefined) answer.headers = { ...answer.headers, 'Retry-After': String(fault.retryAfterSeconds) };
      return damaged(answer, fault);
    }

    // Tokens are real: a Centili operation needs a token this sandbox issued, not expired.
    let principal = 'anonymous';
    if (hasTokenEndpoint && needsBearer(request.operation)) {
      const checked = await checkBearer(tokens, request.headers.authorization, clock());
      if (!checked.ok) {
        if (request.headers.authorization === undefined) return prism(); // Prism's documented 401 for a missing credential.
        return { ...error(401, 'Invalid credentials', 'UNAUTHORIZED'), headers: { 'Content-Type': 'application/json', 'WWW-Authenticate': `Bearer error="invalid_token", error_description="${checked.reason}"` } };
      }
      principal = checked.username;
    } else if (needsApiKey(request.operation)) {
      const key = request.headers['x-api-key'];
      // MTN: "X-API-Key: The API key of the MTN developer portal application". With `apiKeys`, only those pass.
      if (shared.settings.apiKeys && typeof key === 'string' && !shared.settings.apiKeys.includes(key)) return error(401, 'Invalid API key in the X-API-Key header');
      if (typeof key === 'string') principal = `key:${key}`;
    }

    const validated = await prism();
    const rule = behaviour.rules[request.operationId];
    if (validated.status >= 300) return validated;
    if (!rule) {
      // No behaviour: Prism's example, with the fault's delay, drop and damage still applied.
      if (fault?.delayMs || fault?.drawnLatencyMs) await sleep((fault.delayMs ?? 0) + (fault.drawnLatencyMs ?? 0));
      return fault?.drop === 'after' ? 'drop' : damaged(validated, fault);
    }

    const context: RuleContext = {
      api,
      request,
      store,
      tokens,
      settings: shared.settings,
      seed: seedNow,
      principal,
      error,
      json: (body, status = 200, headers = {}) => ({ status, headers: { 'Content-Type': 'application/json', ...headers }, body }),
    };
    const execute = async (ruleStore: SandboxStore): Promise<Answer> => {
      if (fault?.delayMs || fault?.drawnLatencyMs) await sleep((fault.delayMs ?? 0) + (fault.drawnLatencyMs ?? 0));
      return rule.handle(ruleStore === store ? context : { ...context, store: ruleStore });
    };
    const answer = declaresIdempotencyKey(request.operation) ? await idempotent(request, principal, execute, error) : await execute(store);
    return fault?.drop === 'after' ? 'drop' : damaged(answer, fault);
  }

  /**
   * 001: "When repeating the request with the same key, response will either be 409 conflict if
   * the request is currently executing or the same response returned originally, but the request
   * will not be executed twice." Inferred: keys are scoped per API, caller (token username),
   * operation and path; a key is remembered `idempotencyTtlMs`. A claim is an owner-tagged lease
   * (`idempotencyLeaseMs`, renewed while the request runs): a request that stops before its rule's
   * first write frees the key when its lease ends; one that stops after it leaves the key's
   * outcome unknown (500 IDEMPOTENT_OUTCOME_UNKNOWN for good, as Stripe keeps a failed request's
   * 500), never a second execution (issue 27, input 8).
   */
  async function idempotent(request: PreparedRequest, principal: string, execute: (ruleStore: SandboxStore) => Promise<Answer>, error: RuleContext['error']): Promise<Answer> {
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string' || key === '') return execute(store);
    const scope = `${principal}:${request.operationId}:${request.path}:${key}`;
    const slot = `idempotency:${scope}`;
    const lease = `idempotency-lease:${scope}`;
    const { idempotencyTtlMs: ttlMs, idempotencyLeaseMs: leaseMs } = shared.settings;
    const fingerprint = await requestFingerprint(request);
    const claim: IdempotencyRecord = { state: 'running', fingerprint, owner: globalThis.crypto.randomUUID() };
    const unknownOutcome = (): IdempotencyRecord => ({
      state: 'done',
      fingerprint,
      answer: error(500, 'The first request with this Idempotency-Key stopped after it began to execute, before its outcome was recorded (the sandbox lost its store or its instance mid-way): it may have been executed. The key keeps this answer; look the resource up before you send the request again with a new key.', 'IDEMPOTENT_OUTCOME_UNKNOWN'),
    });

    // Claim the key, or answer from what holds it. Bounded: a record that changes under us is read again at most twice.
    let claimed = false;
    for (let look = 0; look < 3 && !claimed; look++) {
      // Until the first write the claim's TTL is its lease: an instance that stops frees the key within leaseMs.
      if (await store.setIfAbsent(slot, claim, { ttlMs: leaseMs })) {
        claimed = true;
        break;
      }
      const previous = await store.get<IdempotencyRecord>(slot);
      if (previous === undefined) continue;
      // The key of another request (specs/shared/responses/IdempotencyKeyReused.yaml): refused, whether the first still runs or is done.
      if (previous.fingerprint !== fingerprint) return error(422, 'The Idempotency-Key was already used with a different request', 'IDEMPOTENCY_KEY_REUSED');
      if (previous.state === 'done') return { ...previous.answer, headers: { ...previous.answer.headers, 'Idempotent-Replayed': 'true' } };
      if (!previous.writing || (await store.get(lease)) !== undefined) return error(409, 'Request with the same idempotency key is currently executing', 'CONFLICT');
      // Its owner began to write and its lease ran out: whether it executed is unknown, and that is
      // the key's answer from now on (as Stripe keeps a failed request's 500): never a second execution.
      const unknown = unknownOutcome();
      if (await store.compareAndSet(slot, previous, unknown, { ttlMs })) return (unknown as { answer: Answer }).answer;
    }
    if (!claimed) return error(409, 'Request with the same idempotency key is currently executing', 'CONFLICT');

    let current = claim;
    let writing: Promise<void> | undefined;
    // Before the rule's first write: the record says so (for good: no lease expiry can free the key
    // any more), and a lease of its own says the owner is alive. A claim lost meanwhile (the store
    // stalled past the lease, another request took the key) stops the rule before it writes.
    const beginWriting = () =>
      (writing ??= (async () => {
        const next: IdempotencyRecord = { ...claim, writing: true };
        await store.set(lease, claim.owner, { ttlMs: leaseMs });
        if (!(await store.compareAndSet(slot, claim, next, { ttlMs }))) throw new ClaimLostError();
        current = next;
      })());
    const renew = setInterval(() => {
      const renewed = writing ? store.compareAndSet(lease, claim.owner, claim.owner, { ttlMs: leaseMs }) : store.compareAndSet(slot, current, current, { ttlMs: leaseMs });
      renewed.catch(() => undefined);
    }, Math.max(1, Math.floor(leaseMs / 3)));
    try {
      const answer = await execute(writeGuarded(store, beginWriting));
      const done: IdempotencyRecord = { state: 'done', fingerprint, answer };
      if (!(await store.compareAndSet(slot, current, done, { ttlMs }))) {
        // The key was given another answer meanwhile (its outcome declared unknown while the store stalled): that answer stands for everyone.
        const now = await store.get<IdempotencyRecord>(slot);
        if (now?.state === 'done') return now.answer;
      }
      if (writing) await store.delete(lease);
      return answer;
    } catch (failure) {
      await settleFailed(failure).catch(() => undefined);
      throw failure;
    } finally {
      clearInterval(renew);
    }

    /** Nothing written: the key is free at once. Something written: its outcome is unknown, and the key says so. Best effort: a store that is down leaves it to the lease. */
    async function settleFailed(failure: unknown): Promise<void> {
      if (!writing) return void (await store.compareAndSet(slot, current, current, { ttlMs: 1 }));
      await writing.catch(() => undefined);
      if (current.writing && !(failure instanceof ClaimLostError)) {
        if (await store.compareAndSet(slot, current, unknownOutcome(), { ttlMs })) await store.delete(lease);
      }
    }
  }

  /** Journals a request; while the store is down the entry is lost (the request still gets its 503). */
  async function record(entry: JournalInput): Promise<void> {
    try {
      await recordInStore(entry);
    } catch (failure) {
      if (!(failure instanceof StoreUnavailableError)) throw failure;
    }
  }

  async function recordInStore(entry: JournalInput): Promise<void> {
    // The answered write of a request this instance journaled as it started reuses that entry's
    // time and masked headers and body (masking twice, and reading the entry back, cost each
    // request twice over); anything else is read from the store.
    const started = journaling.get(entry.id);
    journaling.delete(entry.id);
    const journal: JournalEntry = started
      ? { ...started, status: entry.status, ...(entry.fault ? { fault: entry.fault } : {}) }
      : boundJournalEntry(
          {
            id: entry.id,
            time: new Date(clock()).toISOString(),
            method: entry.method,
            path: maskPath(entry.path),
            operationId: entry.operationId,
            status: entry.status,
            headers: maskHeaders(entry.headers),
            body: maskBody(entry.body),
            ...(entry.fault ? { fault: entry.fault } : {}),
          },
          shared.settings.journalEntryMaxBytes,
        );
    const existing = started ?? (await store.get<JournalEntry>(`journal:${entry.id}`));
    if (entry.status === null && !started) remember(journal);
    if (existing) journal.time = existing.time;
    else {
      // The journal keeps the last `journalLimit` requests: a long-running sandbox does not grow without bound.
      for (const dropped of await store.append('journal', entry.id, { maxLength: shared.settings.journalLimit })) await store.delete(`journal:${String(dropped)}`);
    }
    await store.set(`journal:${entry.id}`, journal);
  }

  async function admin(method: string, path: string, body: unknown): Promise<Answer> {
    const json = (status: number, value: unknown): Answer => ({ status, headers: { 'Content-Type': 'application/json' }, body: value });
    try {
      if (path === '/__admin/health' && method === 'GET') {
        const health = await control.health();
        return json(health.up ? 200 : 503, { status: health.up ? 'up' : 'down', ...health });
      }
      if (path === '/__admin/requests' && method === 'GET') return json(200, { requests: await control.requests() });
      if (path === '/__admin/requests' && method === 'DELETE') return (await control.clearRequests(), json(200, { cleared: true }));
      if (path === '/__admin/reset' && method === 'POST') return (await control.reset(), json(200, { reset: true }));
      if (path === '/__admin/faults' && method === 'POST') return json(201, await control.fault(body as FaultSpec));
      if (path === '/__admin/seed' && method === 'POST') return (await control.seed(body as SandboxSeed), json(200, { seeded: true }));
      return json(404, { error: 'not_found', message: `No admin endpoint ${method} ${path}. There are GET /__admin/health, GET/DELETE /__admin/requests, POST /__admin/reset, POST /__admin/faults, POST /__admin/seed, POST /__admin/sessions, GET/DELETE /__admin/sessions/{id}.` });
    } catch (failure) {
      if (failure instanceof SandboxAdminError) return json(400, { error: 'bad_request', message: failure.message });
      if (failure instanceof StoreUnavailableError) return json(503, { error: 'store_unavailable', message: failure.message });
      throw failure;
    }
  }

  return { control, handle, admin, record };
  }

  /** How the sandbox checks a scheme's credentials (as `handleWithStore` does). */
  const credentialCheck = (scheme: HttpSecurityScheme): MockCapabilities['credentials'][string] => {
    if (hasTokenEndpoint && (scheme.type === 'oauth2' || (scheme.type === 'http' && scheme.scheme === 'bearer'))) return 'issued';
    if (scheme.type === 'apiKey' && scheme.in === 'header' && scheme.name.toLowerCase() === 'x-api-key') return shared.settings.apiKeys ? 'listed' : 'any';
    return 'presence';
  };
  const capabilities: MockCapabilities = {
    server: 'carrier-mock',
    mode: 'sandbox',
    api,
    credentials: Object.fromEntries(securitySchemesOf(operations).map((scheme) => [scheme.key, credentialCheck(scheme)])),
    behaviour: operations.map((operation) => operation.iid!).filter((operationId) => behaviour.rules[operationId] !== undefined),
    idempotency: operations.some(declaresIdempotencyKey),
  };
  return { layer: { handle, admin, record }, control: defaultScope.control, capabilities, sessions: { ...sessions, control: async (id) => {
    const found = await sessions.get(id);
    if (!found) throw new SandboxAdminError(`No session "${id}" (it expired, was deleted, or was never created).`);
    return scopeOf(found).control;
  } } };
}

/** A `status` fault: the documented example of that status when there is one, else the API's error body. */
function faultAnswer(request: PreparedRequest, status: number, error: RuleContext['error']): Answer {
  const documented = request.operation.responses.find((response) => response.code === String(status))?.contents?.find((content) => /json/.test(content.mediaType));
  const example = documented?.examples?.[0] as { value?: unknown } | undefined;
  if (example && 'value' in example) return { status, headers: { 'Content-Type': documented!.mediaType }, body: example.value };
  return error(status, `Fault injected: ${status} for ${request.operationId}`);
}

const faultFields = ['operationId', 'status', 'delayMs', 'drop', 'times', 'probability', 'seed', 'latency', 'body', 'dribble', 'retryAfterSeconds'] as const;
/** The longest `delayMs` a fault may ask for, and the longest latency or dribble it may draw: 10 minutes. */
export const maxFaultDelayMs = 600_000;

/**
 * Why a fault cannot be installed, naming the field and the rule; undefined when it can. A fault
 * is validated like an API request, whole, before anything is stored: one that would break the
 * exchange instead of answering it (a 1xx status, RFC 9110 §15.2: an interim response, never the
 * final one, so the client waits for good) is refused, not accepted and then broken.
 */
export function faultProblem(spec: unknown, operationIds: Set<string | undefined>): string | undefined {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) return 'A fault is a JSON object: {"operationId": "...", "status" | "delayMs" | "drop" | "latency" | "body" | "dribble", "times"?, "probability"?, "seed"?}.';
  const fault = spec as Record<string, unknown>;
  const unknown = Object.keys(fault).filter((name) => !(faultFields as readonly string[]).includes(name));
  if (unknown.length > 0) return `Unknown fault field ${unknown.map((name) => `"${name}"`).join(', ')}; the fields are ${faultFields.join(', ')}.`;
  if (typeof fault.operationId !== 'string' || !operationIds.has(fault.operationId)) return `"operationId" must be one of ${[...operationIds].join(', ')}; got ${JSON.stringify(fault.operationId)}.`;
  if (['status', 'delayMs', 'drop', 'latency', 'body', 'dribble'].every((name) => fault[name] === undefined)) return 'A fault needs "status", "delayMs", "drop", "latency", "body" or "dribble".';
  if (fault.status !== undefined && (!Number.isInteger(fault.status) || (fault.status as number) < 200 || (fault.status as number) > 599)) {
    return `"status" must be an integer from 200 to 599, a final answer (a 1xx is an interim response, RFC 9110 §15.2); got ${JSON.stringify(fault.status)}.`;
  }
  const ms = (value: unknown) => Number.isInteger(value) && (value as number) >= 0 && (value as number) <= maxFaultDelayMs;
  if (fault.delayMs !== undefined && !ms(fault.delayMs)) return `"delayMs" must be an integer from 0 to ${maxFaultDelayMs} (milliseconds); got ${JSON.stringify(fault.delayMs)}.`;
  if (fault.drop !== undefined && fault.drop !== 'before' && fault.drop !== 'after') return `"drop" must be "before" or "after"; got ${JSON.stringify(fault.drop)}.`;
  if (fault.status !== undefined && fault.drop !== undefined) return '"status" and "drop" cannot be combined: a status fault answers, a drop closes the connection unanswered.';
  if (fault.times !== undefined && (!Number.isInteger(fault.times) || (fault.times as number) < 1)) return `"times" must be a positive integer; got ${JSON.stringify(fault.times)}.`;
  if (fault.probability !== undefined && (typeof fault.probability !== 'number' || !(fault.probability > 0 && fault.probability <= 1))) return `"probability" must be a number above 0 and at most 1; got ${JSON.stringify(fault.probability)}.`;
  if (fault.seed !== undefined && !Number.isSafeInteger(fault.seed)) return `"seed" must be an integer; got ${JSON.stringify(fault.seed)}.`;
  if (fault.latency !== undefined) {
    const latency = fault.latency as Record<string, unknown>;
    const kind = typeof latency === 'object' && latency !== null ? latency.distribution : undefined;
    const fields: Record<string, string[]> = { fixed: ['ms'], uniform: ['minMs', 'maxMs'], lognormal: ['medianMs', 'sigma'] };
    if (typeof kind !== 'string' || !fields[kind]) return `"latency.distribution" must be "fixed", "uniform" or "lognormal"; got ${JSON.stringify(kind)}.`;
    const extra = Object.keys(latency).filter((name) => name !== 'distribution' && !fields[kind]!.includes(name));
    if (extra.length > 0) return `"latency.${extra[0]}" is not a field of a ${kind} latency (it takes ${fields[kind]!.join(', ')}).`;
    for (const name of fields[kind]!.filter((name) => name.endsWith('Ms') || name === 'ms')) if (!ms(latency[name])) return `"latency.${name}" must be an integer from 0 to ${maxFaultDelayMs} (milliseconds); got ${JSON.stringify(latency[name])}.`;
    if (kind === 'uniform' && (latency.minMs as number) > (latency.maxMs as number)) return `"latency.minMs" must be at most "latency.maxMs"; got ${latency.minMs} and ${latency.maxMs}.`;
    if (kind === 'lognormal' && (typeof latency.sigma !== 'number' || !(latency.sigma >= 0 && latency.sigma <= 4))) return `"latency.sigma" must be a number from 0 to 4; got ${JSON.stringify(latency.sigma)}.`;
  }
  if (fault.body !== undefined && fault.body !== 'truncate' && fault.body !== 'malformed') return `"body" must be "truncate" or "malformed"; got ${JSON.stringify(fault.body)}.`;
  if (fault.dribble !== undefined) {
    const dribble = fault.dribble as Record<string, unknown>;
    if (typeof dribble !== 'object' || dribble === null || !ms(dribble.durationMs)) return `"dribble.durationMs" must be an integer from 0 to ${maxFaultDelayMs} (milliseconds); got ${JSON.stringify(dribble?.durationMs)}.`;
    if (dribble.chunks !== undefined && (!Number.isInteger(dribble.chunks) || (dribble.chunks as number) < 2 || (dribble.chunks as number) > 1000)) return `"dribble.chunks" must be an integer from 2 to 1000; got ${JSON.stringify(dribble.chunks)}.`;
    const extra = Object.keys(dribble).filter((name) => name !== 'durationMs' && name !== 'chunks');
    if (extra.length > 0) return `"dribble.${extra[0]}" is not a field of dribble (it takes durationMs, chunks).`;
  }
  if ((fault.body !== undefined || fault.dribble !== undefined) && fault.drop !== undefined) return '"body" and "dribble" break an answer; "drop" sends none: they cannot be combined.';
  if (fault.body === 'truncate' && fault.dribble !== undefined) return '"body": "truncate" and "dribble" cannot be combined: choose one way to send the body.';
  if (fault.retryAfterSeconds !== undefined) {
    if (fault.status !== 429 && fault.status !== 503) return '"retryAfterSeconds" goes with "status" 429 or 503 (RFC 9110 §10.2.3 and RFC 6585 §4).';
    if (!Number.isInteger(fault.retryAfterSeconds) || (fault.retryAfterSeconds as number) < 0 || (fault.retryAfterSeconds as number) > 86_400) return `"retryAfterSeconds" must be an integer from 0 to 86400; got ${JSON.stringify(fault.retryAfterSeconds)}.`;
  }
  return undefined;
}

/** A number in [0, 1) for the n-th draw of a seeded fault (mulberry32 over seed and n): the same on every run and instance. */
function seededDraw(seed: number, n: number): number {
  let t = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(n | 0, 0x85ebca6b)) >>> 0;
  t = (t + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** A latency drawn from its distribution, in ms, from two draws in [0, 1); at most maxFaultDelayMs. */
function latencyMs(latency: FaultLatency, u1: number, u2: number): number {
  if (latency.distribution === 'fixed') return latency.ms;
  if (latency.distribution === 'uniform') return Math.round(latency.minMs + (latency.maxMs - latency.minMs) * u1);
  // Box-Muller: a standard normal from two uniforms; exp(ln(median) + sigma * z).
  const z = Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  return Math.min(maxFaultDelayMs, Math.round(latency.medianMs * Math.exp(latency.sigma * z)));
}

const seedLists = ['dataPools', 'subscribers', 'services', 'countries', 'servicePackages', 'packages', 'dataGiftingServices'] as const;

/** Why a seed cannot be used, naming the field; undefined when it can. */
export function seedProblem(seed: unknown): string | undefined {
  if (typeof seed !== 'object' || seed === null || Array.isArray(seed)) return 'A seed is a JSON object such as {"dataPools": [...]}.';
  for (const [name, value] of Object.entries(seed)) {
    if (name === 'pin') {
      if (typeof value !== 'string' || value === '') return '"pin" must be a non-empty string.';
      continue;
    }
    if (!(seedLists as readonly string[]).includes(name)) return `Unknown seed field "${name}"; the fields are pin, ${seedLists.join(', ')}.`;
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'object' || item === null || Array.isArray(item))) return `"${name}" must be a list of objects.`;
  }
  const seeded = seed as SandboxSeed;
  for (const [index, pool] of (seeded.dataPools ?? []).entries()) {
    if (typeof pool.serviceKey !== 'string' || typeof pool.operator !== 'string') return `dataPools[${index}] needs "serviceKey" and "operator" strings.`;
    if (!Number.isInteger(pool.totalAmount) || pool.totalAmount < 0) return `dataPools[${index}].totalAmount must be a non-negative integer (MB).`;
    if (pool.assignedAmount !== undefined && (!Number.isInteger(pool.assignedAmount) || pool.assignedAmount < 0 || pool.assignedAmount > pool.totalAmount)) {
      return `dataPools[${index}].assignedAmount must be an integer from 0 to totalAmount (MB).`;
    }
  }
  for (const [index, subscriber] of (seeded.subscribers ?? []).entries()) if (typeof subscriber.msisdn !== 'string') return `subscribers[${index}] needs an "msisdn" string.`;
  for (const [index, entry] of (seeded.packages ?? []).entries()) if (!Array.isArray(entry.packages)) return `packages[${index}].packages must be a list.`;
  return undefined;
}

/** Every security scheme the operations use, once each (by its name in `components.securitySchemes`). */
export function securitySchemesOf(operations: IHttpOperation[]): HttpSecurityScheme[] {
  const schemes = new Map<string, HttpSecurityScheme>();
  for (const operation of operations) for (const alternative of operation.security ?? []) for (const scheme of alternative) schemes.set(scheme.key, scheme);
  return [...schemes.values()];
}

function needsBearer(operation: IHttpOperation): boolean {
  return (operation.security ?? []).some((alternative) => alternative.some((scheme) => scheme.type === 'oauth2' || (scheme.type === 'http' && scheme.scheme === 'bearer')));
}

function needsApiKey(operation: IHttpOperation): boolean {
  return (operation.security ?? []).some((alternative) => alternative.some((scheme) => scheme.type === 'apiKey' && scheme.in === 'header' && scheme.name.toLowerCase() === 'x-api-key'));
}

function declaresIdempotencyKey(operation: IHttpOperation): boolean {
  return (operation.request?.headers ?? []).some((header) => header.name.toLowerCase() === 'idempotency-key');
}

function maskHeaders(headers: MockRequest['headers']): Record<string, string> {
  const masked: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    masked[name] = secretHeaders.has(name.toLowerCase()) ? (name.toLowerCase() === 'authorization' ? text.replace(/^(\S+\s+)?.*$/, `$1${mask}`) : mask) : text;
  }
  return masked;
}

/** Whether a field, header-less, names a secret: compared decoded and in any case (`Password`, `pass%77ord`). */
const isSecretField = (name: string) => secretFields.has(name.toLowerCase());

/**
 * A URL-encoded form or query with the value of every secret field masked, the names compared
 * after decoding (`pass%77ord=...` is `password`); undefined when it holds none, so that text
 * that only looks like a form is kept byte for byte.
 */
function maskForm(text: string): string | undefined {
  if (!text.includes('=')) return undefined;
  const form = new URLSearchParams(text);
  if (![...form.keys()].some(isSecretField)) return undefined;
  const masked = new URLSearchParams();
  for (const [name, value] of form) masked.append(name, isSecretField(name) ? mask : value);
  return masked.toString();
}

/** A journaled path with the secrets of its query masked (`?access_token=...`). */
function maskPath(path: string): string {
  const at = path.indexOf('?');
  if (at === -1) return path;
  const query = maskForm(path.slice(at + 1));
  return query === undefined ? path : `${path.slice(0, at)}?${query}`;
}

/**
 * Secrets masked at any depth up to 32, names compared decoded and in any case: JSON fields, and
 * a text body read as a form; deeper content is journaled as "[too deep]" (a 5000-deep array
 * must not blow the stack).
 */
function maskBody(body: unknown, depth = 0): unknown {
  if (depth > 32) return '[too deep]';
  if (typeof body === 'string') return maskForm(body) ?? body;
  if (Array.isArray(body)) return body.map((item) => maskBody(item, depth + 1));
  if (typeof body === 'object' && body !== null) {
    return Object.fromEntries(Object.entries(body).map(([name, value]) => [name, isSecretField(name) ? mask : maskBody(value, depth + 1)]));
  }
  return body;
}
