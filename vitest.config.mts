import { defineConfig } from "vitest/config";
import { moduleCache } from "./vitest.shared.mts";

export default defineConfig({
  test: {
    include: ["tests/unit/**/*.test.ts"],
    globalSetup: ["tests/unit/v8-flags.ts"],
    testTimeout: 10_000,
    // The unit files share heavy, side-effect-free imports (HCL parser WASM, zod, Pulumi SDK); one module
    // graph per worker instead of per file keeps the suite at a few seconds. program.test.ts resets the
    // module registry itself before each run of the Pulumi program.
    pool: "threads",
    isolate: false,
    // Both cores: the Pulumi program tests dominate one worker, the renderers fill the other.
    maxWorkers: 2,
    // Transformed modules kept between runs: a rerun skips most of the TypeScript transform.
    experimental: moduleCache,
  },
});
