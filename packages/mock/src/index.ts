export { centiliTokenPath, startMock, type RunningMock, type SandboxSession, type StartMockOptions } from './start-mock.js';
export type { SessionCreated, SessionOptions } from './sandbox/sessions.js';
export { MockStartError, type MockErrorCode } from './errors.js';
export type { MockCapabilities } from './responder.js';
export { SandboxAdminError } from './sandbox/sandbox.js';
export { MemoryStore, type SandboxStore } from './sandbox/store.js';
export type { DataPoolSeed, FaultSpec, JournalEntry, RequestFilter, SandboxOptions, SandboxSeed, SubscriberSeed } from './sandbox/types.js';
export { RedisStore, StoreUnavailableError, defaultRedisPrefix, type RedisStoreOptions } from './sandbox/redis-store.js';
export type { StoreHealth } from './sandbox/store.js';
