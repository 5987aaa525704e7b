// The rule file Prometheus loads through rule_files, derived from the alert definitions.
import { stringify } from "yaml";
import type { StackConfig } from "../config";
import {
  alertDefinitions,
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
  annotations: Annotations;
}

export interface RuleFile {
  groups: { name: string; rules: AlertRule[] }[];
}

/** Annotations as Prometheus templates them per alert. */
const TEMPLATE_REFERENCES: AnnotationContext = {
  label: (name) => `{{ $labels.${name} }}`,
  value: () => "{{ $value }}",
};

export function alertRule(definition: AlertDefinition): AlertRule {
  return {
    alert: definition.alert,
    expr: definition.expr,
    for: definition.for,
    labels: definition.labels,
    annotations: definition.annotations(TEMPLATE_REFERENCES),
  };
}

export function alertRules(cfg: StackConfig): RuleFile {
  return { groups: [{ name: "rocketmq-system", rules: alertDefinitions(cfg).map(alertRule) }] };
}

export function alertRulesYaml(cfg: StackConfig): string {
  return stringify(alertRules(cfg), { lineWidth: 0, aliasDuplicateObjects: false });
}
