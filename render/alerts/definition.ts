// One alert stated once: the rule Prometheus evaluates and the series that prove it fires and resolves.
// render/prometheus-rules.ts and render/prometheus-rule-tests.ts derive their files from these.

export type Severity = "critical" | "warning";

/**
 * What an annotation may show. The rule file fills it with Go template references (`{{ $labels.x }}`,
 * `{{ $value }}`); a rule test with the text promtool must render from the firing alert.
 */
export interface AnnotationContext {
  label: (name: string) => string;
  value: () => string;
}

export interface Annotations {
  summary: string;
  description: string;
}

/** Labels are a plain record so each series states them in the order it is written. */
export type Labels = Record<string, string>;

/** An alert promtool must report as firing: its labels besides the rule's own, and the expression's value. */
export interface ExpectedFiring {
  labels: Labels;
  value?: number;
}

/** Synthetic series, one sample per minute, and what the alert must do at each evaluation time. */
export interface Scenario {
  series: { series: string; values: string }[];
  /** The firing alerts expected at `at`; none means silent or still pending. */
  expect: { at: string; firing: ExpectedFiring[] }[];
}

export interface AlertDefinition {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: Severity };
  annotations: (context: AnnotationContext) => Annotations;
  /** Each way the watched system can report the condition, with the series that make the alert fire and resolve. */
  scenarios: Scenario[];
  /** The scrape job(s) whose targets' `up == 0` this alert reports: the catch-all TargetDown leaves them out. */
  downJob?: string | readonly string[];
}

/** Every alert's runbook: `docs/runbooks/<AlertName>.md` under the stack's `prometheus.runbookBaseUrl`. */
export function runbookUrl(runbookBaseUrl: string, alert: string): string {
  return `${runbookBaseUrl}/${alert}.md`;
}
