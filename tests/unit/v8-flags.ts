// The unit tier's globalSetup: it runs in vitest's own process before the workers start, and V8's flags hold for a
// whole process, its worker threads included.
import { setFlagsFromString } from "node:v8";
import { keepHclParserOnBaselineCompiler } from "../../diff/hcl-wasm";

export function setup(): void {
  // The unit files parse about a hundred texts with HashiCorp's parser, in both workers.
  keepHclParserOnBaselineCompiler();
  // A run of a few seconds ends before V8's optimizing compiler and its parallel GC helpers pay for the CPU they
  // take from the two workers on two cores: without them the tier used about 10% less CPU and wall time (eight
  // interleaved runs each, docs/test-speed.md).
  setFlagsFromString("--no-opt");
  setFlagsFromString("--single-threaded-gc");
}
