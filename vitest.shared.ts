import { defineConfig } from 'vitest/config';

// Integration tests start real servers (Prism, loopback fault servers, child processes) while
// turbo runs other packages on the same 2 cores: the bounds are generous, never speed targets.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    typecheck: { include: ['test/**/*.test-d.ts'] },
  },
});
