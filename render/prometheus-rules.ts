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

export interface RuleFile {
  groups: { name: string; rules: AlertRule[] }[];
}

/** Annotations as Prometheus templates them per alert. */
const TEMPLATE_REFERENCES: AnnotationContext = {
  label: (name) => `{{ $labels.${name} }}`,
  value: () => "{{ $value }}",
};

/** `runbookBaseUrl` is the stack's `prometheus.runbookBaseUrl`. */
export function alertRule(definition: AlertDefinition, runbookBaseUrl: string): AlertRule {
  return {
    alert: definition.alert,
    expr: definition.expr,
    for: definition.for,
    labels: definition.labels,
    annotations: {
      ...definition.annotations(TEMPLATE_REFERENCES),
      runbook_url: runbookUrl(runbookBaseUrl, definition.alert),
    },
  };
}

export function alertRules(model: StackModel): RuleFile {
  const base = model.config.prometheus.runbookBaseUrl;
  return {
    groups: [{ name: "rocketmq-system", rules: alertDefinitions(model).map((d) => alertRule(d, base)) }],
  };
}

export function alertRulesYaml(model: StackModel): string {
  return stringify(alertRules(model), { lineWidth: 0, aliasDuplicateObjects: false });
}
