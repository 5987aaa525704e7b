import { defineConfig } from "vitest/config";

// Real binaries on loopback. Files run in parallel: each starts its own agents on free ports with their own
// temp dirs (tests/support/processes.ts). One worker per core of the CI machines (2; INTEGRATION_WORKERS to
// change it): with 4 the tier took about 60 s instead of 100 s, but the agents were starved of CPU (about 225 s of
// it in 60 s) and timing-bound checks failed in two of five runs (a route not seen within its wait, a pending
// alert raced by its exclusion's data).
// One module graph per worker (the render code, zod, the HCL parser's WASM) instead of one per file: a
// worker runs its files one after another, and each file stops what it started (stopAll) in afterAll.
export default defineConfig({
  test: {
    include: ["tests/integration/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: true,
    maxWorkers: Number(process.env.INTEGRATION_WORKERS ?? 2),
    isolate: false,
    // Transformed modules kept between runs (node_modules/.experimental-vitest-cache, keyed by content): a rerun
    // skips most of the TypeScript transform.
    experimental: { fsModuleCache: true },
  },
});
