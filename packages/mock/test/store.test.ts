import { describe, expect, it } from 'vitest';
import { MemoryStore, type SandboxStore } from '../src/index.js';

describe('MemoryStore', () => {
  it('keeps values as JSON: a caller cannot change stored state through a reference', async () => {
    const store: SandboxStore = new MemoryStore();
    const value = { n: 1 };
    await store.set('k', value);
    value.n = 2;
    expect(await store.get('k')).toEqual({ n: 1 });
  });

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

  it('setIfAbsent claims once, compareAndSet swaps only from the expected value', async () => {
    const store = new MemoryStore();
    expect(await store.setIfAbsent('k', { state: 'running' })).toBe(true);
    expect(await store.setIfAbsent('k', { state: 'other' })).toBe(false);
    expect(await store.compareAndSet('k', { state: 'nope' }, { state: 'done' })).toBe(false);
    expect(await store.compareAndSet('k', { state: 'running' }, { state: 'done' })).toBe(true);
    expect(await store.get('k')).toEqual({ state: 'done' });
    expect(await store.compareAndSet('absent', undefined, 1)).toBe(true);
  });

  it('incr with max refuses and leaves the value when it would pass the max', async () => {
    const store = new MemoryStore();
    expect(await store.incr('n', 600, { max: 1000 })).toBe(600);
    expect(await store.incr('n', 500, { max: 1000 })).toBeUndefined();
    expect(await store.incr('n', 400, { max: 1000 })).toBe(1000);
    expect(await store.incr('other')).toBe(1);
  });

  it('appends to lists and deletes by prefix, values and lists alike', async () => {
    const store = new MemoryStore();
    await store.append('a:list', { i: 1 });
    await store.append('a:list', { i: 2 });
    await store.set('a:value', 1);
    await store.set('b:value', 2);
    expect(await store.list('a:list')).toEqual([{ i: 1 }, { i: 2 }]);
    await store.deletePrefix('a:');
    expect(await store.list('a:list')).toEqual([]);
    expect(await store.get('a:value')).toBeUndefined();
    expect(await store.get('b:value')).toBe(2);
  });
});
