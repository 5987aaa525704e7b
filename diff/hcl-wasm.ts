// HashiCorp's HCL parser (@cdktf/hcl2json) is Go compiled to a 6 MB WebAssembly module. V8 first compiles it with
// its baseline compiler (Liftoff), then recompiles its hot functions with the optimizing one on background
// threads. For the dozens of parses of a diff or of a test run that recompiling is a loss: 156 parses of both
// stacks' rendered jobspecs take about 1.9 s of CPU with it and 0.9 s without (`npm run bench:hcl`).
import { setFlagsFromString } from "node:v8";

/**
 * Keeps WebAssembly on V8's baseline compiler for the rest of the process, its worker threads included. Call it
 * in the process that parses, before the parser's module is compiled: hcl2json compiles it in a later turn of the
 * event loop than its import, so the CLI's entry point calls it in its body. The unit tier calls it in its
 * globalSetup (its workers are threads); the integration and Nomad tiers pass the flag in their forks' execArgv.
 */
export function keepHclParserOnBaselineCompiler(): void {
  setFlagsFromString("--liftoff-only");
}
