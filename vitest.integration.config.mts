import * as fs from "node:fs";
import { defineConfig } from "vitest/config";
import { moduleCache } from "./vitest.shared.mts";
import { BaseSequencer, type TestSpecification } from "vitest/node";

// Real binaries on loopback. Files run in parallel: each starts its own agents on free ports with their own
// temp dirs (tests/support/processes.ts). Four workers on the 2-core CI machines (INTEGRATION_WORKERS to change
// it): the files mostly wait on agents (Prometheus takes in a discovery change only every 5 s), so the tier
// uses about 75 s of CPU in 52 s with four, and took 64 s with three and 88 s with two.
// One module graph per worker (the render code, zod, the HCL parser's WASM) instead of one per file: a
// worker runs its files one after another, and each file stops what it started (stopAll) in afterAll.

/**
 * The files that take 8 s or more, slowest first (docs/test-speed.md, "Measuring"). Vitest orders files by the
 * durations of earlier runs, which a fresh clone (CI) does not have: it would run them alphabetically, and a slow
 * file starting last (verify.test.ts does) stretches the tier. A stale entry costs time, never a check.
 */
const SLOWEST_FIRST = [
  "lookup-probes",
  "prometheus",
  "consul-agent-config",
  "diff-cli",
  "two-stacks",
  "fabio-routing",
  "alert-delivery",
  "verify",
  "consul-client-addr",
  "diff-cli-base",
];

const renamed = SLOWEST_FIRST.filter((name) => !fs.existsSync(`tests/integration/${name}.test.ts`));
if (renamed.length > 0)
  throw new Error(`vitest.integration.config.mts: SLOWEST_FIRST names no file: ${renamed.join(", ")}`);

const rank = (spec: TestSpecification): number => {
  const name = /([^/]+)\.test\.ts$/.exec(spec.moduleId)?.[1] ?? "";
  const index = SLOWEST_FIRST.indexOf(name);
  return index === -1 ? SLOWEST_FIRST.length : index;
};

class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    // A stable sort: the other files keep vitest's own order.
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    include: ["tests/integration/**/*.test.ts"],
    // Each test file runs in a child process (vitest's forks pool): HashiCorp's parser on V8's baseline compiler
    // there, as diff/hcl-wasm.ts explains.
    execArgv: ["--liftoff-only"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: true,
    maxWorkers: Number(process.env.INTEGRATION_WORKERS ?? 4),
    isolate: false,
    sequence: { sequencer: SlowestFirst },
    // Transformed modules kept between runs: a rerun skips most of the TypeScript transform.
    experimental: moduleCache,
  },
});
