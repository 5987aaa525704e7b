// The rule file Prometheus loads through rule_files, derived from the alert definitions.
import { stringify } from "yaml";
import type { StackModel } from "../model";
import {
  alertDefinitions,
  runbookUrl,
  type AlertDefinition,
  type AnnotationContext,
  type Annotations,
  type Severity,
} from "./alerts";

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: Severity };
  annotations: Annotations & { runbook_url: string };
}

/** How the rules are rendered; the defaults are what the stack deploys. */
export interface AlertRuleOptions {
  /**
   * Every rule's `for:` replaced, so a test against a real Prometheus sees an alert fire within seconds from the
   * same definitions the stack deploys.
   * @default each definition's own
   */
  for?: string;
}

export interface RuleFile {
  groups: { name: string; rules: AlertRule[] }[];
}

/** Annotations as Prometheus templates them per alert. */
const TEMPLATE_REFERENCES: AnnotationContext = {
  label: (name) => `{{ $labels.${name} }}`,
  value: () => "{{ $value }}",
};

/** `runbookBaseUrl` is the stack's `prometheus.runbookBaseUrl`. */
export function alertRule(
  definition: AlertDefinition,
  runbookBaseUrl: string,
  options: AlertRuleOptions = {},
): AlertRule {
  return {
    alert: definition.alert,
    expr: definition.expr,
    for: options.for ?? definition.for,
    labels: definition.labels,
    annotations: {
      ...definition.annotations(TEMPLATE_REFERENCES),
      runbook_url: runbookUrl(runbookBaseUrl, definition.alert),
    },
  };
}

export function alertRules(model: StackModel, options: AlertRuleOptions = {}): RuleFile {
  const base = model.config.prometheus.runbookBaseUrl;
  return {
    groups: [{ name: "rocketmq-system", rules: alertDefinitions(model).map((d) => alertRule(d, base, options)) }],
  };
}

export function alertRulesYaml(model: StackModel, options: AlertRuleOptions = {}): string {
  return stringify(alertRules(model, options), { lineWidth: 0, aliasDuplicateObjects: false });
}
