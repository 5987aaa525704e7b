// `promtool test rules` cases, derived from the alert definitions: synthetic series in, expected alerts out.
import { stringify } from "yaml";
import type { StackModel } from "../model";
import { alertDefinitions, type AlertDefinition, type ExpectedFiring, type Scenario } from "./alerts";
import { RULE_FILE } from "./prometheus-config";

interface ExpectedAlert {
  exp_labels: Record<string, string>;
  exp_annotations?: Record<string, string>;
}

interface AlertTest {
  eval_time: string;
  alertname: string;
  exp_alerts: ExpectedAlert[];
}

export interface RuleTestCase {
  interval: string;
  input_series: { series: string; values: string }[];
  alert_rule_test: AlertTest[];
}

export interface RuleTestFile {
  rule_files: string[];
  evaluation_interval: string;
  tests: RuleTestCase[];
}

export const RULE_TEST_FILE = RULE_FILE.replace(/\.yml$/, ".test.yml");

/** The labels and annotations promtool must report for one firing alert. */
function expectedAlert(definition: AlertDefinition, firing: ExpectedFiring): ExpectedAlert {
  const annotations = definition.annotations({
    label: (name) => {
      const value = firing.labels[name];
      if (value === undefined) throw new Error(`${definition.alert}: a rule test's firing alert has no label ${name}`);
      return value;
    },
    value: () => {
      if (firing.value === undefined) throw new Error(`${definition.alert}: a rule test's firing alert has no value`);
      return String(firing.value);
    },
  });
  return { exp_labels: { ...firing.labels, ...definition.labels }, exp_annotations: { ...annotations } };
}

/** One `promtool test rules` case: a scenario's series, and the alerts the definition must produce from them. */
export function alertRuleTestCase(definition: AlertDefinition, scenario: Scenario): RuleTestCase {
  return {
    interval: "1m",
    input_series: scenario.series,
    alert_rule_test: scenario.expect.map(({ at, firing }) => ({
      eval_time: at,
      alertname: definition.alert,
      exp_alerts: firing.map((f) => expectedAlert(definition, f)),
    })),
  };
}

export function alertRuleTests(model: StackModel): RuleTestFile {
  return {
    rule_files: [RULE_FILE],
    evaluation_interval: "1m",
    tests: alertDefinitions(model).flatMap((d) => d.scenarios.map((s) => alertRuleTestCase(d, s))),
  };
}

export function alertRuleTestsYaml(model: StackModel): string {
  return stringify(alertRuleTests(model), { lineWidth: 0, aliasDuplicateObjects: false });
}
