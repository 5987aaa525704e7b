import { setFlagsFromString } from "node:v8";
import { defineConfig } from "vitest/config";
import { keepHclParserOnBaselineCompiler } from "./diff/hcl-wasm";

// V8's flags are per process: set here, before vitest starts its workers, they hold in the workers too.
// The unit files parse about a hundred texts with HashiCorp's parser, in both workers.
keepHclParserOnBaselineCompiler();
// A run of a few seconds ends before V8's optimizing compiler and its parallel GC helpers pay for the CPU they
// take from the two workers on two cores: without them the tier used about 10% less CPU and wall time (eight
// interleaved runs each, docs/test-speed.md).
setFlagsFromString("--no-opt");
setFlagsFromString("--single-threaded-gc");

export default defineConfig({
  test: {
    include: ["tests/unit/**/*.test.ts"],
    testTimeout: 10_000,
    // The unit files share heavy, side-effect-free imports (HCL parser WASM, zod, Pulumi SDK); one module
    // graph per worker instead of per file keeps the suite at a few seconds. program.test.ts resets the
    // module registry itself before each run of the Pulumi program.
    pool: "threads",
    isolate: false,
    // Both cores: the Pulumi program tests dominate one worker, the renderers fill the other.
    maxWorkers: 2,
    // Transformed modules kept between runs (node_modules/.experimental-vitest-cache, keyed by content): a rerun
    // skips most of the TypeScript transform.
    experimental: { fsModuleCache: true },
  },
});
