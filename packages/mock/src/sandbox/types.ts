import type { Answer, PreparedRequest } from '../responder.js';
import type { RedisStoreOptions } from './redis-store.js';
import type { SandboxStore } from './store.js';

/** A data pool of Centili Data Gifting: what one (serviceKey, operator) may assign, in MB. */
export interface DataPoolSeed {
  serviceKey: string;
  operator: string;
  /** MB. */
  totalAmount: number;
  /** MB already assigned at start. Default 0. */
  assignedAmount?: number;
  /** `yyyy-MM-dd HH:mm:ss`. */
  expirationDate?: string;
}

/** A subscriber the sandbox knows: which operator and country a MSISDN belongs to. */
export interface SubscriberSeed {
  msisdn: string;
  operator?: string;
  country?: string;
}

/** What a sandbox starts from (and returns to on reset). Each list replaces the documents' examples it defaults to. */
export interface SandboxSeed {
  /** The PIN `submitPin` accepts, replacing the `pin` option (e.g. through `POST /__admin/seed`). */
  pin?: string;
  /** Centili Data Gifting pools. Default: the spec's balance example for its example serviceKey and FR_ORANGE. */
  dataPools?: DataPoolSeed[];
  /** Subscribers (MSISDN → operator, country). */
  subscribers?: SubscriberSeed[];
  /** Centili Services API: the services `searchServices` answers from (objects as the spec's Service schema). Default: the spec's examples. */
  services?: Record<string, unknown>[];
  /** Centili Services API: the countries `searchCountries` answers from, each with its `serviceKey` (objects as the spec's Country schema). Default: the spec's example. */
  countries?: Record<string, unknown>[];
  /** Centili Services API: the packages `searchPackages` answers from, each with its `serviceKey` and `countryCode`. Default: the spec's examples. */
  servicePackages?: Record<string, unknown>[];
  /** Centili Packages v3: operator package lists (`{serviceKey, country, operatorCode, ...}` as the spec's OperatorPackages). Default: the spec's examples. */
  packages?: Record<string, unknown>[];
  /** Centili Data Gifting `listServices`: the merchant's services. Default: the spec's example. */
  dataGiftingServices?: Record<string, unknown>[];
}

/** The sandbox mode of `startMock()` / `carrier-mock --sandbox`. Every field is optional. */
export interface SandboxOptions {
  /** The PIN `submitPin` accepts. Default `"1234"`. */
  pin?: string;
  /** Wrong PINs a transaction takes before every further PIN submission gets 429. Default 3. */
  maxPinAttempts?: number;
  /** Seconds an access token lives (`expires_in`). Default 300, as the spec's token example. */
  tokenTtlSeconds?: number;
  /** Seconds a refresh token lives (`refresh_expires_in`). Default 1800, as the spec's token example. */
  refreshTokenTtlSeconds?: number;
  /** When given, the password grant accepts only these; by default any non-empty username and password. */
  users?: Array<{ username: string; password: string }>;
  /** MTN: when given, only these `X-API-Key` values pass (others get the documented 401); by default any key. */
  apiKeys?: string[];
  /** Milliseconds a finished Idempotency-Key is remembered. Default 24 h. */
  idempotencyTtlMs?: number;
  /**
   * Milliseconds a request holding an Idempotency-Key stays its owner without renewing (it renews
   * every third of it while it executes): a key answers 409 at most this long after its request
   * stopped or lost the store. Default 5000.
   */
  idempotencyLeaseMs?: number;
  /** How many requests the journal keeps per API, the oldest dropped first. Default 10000. */
  journalLimit?: number;
  /**
   * Bytes one journal entry may take as JSON, at least 1024; a larger request is journaled with
   * its header values, path and body cut, each cut part marked with its full size. The journal of
   * an API holds at most `journalLimit` × this: 10,000 × 4 KiB = 40 MB at the defaults. Default 4096.
   */
  journalEntryMaxBytes?: number;
  /** Start state; `POST /__admin/seed` or `mock.seed()` replace it at run time. */
  seed?: SandboxSeed;
  /**
   * The state store; default a new in-memory one per `startMock()` call. Share one to make
   * several sandboxes act as one: `{ url: 'redis://127.0.0.1:6379/0', prefix? }` keeps every
   * piece of state in Redis (`startMock` connects, waits for it, and closes it on `close()`),
   * so that sandboxes in any number of processes sharing that Redis and prefix act as one; or
   * any `SandboxStore` of yours (you close it).
   */
  store?: SandboxStore | RedisStoreOptions;
  /** The clock, in milliseconds since the epoch (token expiry, journal times). Default `Date.now`. */
  clock?: () => number;
}

