import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
import {
  alertRules,
  alertRuleTestCase,
  alertRuleTests,
  CAUSE_TEST_PREFIX,
  RULE_FILE,
  scenarioTestPrefix,
  type AlertDefinition,
} from "../../render";
import { parseGoDuration, parsePrometheusDuration, prometheusDurationMs } from "../../config";
import { seriesStops, targetLeavesDiscovery } from "../../render/alerts/scenarios";
import { loadArtifacts, loadStack, minimalRaw, parseRaw, modelOf } from "../support/stack";

describe("the alert rule tests", () => {
  const cfg = loadStack("prod");

  it("test every alert the rule file defines", () => {
    const tested = new Set(
      alertRuleTests(modelOf(cfg)).tests.flatMap((t) => t.alert_rule_test.map((a) => a.alertname)),
    );
    const defined = alertRules(modelOf(cfg)).groups.flatMap((g) => g.rules.map((r) => r.alert));
    expect([...tested].sort()).toEqual([...defined].sort());
  });

  it("name each case by what it checks, so that `promtool test rules --run` selects an alert's cases", () => {
    const { tests } = alertRuleTests(modelOf(cfg));
    const alerts = new Set(tests.flatMap((t) => t.alert_rule_test.map((a) => a.alertname)));
    expect(new Set(tests.map((t) => t.name)).size).toBe(tests.length);
    for (const { name, alert_rule_test } of tests) {
      const checked = new Set(alert_rule_test.map((a) => a.alertname));
      if (name.startsWith(CAUSE_TEST_PREFIX)) expect([...checked].sort(), name).toEqual([...alerts].sort());
      else expect([...checked].map(scenarioTestPrefix), name).toEqual([name.slice(0, name.indexOf(": ") + 2)]);
    }
  });

  it("check each alert both silent and firing", () => {
    for (const testCase of alertRuleTests(modelOf(cfg)).tests) {
      const outcomes = testCase.alert_rule_test.map((a) => a.exp_alerts.length > 0);
      expect(outcomes).toContain(true);
      expect(outcomes).toContain(false);
    }
  });

  it("follow the stack's TargetDown delay", () => {
    const slow = parseRaw({ ...minimalRaw(), "rocketmq-system-jobs:prometheus": { targetDownFor: "15m" } });
    const targetDown = alertRuleTests(modelOf(slow)).tests.find(
      (t) => t.alert_rule_test[0]!.alertname === "TargetDown",
    )!;
    const firstFiring = targetDown.alert_rule_test.find((a) => a.exp_alerts.length > 0)!;
    expect(prometheusDurationMs(firstFiring.eval_time)).toBeGreaterThan(15 * 60 * 1000);
  });

  it("load the rule file that sits beside them in the render output", () => {
    expect(alertRuleTests(modelOf(cfg)).rule_files).toEqual([RULE_FILE]);
    const artifacts = loadArtifacts("prod");
    const paths = artifacts.map((a) => a.path);
    expect(paths).toContain("prometheus/rocketmq-system.rules.yml");
    expect(paths).toContain("prometheus/rocketmq-system.rules.test.yml");
    const written = artifacts.find((a) => a.path === "prometheus/rocketmq-system.rules.test.yml")!.content;
    expect(parseYaml(written)).toEqual(alertRuleTests(modelOf(cfg, "prod")));
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
    expect(prometheusDurationMs(duration)).toBe(seconds * 1000);
  });

  it.each(["", "5", "1s1m", "1m1m", "1.5m", "5 m", "1h30", "1us"])("refuses %j as a Prometheus duration", (text) => {
    expect(parsePrometheusDuration(text)).toBeUndefined();
  });

  it.each([
    ["10s", 10_000],
    ["1.5h", 5_400_000],
    ["1m30s", 90_000],
    ["300ms", 300],
    ["2us", 0.002],
  ])("reads the Go duration %s as %d ms", (text, ms) => {
    expect(parseGoDuration(text)).toBe(ms);
  });

  it.each(["", "10", "1d", "1 s", "s"])("refuses %j as a Go duration", (text) => {
    expect(parseGoDuration(text)).toBeUndefined();
  });
});

