import { defineConfig } from 'vitest/config';

// Integration tests start real servers (Prism, loopback fault servers, child processes) while
// turbo runs other packages on the same 2 cores: the bounds are generous, never speed targets.
// Type tests (test/*.test-d.ts) are compiled by each package's `typecheck` task (tsc --noEmit over
// src and test), where a failed expectTypeOf is a compile error: vitest does not compile them again.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
