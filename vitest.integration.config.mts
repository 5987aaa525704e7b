import { defineConfig } from "vitest/config";

// Real binaries on loopback: generous timeouts, one file at a time so agents don't compete for the 2 cores.
export default defineConfig({
  test: {
    include: ["tests/integration/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