/** A fault to inject, WireMock style. */
export interface FaultSpec {
  /** The operation it hits, e.g. `startTransaction`. */
  operationId: string;
  /** Answer with this status (its documented example, else the API's error body) without executing. */
  status?: number;
  /** Execute after waiting this many milliseconds. */
  delayMs?: number;
  /** Close the connection without answering: `before` executing, or `after` executing. */
  drop?: 'before' | 'after';
  /** How many requests it hits; default every one until reset. */
  times?: number;
  /** Hit only this share of the requests it matches, more than 0 and at most 1 (default 1). */
  probability?: number;
  /** Makes `probability` and `latency` a repeatable sequence: the n-th request it matches draws the same on every run, on any instance. */
  seed?: number;
  /** Execute after a delay drawn from a distribution, in ms (each draw at most 600000). */
  latency?: FaultLatency;
  /** Break the answer: `truncate` sends the headers and half the body, then closes the connection; `malformed` sends invalid JSON under the right content type. */
  body?: 'truncate' | 'malformed';
  /** Send the answer's body in `chunks` (default 10) spread over `durationMs`. */
  dribble?: { durationMs: number; chunks?: number };
  /** With `status` 429 or 503: the `Retry-After` header, in seconds. */
  retryAfterSeconds?: number;
}

/** A latency distribution, in ms: fixed, uniform between two bounds, or lognormal around a median. */
export type FaultLatency = { distribution: 'fixed'; ms: number } | { distribution: 'uniform'; minMs: number; maxMs: number } | { distribution: 'lognormal'; medianMs: number; sigma: number };

/** One request in the journal. Secrets (Authorization, X-API-Key, Cookie and token headers; password, refresh_token, client_secret, access_token and pin fields, their names compared decoded and in any case, in the body and the query) are masked. */
export interface JournalEntry {
  id: string;
  /** ISO 8601, when it arrived. */
  time: string;
  method: string;
  /** Path and query as sent. */
  path: string;
  operationId?: string;
  /** The status answered; null while it executes or when the connection was dropped. */
  status: number | null;
  headers: Record<string, string>;
  /** As sent, secrets masked; a body cut to fit `journalEntryMaxBytes` is the start of its JSON text, ending in `… [truncated: N bytes]`. */
  body: unknown;
  /** Set only when the body was cut: its full size, in bytes (UTF-8 of its JSON text). */
  bodyBytes?: number;
  /** The fault that hit this request: its id and what it did (`status`, `latency`, `truncate`...). */
  fault?: { id: string; kinds: string[] };
}

/** Selects journal entries: every given field must match. */
export interface RequestFilter {
  method?: string;
  operationId?: string;
  /** Matches the path without its query. */
  path?: string;
  status?: number;
}

export interface ResolvedSandboxSettings {
  pin: string;
  maxPinAttempts: number;
  tokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  users?: Array<{ username: string; password: string }>;
  apiKeys?: string[];
  idempotencyTtlMs: number;
  idempotencyLeaseMs: number;
  journalLimit: number;
  journalEntryMaxBytes: number;
  clock: () => number;
}

export interface RuleContext {
  api: string;
  request: PreparedRequest;
  /** This API's state. */
  store: SandboxStore;
  /** Where issued tokens live: this API's state, or a realm several APIs share. */
  tokens: SandboxStore;
  settings: ResolvedSandboxSettings;
  /** The seed in force (options, or the last `POST /__admin/seed`). */
  seed(): Promise<SandboxSeed>;
  /** Who is calling: the token's username (Centili), the API key (MTN). */
  principal: string;
  /** The API's documented error body for `status`. */
  error(status: number, message: string, code?: string): Answer;
  json(body: unknown, status?: number, headers?: Record<string, string>): Answer;
}

/**
 * A behaviour rule: the handler of one operation. The vendor sentence it implements and what it
 * decides where the document is silent are not here but beside the spec: the operation's
 * `x-behaviour` (`implements`, `x-inferred`) in specs/<api>/openapi.yaml, reviewed with the spec,
 * shown in the reference, and checked by lint (carrier/behaviour-names-its-sentence).
 */
export interface Rule {
  handle(context: RuleContext): Promise<Answer>;
}

/** One API's behaviour: its rules by operationId (their sentences are the spec's `x-behaviour`) and the seed its state starts from. */
export interface ApiBehaviour {
  rules: Record<string, Rule>;
  /** The documents' own examples, used unless the options seed something else. */
  defaultSeed?: SandboxSeed;
}
