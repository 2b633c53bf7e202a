import { Redis, ReplyError } from 'ioredis';
import { StoreUnavailableError, type SandboxStore, type StoreHealth } from './store.js';

export { StoreUnavailableError };

/** How to reach the Redis a {@link RedisStore} keeps its state in. */
export interface RedisStoreOptions {
  /** `redis://[user:password@]host:port[/db]` (or `rediss://`), e.g. `redis://127.0.0.1:6379/0`. */
  url: string;
  /**
   * Prepended to every key, so that several sandboxes can share one Redis without seeing each
   * other's state. Default `"carrier-mock:"`; each API of a sandbox keeps its keys under
   * `<prefix><api>:` (e.g. `carrier-mock:centili-payments:token:…`).
   */
  prefix?: string;
  /** Milliseconds one command may take before it fails with {@link StoreUnavailableError}. Default 2000. */
  commandTimeoutMs?: number;
  /** Milliseconds a connection attempt may take. Default 2000. */
  connectTimeoutMs?: number;
}

/** The default key prefix of a Redis-backed sandbox. */
export const defaultRedisPrefix = 'carrier-mock:';

/** Lists get their own suffix: the store's lists are a namespace apart from its values. */
const listSuffix = '#list';

// Every rule that must hold across instances is one of these scripts or one atomic command: Redis
// runs a script without interleaving any other command, so no read-then-write happens in Node.
const scripts = {
  /** KEYS[1]; ARGV: by, max ('' = none). nil when the result would pass max; INCRBY keeps the TTL. */
  incrMax: `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local by = tonumber(ARGV[1])
if ARGV[2] ~= '' and current + by > tonumber(ARGV[2]) then return false end
if by % 1 == 0 and current % 1 == 0 then return redis.call('INCRBY', KEYS[1], ARGV[1]) end
return redis.call('INCRBYFLOAT', KEYS[1], ARGV[1])`,
  /** KEYS[1]; ARGV: absent ('1' = expect no value), expected JSON, next JSON, ttlMs ('' = keep the TTL). 1 when swapped. */
  compareAndSet: `
local current = redis.call('GET', KEYS[1])
if ARGV[1] == '1' then
  if current then return 0 end
elseif current ~= ARGV[2] then return 0 end
if ARGV[4] ~= '' then redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
elseif current then redis.call('SET', KEYS[1], ARGV[3], 'KEEPTTL')
else redis.call('SET', KEYS[1], ARGV[3]) end
return 1`,
};

type ScriptedRedis = Redis & {
  carrierIncrMax(key: string, by: string, max: string): Promise<number | string | null>;
  carrierCompareAndSet(key: string, absent: string, expected: string, next: string, ttlMs: string): Promise<number>;
};

const pxOf = (ttlMs: number) => String(Math.max(1, Math.ceil(ttlMs)));
/** Escapes the glob characters of SCAN MATCH. */
const globEscape = (text: string) => text.replace(/[*?[\]\\]/g, (character) => `\\${character}`);

/**
 * A {@link SandboxStore} in Redis (ioredis), shared by any number of sandbox instances: tokens
 * expire as Redis TTLs, `setIfAbsent` is `SET NX PX`, `incr` with `max` and `compareAndSet` are
 * Lua scripts, `append` with `maxLength` is `RPUSH`+`LRANGE`+`LTRIM` in one `MULTI`. Commands
 * never queue while Redis is unreachable: they fail at once (or after `commandTimeoutMs`) with
 * {@link StoreUnavailableError}, and the client reconnects in the background.
 *
 * TTLs run on Redis's clock; a sandbox's `clock` option still decides token expiry on top.
 */
export class RedisStore implements SandboxStore {
  readonly prefix: string;
  private readonly redis: ScriptedRedis;
  private lastError: string | undefined;