describe("rule-test timelines", () => {
  const firstFiring = (expect: { at: string; firing: unknown[] }[]) =>
    prometheusDurationMs(expect.find((e) => e.firing.length > 0)!.at) / 60_000;

  it("fire an absence alert only after the 5 minute lookback and the rule's own for:", () => {
    // The last sample is at minute 2: absent from minute 7, firing once for: has passed.
    for (const [forDuration, atLeast] of [
      ["1m", 8],
      ["10m", 17],
    ] as const) {
      const stops = seriesStops("m", { job: "j" }, { job: "j" }, forDuration);
      expect(firstFiring(stops.expect)).toBeGreaterThan(atLeast);
      const leaves = targetLeavesDiscovery(() => ({ job: "j" }), 1, { forDuration, firingValue: 1 });
      expect(firstFiring(leaves.expect)).toBeGreaterThan(atLeast);
    }
  });

  it("bring the series back only after the alert has fired", () => {
    const stops = seriesStops("m", { job: "j" }, { job: "j" }, "10m");
    const [values] = stops.series.map((s) => s.values.split(" "));
    const backAt = values!.findIndex((v, i) => i > 2 && v === "1");
    expect(backAt).toBeGreaterThan(firstFiring(stops.expect));
  });
});

// The documented default (README, docs/runbooks/README.md), stated here independently of the schema.
const RUNBOOKS = "https://github.com/rocketmq-platform/rocketmq-system-jobs/blob/main/docs/runbooks";

describe("rule tests derived from the alert definitions", () => {
  const prod = loadStack("prod");
  const firingAt = (alert: string) =>
    alertRuleTests(modelOf(prod))
      .tests.flatMap((t) => t.alert_rule_test)
      .find((a) => a.alertname === alert && a.exp_alerts.length > 0)!.exp_alerts;

  it("expect the annotations Prometheus renders from the firing alert's labels", () => {
    expect(firingAt("NomadServerDown")).toEqual([
      {
        exp_labels: { job: "nomad-servers", instance: "10.0.0.1:1234", cluster: "prod", severity: "critical" },
        exp_annotations: {
          summary: "Nomad server 10.0.0.1:1234 is down",
          description: "Prometheus could not scrape the Nomad server 10.0.0.1:1234 for 1m.",
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
          summary: "Fewer than 3 Consul servers are registered",
          description: "Consul servers registered in Consul: 2 of 3 (bootstrap_expect).",
          runbook_url: `${RUNBOOKS}/ConsulServersMissing.md`,
        },
      },
    ]);
  });

  it("speak of the one server when the cluster has one", () => {
    const dev = loadStack("dev");
    expect(dev.images.nomadServer.bootstrapExpect).toBe(1);
    const rule = alertRules(modelOf(dev)).groups[0]!.rules.find((r) => r.alert === "NomadServersMissing")!;
    expect(rule.annotations).toEqual({
      summary: "No Nomad server is registered",
      description: "The Nomad server (bootstrap_expect = 1) has not been registered in Consul for 1m.",
      runbook_url: `${RUNBOOKS}/NomadServersMissing.md`,
    });
  });

  const withVersions = (consul: string, nomad = "1.4") => {
    const raw = {
      ...minimalRaw(),
      "rocketmq-system-jobs:images": { consul: { version: consul }, nomad: { version: nomad } },
    };
    return parseRaw(raw);
  };

  it.each([
    // Consul 1.8: only the leader publishes autopilot health.
    ["1.8.7", ["consul_autopilot_healthy"]],
    ["1.8", ["consul_autopilot_healthy"]],
    // Consul 1.13 and later: every server publishes both gauges.
    ["1.13", ["consul_autopilot_healthy", "consul_server_isLeader"]],
    ["1.16.3", ["consul_autopilot_healthy", "consul_server_isLeader"]],
    ["2.0.0", ["consul_autopilot_healthy", "consul_server_isLeader"]],
  ])("model a leaderless Consul %s as that version reports it", (version, metrics) => {
    const cases = alertRuleTests(modelOf(withVersions(version))).tests.filter(
      (t) => t.alert_rule_test[0]!.alertname === "ConsulNoLeader",
    );
    expect(cases.map((t) => [...new Set(t.input_series.map((s) => s.series.split("{")[0]))].sort())).toEqual([metrics]);
  });

  it.each(["1.4", "1.4.14", "1.6.2", "1.10.0"])("model a leaderless Nomad %s by its leader's series", (version) => {
    const cases = alertRuleTests(modelOf(withVersions("1.8.7", version))).tests.filter(
      (t) => t.alert_rule_test[0]!.alertname === "NomadNoLeader",
    );
    expect(cases.map((t) => [...new Set(t.input_series.map((s) => s.series.split("{")[0]))])).toEqual([
      ["nomad_nomad_autopilot_healthy"],
    ]);
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
    expect(() => alertRuleTestCase(definition, scenario, 1, "https://runbooks.example/r")).toThrow(
      "Example: a rule test's firing alert has no label service",
    );
  });
});
