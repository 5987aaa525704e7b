import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
import { alertRules, alertRuleTests, alertRuleTestsYaml, durationSeconds, RULE_FILE } from "../../render";
import { renderArtifacts } from "../../render/artifacts";
import { loadStack, minimalRaw, parseRaw } from "../support/stack";

describe("the alert rule tests", () => {
  const cfg = loadStack("prod");

  it("test every alert the rule file defines", () => {
    const tested = new Set(alertRuleTests(cfg).tests.flatMap((t) => t.alert_rule_test.map((a) => a.alertname)));
    const defined = alertRules(cfg).groups.flatMap((g) => g.rules.map((r) => r.alert));
    expect([...tested].sort()).toEqual([...defined].sort());
  });

  it("check each alert both silent and firing", () => {
    for (const testCase of alertRuleTests(cfg).tests) {
      const outcomes = testCase.alert_rule_test.map((a) => a.exp_alerts.length > 0);
      expect(outcomes).toContain(true);
      expect(outcomes).toContain(false);
    }
  });

  it("follow the stack's TargetDown delay", () => {
    const slow = parseRaw({ ...minimalRaw(), "rocketmq-system-jobs:prometheus": { targetDownFor: "15m" } });
    const targetDown = alertRuleTests(slow).tests.find((t) => t.alert_rule_test[0]!.alertname === "TargetDown")!;
    const firstFiring = targetDown.alert_rule_test.find((a) => a.exp_alerts.length > 0)!;
    expect(durationSeconds(firstFiring.eval_time)).toBeGreaterThan(15 * 60);
  });

  it("load the rule file that sits beside them in the render output", () => {
    expect(alertRuleTests(cfg).rule_files).toEqual([RULE_FILE]);
    const paths = renderArtifacts(cfg, "prod").map((a) => a.path);
    expect(paths).toContain("prometheus/rocketmq-system.rules.yml");
    expect(paths).toContain("prometheus/rocketmq-system.rules.test.yml");
    expect(parseYaml(alertRuleTestsYaml(cfg))).toEqual(alertRuleTests(cfg));
  });
});

describe("Prometheus durations", () => {
  it.each([
    ["5s", 5],
    ["1m30s", 90],
    ["2h", 7200],
    ["1d", 86400],
    ["500ms", 0.5],
  ])("reads %s as %d seconds", (duration, seconds) => {
    expect(durationSeconds(duration)).toBe(seconds);
  });
});
