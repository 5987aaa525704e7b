// HashiCorp's HCL parser (@cdktf/hcl2json) is Go compiled to a 6 MB WebAssembly module. V8 first compiles it with
// its baseline compiler (Liftoff), then recompiles its hot functions with the optimizing one on background
// threads. For the dozens of parses of a diff or of a test run that recompiling is a loss: 156 parses of both
// stacks' rendered jobspecs take about 1.9 s of CPU with it and 0.9 s without (`npm run bench:hcl`).
import { setFlagsFromString } from "node:v8";

/**
 * Keeps WebAssembly on V8's baseline compiler for the rest of the process, its worker threads included. Call it
 * before the parser's module is compiled, in the process that parses: the CLI's entry point, vitest's config.
 */
export function keepHclParserOnBaselineCompiler(): void {
  setFlagsFromString("--liftoff-only");
}
