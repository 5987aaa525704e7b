// Stack configs for tests: the committed stack files, and raw configs to break on purpose.
import * as path from "node:path";
import {
  ConfigError,
  loadStackFile,
  parseStackConfig,
  stackFileName,
  type RawConfig,
  type StackConfig,
} from "../../config";
import { resolveStack, type StackModel } from "../../model";
import { renderArtifacts, type Artifact } from "../../render";
import { PROJECT_DIR } from "../../scripts/cli-io";
import { copiesOfOnce } from "./once";

export { PROJECT_DIR };

export const STACKS = ["dev", "prod"] as const;

export function stackFile(stack: string): string {
  return path.join(PROJECT_DIR, stackFileName(stack));
}

/** A committed stack file's config, read and checked once per worker; each caller gets a copy of its own. */
export const loadStack = copiesOfOnce((stack): StackConfig => loadStackFile(stackFile(stack)));

const PROMETHEUS_KEY = "rocketmq-system-jobs:prometheus";

/** The choice every test stack makes unless the test is about alerting: alerts go nowhere. */
export const TEST_ALERTING = { delivery: "none", reason: "a test stack" } as const;

/**
 * Every stack must choose where alerts go (prometheus.alerting has no default); a test config that says
 * nothing about it chooses TEST_ALERTING.
 */
export function withAlertingChoice(raw: RawConfig): RawConfig {
  const prometheus = raw[PROMETHEUS_KEY];
  if (prometheus !== undefined && (typeof prometheus !== "object" || prometheus === null || Array.isArray(prometheus)))
    return raw;
  const given = (prometheus ?? {}) as Record<string, unknown>;
  if ("alerting" in given) return raw;
  return { ...raw, [PROMETHEUS_KEY]: { ...given, alerting: TEST_ALERTING } };
}

/** The smallest valid config: everything else takes its default (and alerts go nowhere). */
export function minimalRaw(): RawConfig {
  return { "rocketmq-system-jobs:clusterName": "test", [PROMETHEUS_KEY]: { alerting: TEST_ALERTING } };
}

export function parseRaw(raw: RawConfig, file = "Pulumi.test.yaml"): StackConfig {
  return parseStackConfig(withAlertingChoice(raw), file);
}

/** The one-line message a raw config is rejected with, as a ConfigError; fails when the config is accepted. */
export function configErrorOf(raw: RawConfig, file = "Pulumi.prod.yaml"): string {
  try {
    parseRaw(raw, file);
  } catch (err) {
    // A plain check rather than vitest's expect: npm run bench (plain tsx) loads this module too.
    if (!(err instanceof ConfigError)) throw err;
    return err.message;
  }
  throw new Error(`expected ${JSON.stringify(raw)} to be rejected`);
}

/** The stack model of a config, as the program and the CLIs resolve it (`source` defaults to Pulumi.<stack>.yaml). */
export function modelOf(config: StackConfig, stack = "test", source?: string): StackModel {
  return resolveStack({ config, stack, source });
}

/** The model of a committed stack file. */
export function loadModel(stack: string): StackModel {
  return modelOf(loadStack(stack), stack);
}

/**
 * What the render CLI writes for a committed stack (`loadModel`), rendered once per worker: several files read
 * it, and the rule tests alone take tens of milliseconds to write. Each caller gets a copy of its own.
 */
export const loadArtifacts = copiesOfOnce((stack): Artifact[] => renderArtifacts(loadModel(stack)));
