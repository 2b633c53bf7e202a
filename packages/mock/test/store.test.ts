import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore, RedisStore, StoreUnavailableError, type SandboxStore } from '../src/index.js';
import { startTestRedis, type TestRedis } from './support/redis.js';

let redis: TestRedis;
const redisStores: RedisStore[] = [];
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await Promise.all(redisStores.map((store) => store.close()));
  await redis?.dispose();
});

let unique = 0;
const stores: Array<[string, () => Promise<SandboxStore>]> = [
  ['MemoryStore', async () => new MemoryStore()],
  [
    'RedisStore',
    async () => {
      const store = new RedisStore({ url: redis.url, prefix: `contract-${++unique}:` });
      redisStores.push(store);
      await store.ready();
      return store;
    },
  ],
];

/** Polls, bounded, until `key` is gone. */
async function untilGone(store: SandboxStore, key: string): Promise<boolean> {
  for (let attempt = 0; attempt < 500; attempt++) {
    if ((await store.get(key)) === undefined) return true;
    await sleep(10);
  }
  return false;
}

describe.each(stores)('%s: the SandboxStore contract', (_name, create) => {
  it('keeps values as JSON: a caller cannot change stored state through a reference', async () => {
    const store = await create();
    const value = { n: 1 };
    await store.set('k', value);
    value.n = 2;
    expect(await store.get('k')).toEqual({ n: 1 });
    expect(await store.get('absent')).toBeUndefined();
  });

  it('expires values after their TTL, and a claim can then be taken again', async () => {
    const store = await create();
    await store.set('long', 'v', { ttlMs: 600_000 });
    await store.set('short', 'v', { ttlMs: 1 });
    expect(await untilGone(store, 'short')).toBe(true);
    expect(await store.get('long')).toBe('v');
    expect(await store.setIfAbsent('short', 'again', { ttlMs: 600_000 })).toBe(true);
    expect(await store.get('short')).toBe('again');
  });

  it('setIfAbsent claims once, compareAndSet swaps only from the expected value', async () => {
    const store = await create();
    expect(await store.setIfAbsent('k', { state: 'running' })).toBe(true);
    expect(await store.setIfAbsent('k', { state: 'other' })).toBe(false);
    expect(await store.compareAndSet('k', { state: 'nope' }, { state: 'done' })).toBe(false);
    expect(await store.compareAndSet('k', { state: 'running' }, { state: 'done' })).toBe(true);
    expect(await store.get('k')).toEqual({ state: 'done' });
    expect(await store.compareAndSet('absent', undefined, 1)).toBe(true);
    expect(await store.compareAndSet('absent', undefined, 2)).toBe(false);
    expect(await store.get('absent')).toBe(1);
  });

  it('compareAndSet keeps the TTL of the value it replaces unless given one', async () => {
    const store = await create();
    await store.set('k', 'a', { ttlMs: 1 });
    expect(await untilGone(store, 'k')).toBe(true);
    await store.set('k', 'a', { ttlMs: 600_000 });
    expect(await store.compareAndSet('k', 'a', 'b')).toBe(true);
    expect(await store.get('k')).toBe('b');
    expect(await store.compareAndSet('k', 'b', 'c', { ttlMs: 1 })).toBe(true);
    expect(await untilGone(store, 'k')).toBe(true);
  });

  it('incr with max refuses and leaves the value when it would pass the max', async () => {
    const store = await create();
    expect(await store.incr('n', 600, { max: 1000 })).toBe(600);
    expect(await store.incr('n', 500, { max: 1000 })).toBeUndefined();
    expect(await store.incr('n', 400, { max: 1000 })).toBe(1000);
    expect(await store.get('n')).toBe(1000);
    expect(await store.incr('other')).toBe(1);
    await store.set('seeded', 2500);
    expect(await store.incr('seeded', 500)).toBe(3000);
  });

  it('incr with max is atomic: 200 concurrent increments of 100 against a max of 10000, exactly 100 succeed', async () => {
    const store = await create();
    const results = await Promise.all(Array.from({ length: 200 }, () => store.incr('pool', 100, { max: 10_000 })));
    expect(results.filter((result) => result !== undefined)).toHaveLength(100);
    expect(await store.get('pool')).toBe(10_000);
  });

  it('setIfAbsent is atomic: of 50 concurrent claims exactly one wins', async () => {
    const store = await create();
    const results = await Promise.all(Array.from({ length: 50 }, (_, index) => store.setIfAbsent('claim', index, { ttlMs: 600_000 })));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('appends to bounded lists, returning what fell off the front', async () => {
    const store = await create();
    for (let index = 1; index <= 3; index++) expect(await store.append('capped', { i: index }, { maxLength: 3 })).toEqual([]);
    expect(await store.append('capped', { i: 4 }, { maxLength: 3 })).toEqual([{ i: 1 }]);
    expect(await store.list('capped')).toEqual([{ i: 2 }, { i: 3 }, { i: 4 }]);
    expect(await store.list('none')).toEqual([]);
  });

  it('keeps lists apart from values, and deletes both by prefix', async () => {
    const store = await create();
    await store.append('a:list', { i: 1 });
    await store.append('a:list', { i: 2 });
    await store.set('a:list', 'a value of the same name');
    await store.set('a:value', 1);
    await store.set('b:value', 2);
    await store.set('a*b', 3);
    expect(await store.list('a:list')).toEqual([{ i: 1 }, { i: 2 }]);
    expect(await store.get('a:list')).toBe('a value of the same name');
    await store.deletePrefix('a:');
    expect(await store.list('a:list')).toEqual([]);
    expect(await store.get('a:value')).toBeUndefined();
    expect(await store.get('b:value')).toBe(2);
    expect(await store.get('a*b')).toBe(3);
    await store.delete('b:value');
    expect(await store.get('b:value')).toBeUndefined();
  });

  it('reports itself up', async () => {
    const store = await create();
    expect((await store.health!()).up).toBe(true);
  });
});

describe('MemoryStore', () => {
  it('expires values on its clock', async () => {
    let now = 1_000;
    const store = new MemoryStore(() => now);
    await store.set('k', 'v', { ttlMs: 100 });
    now += 99;
    expect(await store.get('k')).toBe('v');
    now += 1;
    expect(await store.get('k')).toBeUndefined();
    expect(await store.setIfAbsent('k', 'again')).toBe(true);
  });
});

describe('RedisStore', () => {
  it('keeps two prefixes apart on one Redis', async () => {
    const [a, b] = [new RedisStore({ url: redis.url, prefix: 'team-a:' }), new RedisStore({ url: redis.url, prefix: 'team-b:' })];
    redisStores.push(a, b);
    await Promise.all([a.ready(), b.ready()]);
    await a.set('k', 'a');
    expect(await b.get('k')).toBeUndefined();
    await b.deletePrefix('');
    expect(await a.get('k')).toBe('a');
  });

  it('fails with StoreUnavailableError, not a hang, when Redis cannot be reached, and names a bad URL', async () => {
    expect(() => new RedisStore({ url: 'http://127.0.0.1:6379' })).toThrow(StoreUnavailableError);
    // Port 1 on loopback: nothing listens there.
    const store = new RedisStore({ url: 'redis://127.0.0.1:1', connectTimeoutMs: 500 });
    redisStores.push(store);
    await expect(store.ready(1000)).rejects.toThrow(StoreUnavailableError);
    await expect(store.get('k')).rejects.toThrow(StoreUnavailableError);
    expect(await store.health()).toMatchObject({ up: false });
  });
});
