import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
import {
  AGENT_VERSIONS,
  alertRules,
  alertRuleTestCase,
  alertRuleTests,
  alertRuleTestsYaml,
  durationSeconds,
  RULE_FILE,
  type AlertDefinition,
  renderArtifacts,
} from "../../render";
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

// The documented default (README, docs/runbooks/README.md), stated here independently of the schema.
const RUNBOOKS = "https://github.com/rocketmq-platform/rocketmq-system-jobs/blob/main/docs/runbooks";

describe("rule tests derived from the alert definitions", () => {
  const prod = loadStack("prod");
  const firingAt = (alert: string) =>
    alertRuleTests(prod)
      .tests.flatMap((t) => t.alert_rule_test)
      .find((a) => a.alertname === alert && a.exp_alerts.length > 0)!.exp_alerts;

  it("expect the annotations Prometheus renders from the firing alert's labels", () => {
    expect(firingAt("NomadServerDown")).toEqual([
      {
        exp_labels: { job: "nomad-servers", instance: "10.0.0.1:1234", cluster: "prod", severity: "critical" },
        exp_annotations: {
          summary: "Nomad server 10.0.0.1:1234 is down",
          description: "Prometheus could not scrape the Nomad server 10.0.0.1:1234 for 1 minute.",
          runbook_url: `${RUNBOOKS}/NomadServerDown.md`,
        },
      },
    ]);
  });

  it("expect the annotations Prometheus renders from the alert's value", () => {
    expect(firingAt("ConsulServersMissing")).toEqual([
      {
        exp_labels: { severity: "critical" },
        exp_annotations: {
          summary: "Fewer than 3 Consul servers are up",
          description: "Consul servers discovered and up: 2 of 3 (bootstrap_expect).",
          runbook_url: `${RUNBOOKS}/ConsulServersMissing.md`,
        },
      },
    ]);
  });

  it("speak of the one server when the cluster has one", () => {
    const dev = loadStack("dev");
    expect(dev.images.nomadServer.bootstrapExpect).toBe(1);
    const rule = alertRules(dev).groups[0]!.rules.find((r) => r.alert === "NomadServersMissing")!;
    expect(rule.annotations).toEqual({
      summary: "No Nomad server is up",
      description: "The Nomad server (bootstrap_expect = 1) has not been discovered and up for 2 minutes.",
      runbook_url: `${RUNBOOKS}/NomadServersMissing.md`,
    });
  });

  it("cover the leaderless cluster as each supported Consul version reports it", () => {
    const cases = alertRuleTests(prod).tests.filter((t) => t.alert_rule_test[0]!.alertname === "ConsulNoLeader");
    const metrics = cases.map((t) => [...new Set(t.input_series.map((s) => s.series.split("{")[0]))].sort());
    // 1.8: only the leader publishes autopilot health; 1.13+: every server publishes both gauges.
    expect(metrics).toEqual([["consul_autopilot_healthy"], ["consul_autopilot_healthy", "consul_server_isLeader"]]);
  });

  it("hold for the agent versions the images pin", () => {
    // ConsulNoLeader reads Consul up to 1.8 and from 1.13; NomadNoLeader reads Nomad 1.x (render/alerts/).
    expect(AGENT_VERSIONS.consul).toMatch(/^1\.([0-8]|1[3-9]|[2-9]\d)(\.|$)/);
    expect(AGENT_VERSIONS.nomad).toMatch(/^1\./);
  });

  it("refuse a firing alert that lacks a label its annotations show", () => {
    const definition: AlertDefinition = {
      alert: "Example",
      expr: "up == 0",
      for: "1m",
      labels: { severity: "warning" },
      annotations: ({ label }) => ({ summary: `${label("service")} is down`, description: "" }),
      scenarios: [],
    };
    const scenario = { series: [], expect: [{ at: "1m", firing: [{ labels: { job: "x" }, value: 0 }] }] };
    expect(() => alertRuleTestCase(definition, scenario, "https://runbooks.example/r")).toThrow(
      "Example: a rule test's firing alert has no label service",
    );
  });
});
