// sandbox.ts imports this module too: these are used only inside functions, after both have loaded.
import { SandboxAdminError, seedProblem } from './sandbox.js';
import type { SandboxStore } from './store.js';
import type { SandboxSeed } from './types.js';

/** What `POST /__admin/sessions` and `mock.createSession()` take; every field optional. */
export interface SessionOptions {
  /** Your own id (a CI job's, say): 1-64 of `A-Z a-z 0-9 . _ -`; default a random UUID. */
  id?: string;
  /** Seconds until the session and all its state are deleted. Default 3600, at most 604800 (7 days). */
  ttlSeconds?: number;
  /** The session's seed, over the options' (a `POST /__admin/seed` in the session goes over it). */
  seed?: SandboxSeed;
}

/** A session as the store keeps it. */
export interface SessionRecord {
  id: string;
  /** When it expires, ms since the epoch. */
  expiresAt: number;
  seed?: SandboxSeed;
}

/** What `POST /__admin/sessions` answers. */
export interface SessionCreated {
  id: string;
  /** ISO 8601. */
  expiresAt: string;
  /** The header that scopes a request to it. */
  header: { 'X-Sandbox-Session': string };
}

/** The sessions of one store, shared by every API and instance on it. */
export interface SandboxSessions {
  create(options?: SessionOptions): Promise<SessionCreated>;
  get(id: string): Promise<SessionRecord | undefined>;
  /** Deletes the session and its state in every API. Idempotent. */
  delete(id: string): Promise<void>;
  /** Deletes the state of sessions that expired; at most once a second, never throws. */
  sweep(): Promise<void>;
}

/** Where a session's state lives: a prefix no API name can produce (API names are kebab-case). */
export const sessionPrefix = (id: string) => `session~${id}:`;
const recordKey = (id: string) => `sessions~${id}`;
const indexKey = 'sessions~index';
const idPattern = /^[A-Za-z0-9._-]{1,64}$/;
const maxTtlSeconds = 7 * 24 * 3600;
const optionFields = ['id', 'ttlSeconds', 'seed'];

/** Why `options` cannot create a session (the field and the rule), or undefined. */
export function sessionProblem(options: unknown): string | undefined {
  if (options === undefined || options === null) return undefined;
  if (typeof options !== 'object' || Array.isArray(options)) return 'The session must be a JSON object: {"ttlSeconds"?: 3600, "seed"?: {...}, "id"?: "..."}.';
  const given = options as Record<string, unknown>;
  const unknown = Object.keys(given).filter((name) => !optionFields.includes(name));
  if (unknown.length > 0) return `${unknown[0]}: not a field of a session (it takes ${optionFields.join(', ')}).`;
  if (given.id !== undefined && (typeof given.id !== 'string' || !idPattern.test(given.id))) return `id must be 1-64 of A-Z a-z 0-9 . _ -; got ${JSON.stringify(given.id)}.`;
  if (given.ttlSeconds !== undefined && (!Number.isInteger(given.ttlSeconds) || (given.ttlSeconds as number) < 1 || (given.ttlSeconds as number) > maxTtlSeconds)) return `ttlSeconds must be an integer from 1 to ${maxTtlSeconds}; got ${JSON.stringify(given.ttlSeconds)}.`;
  if (given.seed !== undefined) {
    const problem = seedProblem(given.seed);
    if (problem) return `seed: ${problem}`;
  }
  return undefined;
}

/**
 * Sessions over `store` (unscoped: shared by every API of a sandbox and every instance on one
 * Redis). A session's record expires with its TTL; its state (under {@link sessionPrefix}) is
 * deleted by the first sweep after that, on any instance.
 *
 * @param store - The sandbox's store, not scoped to an API.
 * @param clock - ms since the epoch.
 */
export function createSessions(store: SandboxStore, clock: () => number): SandboxSessions {
  let lastSweep = 0;
  /** The index of live sessions (id → expiresAt), changed by compare-and-swap; bounded retries. */
  async function updateIndex(change: (index: Record<string, number>) => Record<string, number>): Promise<void> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const index = (await store.get<Record<string, number>>(indexKey)) ?? undefined;
      const next = change({ ...(index ?? {}) });
      if (await store.compareAndSet(indexKey, index, next)) return;
    }
    throw new SandboxAdminError('The session index changed 20 times while it was being updated; try again.');
  }
  const sessions: SandboxSessions = {
    async create(options = {}) {
      const problem = sessionProblem(options);
      if (problem) throw new SandboxAdminError(problem);
      const id = options?.id ?? globalThis.crypto.randomUUID();
      const ttlMs = (options?.ttlSeconds ?? 3600) * 1000;
      const record: SessionRecord = { id, expiresAt: clock() + ttlMs, ...(options?.seed ? { seed: options.seed } : {}) };
      if (!(await store.setIfAbsent(recordKey(id), record, { ttlMs }))) throw new SandboxAdminError(`id: a session "${id}" exists already.`);
      await updateIndex((index) => ({ ...index, [id]: record.expiresAt }));
      return publicSession(record);
    },
    async get(id) {
      if (!idPattern.test(id)) return undefined;
      const record = await store.get<SessionRecord>(recordKey(id));
      return record && record.expiresAt > clock() ? record : undefined;
    },
    async delete(id) {
      if (!idPattern.test(id)) return;
      await store.delete(recordKey(id));
      await store.deletePrefix(sessionPrefix(id));
      await updateIndex((index) => {
        delete index[id];
        return index;
      });
    },
    async sweep() {
      const now = clock();
      if (now - lastSweep < 1000) return;
      lastSweep = now;
      try {
        const index = (await store.get<Record<string, number>>(indexKey)) ?? {};
        for (const [id, expiresAt] of Object.entries(index)) if (expiresAt <= now) await sessions.delete(id);
      } catch {
        // A store that is down is swept on a later request.
      }
    },
  };
  return sessions;
}

/** A session as the admin surface shows it. */
export function publicSession(record: SessionRecord): SessionCreated {
  return { id: record.id, expiresAt: new Date(record.expiresAt).toISOString(), header: { 'X-Sandbox-Session': record.id } };
}
