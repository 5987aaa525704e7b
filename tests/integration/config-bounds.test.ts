// The config's bounds on Prometheus durations admit only what the deployed Prometheus accepts: its own checker
// passes the rendered config at every extreme the config allows, and its flag parser takes the retention bounds.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { minimalRaw, parseRaw } from "../support/stack";
import { writeRenderedPrometheusFiles } from "../support/prometheus";
import { requireTools, runTool, stopAll, tempDir } from "../support/processes";

const available = requireTools("promtool", "prometheus");

describe.runIf(available)("the Prometheus duration bounds, checked by Prometheus 2.53.4", () => {
  afterAll(stopAll);

  it.each([
    ["1s", "2m"],
    ["2m", "1s"],
  ])("accepts scrapeInterval %s with evaluationInterval %s", (scrapeInterval, evaluationInterval) => {
    const cfg = parseRaw({
      ...minimalRaw(),
      "rocketmq-system-jobs:prometheus": { scrapeInterval, evaluationInterval },
    });
    const files = writeRenderedPrometheusFiles(cfg, "127.0.0.1:8500");
    const result = runTool("promtool", ["check", "config", files.configFile]);
    expect(result.output).toContain("SUCCESS");
    expect(result.code, result.output).toBe(0);
  });

  /**
   * Whether Prometheus' flag parser takes `--storage.tsdb.retention.time=<value>`: with a missing config file it
   * then stops at loading the config, while a value it refuses stops it at the flags, before any config.
   */
  const parsesRetention = (value: string): boolean => {
    const dir = tempDir("prometheus-flags");
    const result = runTool("prometheus", [
      `--storage.tsdb.retention.time=${value}`,
      `--config.file=${path.join(dir, "missing.yml")}`,
      `--storage.tsdb.path=${path.join(dir, "data")}`,
      "--web.listen-address=127.0.0.1:0",
    ]);
    expect(result.code).not.toBe(0);
    return result.output.includes("Error loading config");
  };

  it("takes the retention bounds 2h and 5y as flags, and refuses 1000y, which the config used to accept", () => {
    expect(parsesRetention("2h")).toBe(true);
    expect(parsesRetention("5y")).toBe(true);
    expect(parsesRetention("1000y")).toBe(false);
  });

  it("checks TargetDown's `for:` at the bound 1d, and refuses 1000y, which the config used to accept", () => {
    const cfg = parseRaw({ ...minimalRaw(), "rocketmq-system-jobs:prometheus": { targetDownFor: "1d" } });
    const { ruleFile } = writeRenderedPrometheusFiles(cfg, "127.0.0.1:8500");
    const atBound = runTool("promtool", ["check", "rules", ruleFile]);
    expect(atBound.code, atBound.output).toBe(0);
    // The same rules with 1000y in TargetDown's `for:` (validation refuses it, so the text is edited instead).
    const rules = fs.readFileSync(ruleFile, "utf8");
    expect(rules.split("for: 1d").length).toBe(2);
    fs.writeFileSync(ruleFile, rules.replace("for: 1d", "for: 1000y"));
    expect(runTool("promtool", ["check", "rules", ruleFile]).code).not.toBe(0);
  });
});