  /**
   * Starts connecting at once; {@link RedisStore.ready} waits for the connection.
   * @throws StoreUnavailableError when `url` is not a `redis://` or `rediss://` URL.
   */
  constructor(readonly options: RedisStoreOptions) {
    if (!/^rediss?:\/\//.test(options.url)) throw new StoreUnavailableError(`The store URL must be redis://host:port[/db] or rediss://...; got "${options.url}".`);
    this.prefix = options.prefix ?? defaultRedisPrefix;
    this.redis = new Redis(options.url, {
      // Fail fast instead of queueing: a request of the sandbox gets its 503 rather than hanging.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      commandTimeout: options.commandTimeoutMs ?? 2000,
      connectTimeout: options.connectTimeoutMs ?? 2000,
      // Reconnect for ever, at most once a second: the sandbox recovers by itself when Redis is back.
      retryStrategy: (times) => Math.min(times * 100, 1000),
      lazyConnect: false,
      // Commands issued in the same tick (many requests at once) go out in one write.
      enableAutoPipelining: true,
    }) as ScriptedRedis;
    this.redis.defineCommand('carrierIncrMax', { numberOfKeys: 1, lua: scripts.incrMax });
    this.redis.defineCommand('carrierCompareAndSet', { numberOfKeys: 1, lua: scripts.compareAndSet });
    this.redis.on('error', (error: Error) => {
      this.lastError = error.message;
    });
    this.redis.on('ready', () => {
      this.lastError = undefined;
    });
  }

  /**
   * Waits until the connection is ready.
   * @param timeoutMs - milliseconds to wait at most; default 5000.
   * @throws StoreUnavailableError when Redis did not answer in time.
   */
  async ready(timeoutMs = 5000): Promise<void> {
    if (this.redis.status === 'ready') return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.redis.off('ready', onReady);
        reject(new StoreUnavailableError(`Redis at ${redactUrl(this.options.url)} did not answer within ${timeoutMs} ms${this.lastError ? ` (${this.lastError})` : ''}.`));
      }, timeoutMs);
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      this.redis.once('ready', onReady);
    });
  }

  /** Up when Redis answers PING; never throws. */
  async health(): Promise<StoreHealth> {
    const store = `redis ${redactUrl(this.options.url)} prefix ${this.prefix}`;
    if (this.redis.status !== 'ready') return { up: false, store, detail: `connection ${this.redis.status}${this.lastError ? `: ${this.lastError}` : ''}` };
    try {
      await this.redis.ping();
      return { up: true, store };
    } catch (error) {
      return { up: false, store, detail: error instanceof Error ? error.message : String(error) };
    }
  }

  /** Closes the connection at once (pending commands fail). */
  async close(): Promise<void> {
    this.redis.disconnect(false);
  }

  private key(key: string): string {
    return `${this.prefix}${key}`;
  }

  private async run<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      // A reply error that says Redis cannot serve now (a read-only replica after a failover, out of
      // memory, loading, busy with a script) is the store being unavailable: the documented 503, not a 500.
      // A MULTI aborted by such an error (EXECABORT) carries it in previousErrors.
      if (error instanceof ReplyError) {
        const said = [(error as Error).message, ...((error as { previousErrors?: Error[] }).previousErrors ?? []).map((previous) => previous.message)];
        if (!said.some((message) => /^(READONLY|OOM|MASTERDOWN|BUSY|LOADING|TRYAGAIN|CLUSTERDOWN)\b/.test(message))) throw error;
      }
      throw new StoreUnavailableError(`The sandbox store (Redis at ${redactUrl(this.options.url)}) is unavailable: ${error instanceof Error ? error.message : String(error)}`, error);
    }
  }

  async get<T>(key: string): Promise<T | undefined> {
    const text = await this.run(() => this.redis.get(this.key(key)));
    return text === null ? undefined : (JSON.parse(text) as T);
  }

  async set(key: string, value: unknown, options: { ttlMs?: number } = {}): Promise<void> {
    const json = JSON.stringify(value ?? null);
    await this.run(() => (options.ttlMs === undefined ? this.redis.set(this.key(key), json) : this.redis.set(this.key(key), json, 'PX', pxOf(options.ttlMs))));
  }

  async setIfAbsent(key: string, value: unknown, options: { ttlMs?: number } = {}): Promise<boolean> {
    const json = JSON.stringify(value ?? null);
    const written = await this.run(() => (options.ttlMs === undefined ? this.redis.set(this.key(key), json, 'NX') : this.redis.set(this.key(key), json, 'PX', pxOf(options.ttlMs), 'NX')));
    return written === 'OK';
  }

  async compareAndSet(key: string, expected: unknown, next: unknown, options: { ttlMs?: number } = {}): Promise<boolean> {
    const swapped = await this.run(() =>
      this.redis.carrierCompareAndSet(
        this.key(key),
        expected === undefined ? '1' : '0',
        expected === undefined ? '' : JSON.stringify(expected),
        JSON.stringify(next ?? null),
        options.ttlMs === undefined ? '' : pxOf(options.ttlMs),
      ),
    );
    return swapped === 1;
  }

  async incr(key: string, by = 1, options: { max?: number } = {}): Promise<number | undefined> {
    const result = await this.run(() => this.redis.carrierIncrMax(this.key(key), String(by), options.max === undefined ? '' : String(options.max)));
    return result === null ? undefined : Number(result);
  }

  async delete(key: string): Promise<void> {
    await this.run(() => this.redis.del(this.key(key)));
  }

  async append(key: string, value: unknown, options: { maxLength?: number } = {}): Promise<unknown[]> {
    const list = this.key(key) + listSuffix;
    const json = JSON.stringify(value ?? null);
    if (options.maxLength === undefined) {
      await this.run(() => this.redis.rpush(list, json));
      return [];
    }
    const max = options.maxLength;
    // One MULTI: push, read what falls off the front, trim; no other instance's command in between.
    const results = await this.run(async () => {
      const replies = await this.redis
        .multi()
        .rpush(list, json)
        .lrange(list, 0, -(max + 1))
        .ltrim(list, -max, -1)
        .exec();
      if (!replies) throw new Error('MULTI was aborted');
      for (const [error] of replies) if (error) throw error;
      return replies;
    });
    return (results[1]![1] as string[]).map((text) => JSON.parse(text) as unknown);
  }

  async list<T>(key: string): Promise<T[]> {
    const texts = await this.run(() => this.redis.lrange(this.key(key) + listSuffix, 0, -1));
    return texts.map((text) => JSON.parse(text) as T);
  }

  /** SCAN (bounded by Redis's cursor) and UNLINK: values and lists under `prefix`. */
  async deletePrefix(prefix: string): Promise<void> {
    const match = `${globEscape(this.key(prefix))}*`;
    await this.run(async () => {
      let cursor = '0';
      do {
        const [next, keys] = await this.redis.scan(cursor, 'MATCH', match, 'COUNT', 500);
        if (keys.length > 0) await this.redis.unlink(...keys);
        cursor = next;
      } while (cursor !== '0');
    });
  }
}

/** The URL without its password, for messages. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}
