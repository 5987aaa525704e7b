import { defineConfig } from "vitest/config";

// Real binaries on loopback. Files run in parallel: each starts its own agents on free ports with their own
// temp dirs (tests/support/processes.ts). Four workers on the 2-core CI machines (INTEGRATION_WORKERS to change
// it): the files mostly wait on agents (Prometheus takes in a discovery change only every 5 s), so the tier
// uses about 75 s of CPU in 52 s with four, and took 64 s with three and 88 s with two.
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
