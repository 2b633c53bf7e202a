import { StoreUnavailableError, type SandboxStore, type StoreHealth } from '../../src/index.js';

type Method = Exclude<keyof SandboxStore, 'health'>;
const methods: Method[] = ['get', 'set', 'setIfAbsent', 'compareAndSet', 'incr', 'delete', 'append', 'list', 'deletePrefix'];
const writes = new Set<Method>(['set', 'setIfAbsent', 'compareAndSet', 'incr', 'delete', 'append', 'deletePrefix']);

/** A call of the store, as the sandbox made it: method, key, the other arguments. */
export interface StoreCall {
  method: Method;
  key: string;
  args: unknown[];
}

/**
 * A real store (memory or Redis) that goes down on cue: `failOn(match, { downMs })` makes the first
 * call matching `match` fail with StoreUnavailableError, unapplied, and every call after it for
 * `downMs` ms, as a Redis that stops answering would. `effects` lists the writes that took effect.
 */
export class FlakyStore implements SandboxStore {
  readonly effects: StoreCall[] = [];
  private trigger: ((call: StoreCall) => boolean) | undefined;
  private triggers = 0;
  private downFor = 0;
  private downUntil = 0;

  constructor(readonly inner: SandboxStore) {
    for (const method of methods) {
      (this as unknown as Record<string, unknown>)[method] = async (key: string, ...args: unknown[]) => {
        const call = { method, key, args };
        if (this.triggers > 0 && this.trigger?.(call)) {
          if (--this.triggers === 0) this.trigger = undefined;
          this.downUntil = Date.now() + this.downFor;
          throw new StoreUnavailableError(`store down on cue (${method} ${key})`);
        }
        if (Date.now() < this.downUntil) throw new StoreUnavailableError(`store down (${method} ${key})`);
        const result = await (inner[method] as (...rest: unknown[]) => Promise<unknown>)(key, ...args);
        if (writes.has(method) && result !== false) this.effects.push(call);
        return result;
      };
    }
  }

  /** The first `times` calls matching `match` fail, and the store stays down `downMs` ms after each. */
  failOn(match: (call: StoreCall) => boolean, { downMs = 0, times = 1 }: { downMs?: number; times?: number } = {}): void {
    this.trigger = match;
    this.triggers = times;
    this.downFor = downMs;
  }

  async health(): Promise<StoreHealth> {
    return Date.now() < this.downUntil ? { up: false, store: 'flaky', detail: 'down on cue' } : { up: true, store: 'flaky' };
  }

  declare get: SandboxStore['get'];
  declare set: SandboxStore['set'];
  declare setIfAbsent: SandboxStore['setIfAbsent'];
  declare compareAndSet: SandboxStore['compareAndSet'];
  declare incr: SandboxStore['incr'];
  declare delete: SandboxStore['delete'];
  declare append: SandboxStore['append'];
  declare list: SandboxStore['list'];
  declare deletePrefix: SandboxStore['deletePrefix'];
}
