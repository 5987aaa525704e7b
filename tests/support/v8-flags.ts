// V8's flags for a test tier, set by vitest's globalSetup: it runs in vitest's own process before the workers start,
// and V8's flags hold for a whole process, its worker threads included.
import { keepHclParserOnBaselineCompiler } from "../../diff/hcl-wasm";

/** The integration and Nomad tiers' globalSetup: HashiCorp's parser on V8's baseline compiler (diff/hcl-wasm.ts). */
export function setup(): void {
  keepHclParserOnBaselineCompiler();
}
