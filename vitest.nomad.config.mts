import { defineConfig } from "vitest/config";

// The Nomad tier: like the integration tier, plus a real Nomad agent. Run through scripts/test-nomad.sh,
// which says in one line when there is no Nomad to run it with.
export default defineConfig({
  test: {
    include: ["tests/nomad/**/*.test.ts"],
    // Each test file runs in a child process (vitest's forks pool): HashiCorp's parser on V8's baseline compiler
    // there, as diff/hcl-wasm.ts explains.
    execArgv: ["--liftoff-only"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
