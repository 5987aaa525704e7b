import { defineConfig } from "vitest/config";

// Real binaries on loopback. Files run in parallel: each starts its own agents on free ports with their own
// temp dirs (tests/support/processes.ts), and most of a file's time is spent waiting on them rather than
// computing, so twice as many workers as the 2 cores of the CI machines (INTEGRATION_WORKERS to change it).
// One module graph per worker (the render code, zod, the HCL parser's WASM) instead of one per file: a
// worker runs its files one after another, and each file stops what it started (stopAll) in afterAll.
export default defineConfig({
  test: {
    include: ["tests/integration/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: true,
    maxWorkers: Number(process.env.INTEGRATION_WORKERS ?? 4),
    isolate: false,
    // Transformed modules kept between runs (node_modules/.experimental-vitest-cache, keyed by content): a rerun
    // skips most of the TypeScript transform.
    experimental: { fsModuleCache: true },
  },
});
