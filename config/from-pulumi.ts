// Loads the stack config inside the Pulumi program, failing with a clean message (no stack trace).
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "./errors";
import { decodeEngineConfig, parseStackConfig } from "./load";
import type { StackConfig } from "./schema";

export function loadProgramConfig(): StackConfig {
  const file = `Pulumi.${pulumi.getStack()}.yaml`;
  try {
    return parseStackConfig(decodeEngineConfig(pulumi.runtime.allConfig()), file);
  } catch (err) {
    if (err instanceof ConfigError) throw new pulumi.RunError(err.message);
    throw err;
  }
}
