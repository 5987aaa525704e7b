// Stack configs for tests: the committed stack files, and raw configs to break on purpose.
import * as path from "node:path";
import { loadStackFile, parseStackConfig, stackFileName, type RawConfig, type StackConfig } from "../../config";

export const PROJECT_DIR = path.resolve(__dirname, "..", "..");
export const STACKS = ["dev", "prod"] as const;

export function stackFile(stack: string): string {
  return path.join(PROJECT_DIR, stackFileName(stack));
}

export function loadStack(stack: string): StackConfig {
  return loadStackFile(stackFile(stack));
}

/** The smallest valid config: everything else takes its default. */
export function minimalRaw(): RawConfig {
  return { "rocketmq-system-jobs:clusterName": "test" };
}

export function parseRaw(raw: RawConfig, file = "Pulumi.test.yaml"): StackConfig {
  return parseStackConfig(raw, file);
}
