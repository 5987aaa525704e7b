// `promtool test rules` cases, derived from the alert definitions: synthetic series in, expected alerts out.
import { stringify } from "yaml";
import type { StackModel } from "../model";
import {
  alertCauses,
  alertDefinitions,
  runbookUrl,
  type Cause,
  type AlertDefinition,
  type ExpectedFiring,
  type Scenario,
} from "./alerts";
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
  /** What promtool prints above a failure, and what `promtool test rules --run <regex>` selects by. */
  name: string;
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
function expectedAlert(definition: AlertDefinition, firing: ExpectedFiring, runbookBaseUrl: string): ExpectedAlert {
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
  return {
    exp_labels: { ...firing.labels, ...definition.labels },
    exp_annotations: { ...annotations, runbook_url: runbookUrl(runbookBaseUrl, definition.alert) },
  };
}

/** What the names of an alert's own rule test cases start with. */
export const scenarioTestPrefix = (alert: string) => `${alert}: `;
/** The name of the n-th (from 1) scenario of an alert's own rule test cases. */
export const scenarioTestName = (alert: string, n: number) => `${scenarioTestPrefix(alert)}scenario ${n}`;
/** What the name of every cause's rule test case starts with. */
export const CAUSE_TEST_PREFIX = "cause: ";
/** The name of a cause's rule test case. */
export const causeTestName = (cause: string) => `${CAUSE_TEST_PREFIX}${cause}`;

/** One `promtool test rules` case: a scenario's series, and the alerts the definition must produce from them. */
export function alertRuleTestCase(
  definition: AlertDefinition,
  scenario: Scenario,
  n: number,
  runbookBaseUrl: string,
): RuleTestCase {
  return {
    name: scenarioTestName(definition.alert, n),
    interval: "1m",
    input_series: scenario.series,
    alert_rule_test: scenario.expect.map(({ at, firing }) => ({
      eval_time: at,
      alertname: definition.alert,
      exp_alerts: firing.map((f) => expectedAlert(definition, f, runbookBaseUrl)),
    })),
  };
}

/**
 * One case per cause: at every step, every alert of the stack is checked, so an alert the cause must not raise
 * fails the test as surely as a missing one.
 */
export function causeTestCase(definitions: AlertDefinition[], cause: Cause, runbookBaseUrl: string): RuleTestCase {
  const known = new Set(definitions.map((d) => d.alert));
  for (const name of cause.expect.flatMap((step) => Object.keys(step.firing))) {
    if (!known.has(name)) throw new Error(`cause "${cause.name}" expects ${name}, which is not an alert of the stack`);
  }
  return {
    name: causeTestName(cause.name),
    interval: "1m",
    input_series: cause.series,
    alert_rule_test: cause.expect.flatMap(({ at, firing }) =>
      definitions.map((d) => ({
        eval_time: at,
        alertname: d.alert,
        exp_alerts: (firing[d.alert] ?? []).map((f) => expectedAlert(d, f, runbookBaseUrl)),
      })),
    ),
  };
}

export function alertRuleTests(model: StackModel): RuleTestFile {
  const definitions = alertDefinitions(model);
  const base = model.config.prometheus.runbookBaseUrl;
  return {
    rule_files: [RULE_FILE],
    evaluation_interval: "1m",
    tests: [
      ...definitions.flatMap((d) => d.scenarios.map((s, i) => alertRuleTestCase(d, s, i + 1, base))),
      ...alertCauses(model).map((cause) => causeTestCase(definitions, cause, base)),
    ],
  };
}

export function alertRuleTestsYaml(model: StackModel): string {
  return stringify(alertRuleTests(model), { lineWidth: 0, aliasDuplicateObjects: false });
}
