/**
 * Where a sandbox keeps its state. Every rule that must hold across sandbox instances sharing one
 * store (a PIN attempt limit, a data pool that cannot be oversold, an Idempotency-Key executed
 * once) is ONE call of this interface, so that a shared store can make it atomic: `setIfAbsent`
 * is Redis `SET NX PX`, `incr` with `max` a short Lua script around `INCRBY`, `compareAndSet` a
 * Lua compare-and-swap (or WATCH/MULTI). Values are JSON; keys are plain strings.
 */
export interface SandboxStore {
  /** The value at `key`, or undefined (also once its TTL has passed). */
  get<T>(key: string): Promise<T | undefined>;
  /** Writes `value`; `ttlMs` (milliseconds) makes it expire. */
  set(key: string, value: unknown, options?: { ttlMs?: number }): Promise<void>;
  /** Writes only when `key` holds nothing; true when it wrote. */
  setIfAbsent(key: string, value: unknown, options?: { ttlMs?: number }): Promise<boolean>;
  /** Replaces the value when it equals `expected` (as JSON); true when it replaced. */
  compareAndSet(key: string, expected: unknown, next: unknown, options?: { ttlMs?: number }): Promise<boolean>;
  /**
   * Adds `by` (default 1) to the number at `key` (missing: 0) and returns the result; with `max`,
   * leaves it unchanged and returns undefined when the result would exceed `max`.
   */
  incr(key: string, by?: number, options?: { max?: number }): Promise<number | undefined>;
  /** Deletes the value at `key` (not a list). */
  delete(key: string): Promise<void>;
  /**
   * Appends to the list at `key`; lists are a namespace of their own, read with `list`. With
   * `maxLength`, the oldest items beyond it are removed (Redis `RPUSH` + `LTRIM`) and returned.
   */
  append(key: string, value: unknown, options?: { maxLength?: number }): Promise<unknown[]>;
  /** The list at `key`, oldest first. */
  list<T>(key: string): Promise<T[]>;
  /** Deletes every key starting with `prefix`. */
  deletePrefix(prefix: string): Promise<void>;
  /** Whether the store answers (`GET /__admin/health`); a store without it is taken as up. Never throws. */
  health?(): Promise<StoreHealth>;
}

/** What `GET /__admin/health` reports of a store. */
export interface StoreHealth {
  up: boolean;
  /** Which store, e.g. `memory` or `redis redis://127.0.0.1:6379 prefix carrier-mock:`. */
  store: string;
  /** Why it is down. */
  detail?: string;
}

interface Entry {
  json: string;
  expiresAt?: number;
}

/**
 * The default store: a Map in this process. Values are stored as JSON text, so a caller can
 * never change stored state through a reference, as with a remote store.
 */
export class MemoryStore implements SandboxStore {
  private readonly entries = new Map<string, Entry>();
  /** Lists live apart from values (appending is O(1)), as Redis lists do. */
  private readonly lists = new Map<string, string[]>();

  /** @param now the clock TTLs are measured with, in milliseconds since the epoch. */
  constructor(private readonly now: () => number = Date.now) {}

  private read(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private write(key: string, value: unknown, ttlMs?: number): void {
    this.entries.set(key, { json: JSON.stringify(value ?? null), expiresAt: ttlMs === undefined ? undefined : this.now() + ttlMs });
  }

  async get<T>(key: string): Promise<T | undefined> {
    const entry = this.read(key);
    return entry === undefined ? undefined : (JSON.parse(entry.json) as T);
  }

  async set(key: string, value: unknown, options: { ttlMs?: number } = {}): Promise<void> {
    this.write(key, value, options.ttlMs);
  }

  async setIfAbsent(key: string, value: unknown, options: { ttlMs?: number } = {}): Promise<boolean> {
    if (this.read(key) !== undefined) return false;
    this.write(key, value, options.ttlMs);
    return true;
  }

  async compareAndSet(key: string, expected: unknown, next: unknown, options: { ttlMs?: number } = {}): Promise<boolean> {
    const entry = this.read(key);
    const current = entry === undefined ? undefined : entry.json;
    const wanted = expected === undefined ? undefined : JSON.stringify(expected);
    if (current !== wanted) return false;
    this.write(key, next, options.ttlMs ?? (entry?.expiresAt === undefined ? undefined : entry.expiresAt - this.now()));
    return true;
  }

  async incr(key: string, by = 1, options: { max?: number } = {}): Promise<number | undefined> {
    const entry = this.read(key);
    const next = (entry === undefined ? 0 : Number(JSON.parse(entry.json))) + by;
    if (options.max !== undefined && next > options.max) return undefined;
    this.entries.set(key, { json: JSON.stringify(next), expiresAt: entry?.expiresAt });
    return next;
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async append(key: string, value: unknown, options: { maxLength?: number } = {}): Promise<unknown[]> {
    let list = this.lists.get(key);
    if (!list) this.lists.set(key, (list = []));
    list.push(JSON.stringify(value ?? null));
    const excess = options.maxLength === undefined ? 0 : list.length - options.maxLength;
    return excess > 0 ? list.splice(0, excess).map((json) => JSON.parse(json) as unknown) : [];
  }

  async list<T>(key: string): Promise<T[]> {
    return (this.lists.get(key) ?? []).map((json) => JSON.parse(json) as T);
  }

  async deletePrefix(prefix: string): Promise<void> {
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.entries.delete(key);
    for (const key of [...this.lists.keys()]) if (key.startsWith(prefix)) this.lists.delete(key);
  }

  async health(): Promise<StoreHealth> {
    return { up: true, store: 'memory' };
  }
}

/** A view of a store under a key prefix: each sandboxed API keeps its state under its own. */
export function scopedStore(store: SandboxStore, prefix: string): SandboxStore {
  const k = (key: string) => `${prefix}${key}`;
  return {
    get: (key) => store.get(k(key)),
    set: (key, value, options) => store.set(k(key), value, options),
    setIfAbsent: (key, value, options) => store.setIfAbsent(k(key), value, options),
    compareAndSet: (key, expected, next, options) => store.compareAndSet(k(key), expected, next, options),
    incr: (key, by, options) => store.incr(k(key), by, options),
    delete: (key) => store.delete(k(key)),
    append: (key, value, options) => store.append(k(key), value, options),
    list: (key) => store.list(k(key)),
    deletePrefix: (key) => store.deletePrefix(k(key)),
    health: async () => (store.health ? store.health() : { up: true, store: store instanceof MemoryStore ? 'memory' : 'custom' }),
  };
}

/**
 * The store could not be reached (connection refused or lost, a command timed out). The sandbox
 * answers such a request with 503 in the API's error body and reports the store as down on
 * `GET /__admin/health`; the client reconnects by itself.
 */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

